import CIXCanonicalJSON

/// The state of one issue, computed from its events by `IssueFold`.
///
/// It is never sent between nodes; each node computes it. Two nodes holding
/// the same set of events compute byte-identical `canonicalBytes()`.
public struct IssueState: Sendable, Equatable {
    public var id: EventID
    public var origin: NodeID
    public var reportedAt: Timestamp
    public var updatedAt: Timestamp
    /// Nil once the report's body is redacted.
    public var report: ReportContent?
    public var agencies: [NodeID: AgencyPart] = [:]
    public var routed = false
    public var duplicateOf: DuplicateLink?
    public var counts = Counts()
    public var contributions: [Contribution] = []
    public var timeline: [TimelineEntry] = []
    /// Events no other event of the issue names in `prev`: what a new event's `prev` should be.
    public var heads: [EventID] = []
    public var maxDepth = 1

    /// The fields of the report, as last edited.
    public struct ReportContent: Sendable, Equatable {
        public var title: String
        public var description: String
        public var category: String
        public var tags: [String]
        public var location: Location
        public var attachments: [Attachment]
        public var reporter: String
        /// The redaction whose replacement this is, when a moderator replaced the original.
        public var replacedBy: EventID?

        public var latitude: Double { location.latitude }
        public var longitude: Double { location.longitude }
        public var address: String? { location.address }

        init(_ body: ReportBody) {
            title = body.title
            description = body.description ?? ""
            category = body.category
            tags = body.tags
            location = body.location
            attachments = body.attachments
            reporter = body.reporter
        }

        /// Replaces each field the edit names.
        mutating func apply(_ edit: EditBody) {
            if let title = edit.title { self.title = title }
            if let description = edit.description { self.description = description }
            if let category = edit.category { self.category = category }
            if let tags = edit.tags { self.tags = tags }
            if let location = edit.location { self.location = location }
        }
    }

    /// One agency's part: how it came to be involved and what it says.
    public struct AgencyPart: Sendable, Equatable {
        public enum Role: String, Sendable {
            /// The intake node, answering until the issue is routed.
            case origin, routed, accepted, declined, transferred
        }
        public var node: NodeID
        public var role: Role
        public var status: AgencyStatus
        /// Why it was routed, declined or transferred.
        public var reason: String?
        public var note: String?
        /// The node that routed, referred or transferred the issue to this agency.
        public var routedBy: NodeID?
        /// The last event that changed this part; its signer is `node` except for routing.
        public var lastEvent: EventID

        /// Routed or accepted: still expected to answer.
        public var isActive: Bool { role == .origin || role == .routed || role == .accepted }
    }

    public struct DuplicateLink: Sendable, Equatable {
        public var issue: EventID
        public var node: NodeID?
    }

    public struct Counts: Sendable, Equatable {
        public var confirmations = 0
        public var comments = 0
        public var solutions = 0
        public var offers = 0

        public init(confirmations: Int = 0, comments: Int = 0, solutions: Int = 0, offers: Int = 0) {
            self.confirmations = confirmations
            self.comments = comments
            self.solutions = solutions
            self.offers = offers
        }
    }

    /// A comment, confirmation, solution or offer, in fold order.
    public struct Contribution: Sendable, Equatable {
        public var event: EventID
        public var kind: EventKind
        public var author: NodeID
        public var at: Timestamp
        /// What it says, or nil if it was redacted or withheld.
        public var content: EventBody?
        /// The redaction whose replacement `content` is, when a moderator replaced the original.
        public var replacedBy: EventID?
    }

    /// What an event did to the state.
    public struct TimelineEntry: Sendable, Equatable {
        public enum Effect: String, Sendable {
            /// It changed the state as its kind says.
            case applied
            /// It broke an authority rule; kept, shown, without effect.
            case rejected
            /// Its body is redacted or withheld, so its content has no effect.
            case withoutBody = "without_body"
        }
        public var event: EventID
        public var kind: EventKind
        public var author: NodeID
        public var at: Timestamp
        public var effect: Effect
        public var reason: String?
    }

    /// The overall status derived from every agency's part (see `OverallStatus`).
    public var overall: OverallStatus { OverallStatus(self) }
}
