/// What an event does. The raw value is the `kind` member on the wire.
public enum EventKind: String, Sendable, CaseIterable, Codable {
    case report = "issue.report"
    case edit = "issue.edit"
    case comment
    case confirm
    case solution
    case offer
    case route
    case accept
    case decline
    case transfer
    case status
    case duplicate
    case redact
    case contact
}

/// An agency's own status for its part of an issue. The raw value is on the wire.
public enum AgencyStatus: String, Sendable, CaseIterable, Codable {
    case received, acknowledged, investigating, scheduled
    case inProgress = "in_progress"
    case fixed
    case notOurs = "not_ours"
    case wontFix = "wont_fix"
    case closed

    /// A status after which the agency expects to do no more.
    public var isTerminal: Bool {
        switch self {
        case .fixed, .notOurs, .wontFix, .closed: true
        default: false
        }
    }
}
