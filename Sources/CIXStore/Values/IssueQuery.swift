import Foundation

/// Filters, order and paging for listing issues.
public struct IssueQuery: Sendable {
    /// How a list is ordered.
    public enum Order: String, Sendable, CaseIterable {
        /// Most recently changed first.
        case updated
        /// Most recently reported first.
        case reported
        /// Most confirmed first.
        case confirmations
    }

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
    /// Only issues located inside this box.
    public var area: BoundingBox?
    public var order: Order
    public var limit: Int
    public var offset: Int

    public init(
        status: String? = nil, category: String? = nil, agency: String? = nil, text: String? = nil,
        unroutedFrom: String? = nil, issue: String? = nil, reportedFrom: Int64? = nil, reportedTo: Int64? = nil,
        area: BoundingBox? = nil, order: Order = .updated, limit: Int = 50, offset: Int = 0
    ) {
        self.issue = issue
        self.reportedFrom = reportedFrom
        self.reportedTo = reportedTo
        self.unroutedFrom = unroutedFrom
        self.status = status
        self.category = category
        self.agency = agency
        self.text = text
        self.area = area
        self.order = order
        self.limit = limit
        self.offset = offset
    }
}

/// A WGS84 box: south-west and north-east corners, in degrees. Boxes that
/// cross the antimeridian are not supported (west must not exceed east).
public struct BoundingBox: Sendable, Equatable {
    public let west: Double
    public let south: Double
    public let east: Double
    public let north: Double

    /// Nil unless the corners are in range and ordered.
    public init?(west: Double, south: Double, east: Double, north: Double) {
        guard (-180...180).contains(west), (-180...180).contains(east), (-90...90).contains(south),
            (-90...90).contains(north), west <= east, south <= north
        else { return nil }
        self.west = west
        self.south = south
        self.east = east
        self.north = north
    }

    /// From `west,south,east,north` (the order GeoJSON and Atom readers use).
    public init?(_ text: String) {
        let parts = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 4 else { return nil }
        self.init(west: parts[0], south: parts[1], east: parts[2], north: parts[3])
    }

    public var text: String { "\(west),\(south),\(east),\(north)" }
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

    package init(
        id: String, origin: String, status: String, category: String?, title: String?, latitude: Double?,
        longitude: Double?, reportedAt: Int64, updatedAt: Int64, confirmations: Int, comments: Int, solutions: Int,
        offers: Int
    ) {
        self.id = id
        self.origin = origin
        self.status = status
        self.category = category
        self.title = title
        self.latitude = latitude
        self.longitude = longitude
        self.reportedAt = reportedAt
        self.updatedAt = updatedAt
        self.confirmations = confirmations
        self.comments = comments
        self.solutions = solutions
        self.offers = offers
    }
}
