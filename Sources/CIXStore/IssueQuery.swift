/// Filters and paging for listing issues.
public struct IssueQuery: Sendable {
    /// Overall status (`OverallStatus` raw value), or nil for any.
    public var status: String?
    public var category: String?
    /// Issues in which this node has a part.
    public var agency: String?
    /// Full-text search over titles, descriptions and contributions (FTS5 syntax is not exposed: words are ANDed).
    public var text: String?
    /// Only issues this origin has not routed yet (the unrouted queue).
    public var unroutedFrom: String?
    /// Only this issue.
    public var issue: String?
    /// Only issues reported within [reportedFrom, reportedTo] (Unix seconds, the report's own time).
    public var reportedFrom: Int64?
    public var reportedTo: Int64?
    public var limit: Int
    public var offset: Int

    public init(
        status: String? = nil, category: String? = nil, agency: String? = nil, text: String? = nil,
        unroutedFrom: String? = nil, issue: String? = nil, reportedFrom: Int64? = nil, reportedTo: Int64? = nil,
        limit: Int = 50, offset: Int = 0
    ) {
        self.issue = issue
        self.reportedFrom = reportedFrom
        self.reportedTo = reportedTo
        self.unroutedFrom = unroutedFrom
        self.status = status
        self.category = category
        self.agency = agency
        self.text = text
        self.limit = limit
        self.offset = offset
    }
}

/// One line of an issue list.
public struct IssueSummary: Sendable, Equatable {
    public let id: String
    public let origin: String
    public let status: String
    public let category: String?
    public let title: String?
    public let latitude: Double?
    public let longitude: Double?
    public let reportedAt: Int64
    public let updatedAt: Int64
    public let confirmations: Int
    public let comments: Int
    public let solutions: Int
    public let offers: Int
}
