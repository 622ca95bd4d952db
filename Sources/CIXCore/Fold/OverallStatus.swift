/// An issue's status as a whole, derived from its agencies' own statuses.
///
/// In order: `duplicate` if marked so; `declined` if no agency is still
/// active; among active agencies (origin, routed or accepted): `fixed` if
/// all have a terminal status and one is fixed, `closed` if all are terminal
/// otherwise; `in_progress` if one is investigating, scheduled or in
/// progress; `acknowledged` if one accepted or acknowledged; else `open`.
public enum OverallStatus: String, Sendable, CaseIterable {
    case open, acknowledged
    case inProgress = "in_progress"
    case fixed, closed, declined, duplicate

    public init(_ state: IssueState) {
        if state.duplicateOf != nil {
            self = .duplicate
            return
        }
        let active = state.agencies.values.filter(\.isActive)
        if active.isEmpty {
            self = .declined
        } else if active.allSatisfy(\.status.isTerminal) {
            self = active.contains { $0.status == .fixed } ? .fixed : .closed
        } else if active.contains(where: { [.investigating, .scheduled, .inProgress].contains($0.status) }) {
            self = .inProgress
        } else if active.contains(where: { $0.role == .accepted || $0.status == .acknowledged }) {
            self = .acknowledged
        } else {
            self = .open
        }
    }

    /// Whether the issue still needs work.
    public var isOpen: Bool { [.open, .acknowledged, .inProgress].contains(self) }
}
