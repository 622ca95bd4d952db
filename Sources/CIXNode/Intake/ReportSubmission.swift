import CIXCore

/// A report as a resident, an app or a member of staff gives it, before
/// anything is checked: what the web form, Open311, the CLI and the console
/// all hand to `Intake`.
package struct ReportSubmission: Sendable {
    package var title: String
    package var description: String?
    package var category: String
    package var tags: [String]
    package var latitude: Double?
    package var longitude: Double?
    package var address: String?
    /// Radius of uncertainty in metres.
    package var accuracy: Double?
    /// Contact details: kept on this node only, never in an event.
    package var reporterName: String?
    package var reporterEmail: String?
    package var reporterPhone: String?
    /// The resident asked to be e-mailed when a body answers (needs `reporterEmail`).
    package var wantsUpdates = false
    /// The resident agreed that the bodies handling the report may contact them: their
    /// details are sealed to each of those bodies (needs an e-mail address or a phone number).
    package var sharesContact = false
    /// The language the resident reported in: their mails are written in it.
    package var language = Language.english
    /// Photos as uploaded (JPEG or PNG); re-encoded without metadata before anything is kept.
    package var photos: [[UInt8]] = []
    /// What to do with personal data found in the title and description.
    package var screening: ScreeningPolicy = .warn

    package init(
        title: String,
        description: String? = nil,
        category: String,
        tags: [String] = [],
        latitude: Double?,
        longitude: Double?,
        address: String? = nil,
        accuracy: Double? = nil,
        reporterName: String? = nil,
        reporterEmail: String? = nil,
        reporterPhone: String? = nil,
        photos: [[UInt8]] = []
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
package struct ContributionSubmission: Sendable {
    package enum Kind: String, Sendable, CaseIterable {
        case comment, confirm, solution, offer
    }

    package var kind: Kind
    /// The comment, the solution, the confirmation's note, or what help is offered.
    package var text: String?
    /// For an offer: when, and by whom.
    package var when: String?
    package var by: String?

    /// What to do with personal data found in the texts.
    package var screening: ScreeningPolicy = .warn

    package init(_ kind: Kind, text: String?, when: String? = nil, by: String? = nil) {
        self.kind = kind
        self.text = text
        self.when = when
        self.by = by
    }
}

/// What became of a report: the signed report and where it was routed.
package struct ReportReceipt: Sendable {
    package let event: Event
    /// Empty: no known body serves the place and category yet; the report waits unrouted.
    package let recipients: [RoutedTo]
    /// What screening masked before the report was signed, said for the person who sent it.
    package var masked: [IntakeProblem] = []

    package var id: EventID { event.id }

    /// One body the report was routed to, and why.
    package struct RoutedTo: Sendable, Equatable {
        package let node: NodeID
        package let name: String
        package let reason: String
    }
}
