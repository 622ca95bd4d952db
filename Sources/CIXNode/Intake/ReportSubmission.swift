import CIXCore

/// A report as a resident, an app or a member of staff gives it, before
/// anything is checked: what the web form, Open311, the CLI and the console
/// all hand to `Intake`.
public struct ReportSubmission: Sendable {
    public var title: String
    public var description: String?
    public var category: String
    public var tags: [String]
    public var latitude: Double?
    public var longitude: Double?
    public var address: String?
    /// Radius of uncertainty in metres.
    public var accuracy: Double?
    /// Contact details: kept on this node only, never in an event.
    public var reporterName: String?
    public var reporterEmail: String?
    public var reporterPhone: String?
    /// Photos as uploaded (JPEG or PNG); re-encoded without metadata before anything is kept.
    public var photos: [[UInt8]] = []

    public init(
        title: String, description: String? = nil, category: String, tags: [String] = [], latitude: Double?,
        longitude: Double?, address: String? = nil, accuracy: Double? = nil, reporterName: String? = nil,
        reporterEmail: String? = nil, reporterPhone: String? = nil, photos: [[UInt8]] = []
    ) {
        self.title = title
        self.description = description
        self.category = category
        self.tags = tags
        self.latitude = latitude
        self.longitude = longitude
        self.address = address
        self.accuracy = accuracy
        self.reporterName = reporterName
        self.reporterEmail = reporterEmail
        self.reporterPhone = reporterPhone
        self.photos = photos
    }
}

/// A resident's contribution to an issue, before anything is checked.
public struct ContributionSubmission: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case comment, confirm, solution, offer
    }

    public var kind: Kind
    /// The comment, the solution, the confirmation's note, or what help is offered.
    public var text: String?
    /// For an offer: when, and by whom.
    public var when: String?
    public var by: String?

    public init(_ kind: Kind, text: String?, when: String? = nil, by: String? = nil) {
        self.kind = kind
        self.text = text
        self.when = when
        self.by = by
    }
}

/// What became of a report: the signed report and where it was routed.
public struct ReportReceipt: Sendable {
    public let event: Event
    /// Empty: no known body serves the place and category yet; the report waits unrouted.
    public let recipients: [RoutedTo]

    public var id: EventID { event.id }

    /// One body the report was routed to, and why.
    public struct RoutedTo: Sendable, Equatable {
        public let node: NodeID
        public let name: String
        public let reason: String
    }
}
