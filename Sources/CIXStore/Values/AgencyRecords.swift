/// An issue a body has a part in, as its figures need it.
package struct AgencyPartRow: Sendable, Equatable {
    package let issue: String
    package let category: String?
    package let reportedAt: Int64
    /// Routed to it, taken by it or accepted, and not in a final status.
    package let isOpen: Bool
    /// Where the report is (nil when redacted), for figures by area.
    package let latitude: Double?
    package let longitude: Double?

    package init(
        issue: String,
        category: String?,
        reportedAt: Int64,
        isOpen: Bool,
        latitude: Double? = nil,
        longitude: Double? = nil
    ) {
        self.issue = issue
        self.category = category
        self.reportedAt = reportedAt
        self.isOpen = isOpen
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// An applied accept, decline or status of an agency (the `agency_answer` projection).
package struct AgencyAnswer: Sendable, Equatable {
    package let issue: String
    /// `accept`, `decline` or `status`.
    package let kind: String
    /// The status set, for `status`.
    package let state: String?
    /// The event's own time.
    package let at: Int64

    package init(issue: String, kind: String, state: String?, at: Int64) {
        self.issue = issue
        self.kind = kind
        self.state = state
        self.at = at
    }
}
