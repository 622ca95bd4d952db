import Foundation

/// Filters, order and paging for listing issues.
package struct IssueQuery: Sendable {
    /// How a list is ordered.
    package enum Order: String, Sendable, CaseIterable {
        /// Most recently changed first.
        case updated
        /// Most recently reported first.
        case reported
        /// Most confirmed first.
        case confirmations
    }

    /// Overall status (`OverallStatus` raw value), or nil for any.
    package var status: String?
    package var category: String?
    /// Issues in which this node has a part.
    package var agency: String?
    /// With `agency`: only issues where its part has one of these roles (`IssueState.AgencyPart.Role` raw values).
    package var agencyRoles: [String]?
    /// With `agency`: only issues where its part has one of these statuses (`AgencyStatus` raw values).
    package var agencyStatuses: [String]?
    /// Staff work: only cases that one of these scopes reaches (an empty list matches none).
    package var scopes: [CaseScope]?
    /// Only issues located in this named area (`[staff] areas_file`).
    package var inArea: String?
    /// Full-text search over titles, descriptions and contributions (FTS5 syntax is not exposed: words are ANDed).
    package var text: String?
    /// Only issues this origin has not routed yet (the unrouted queue).
    package var unroutedFrom: String?
    /// Only this issue.
    package var issue: String?
    /// Only issues marked as duplicates of this one.
    package var duplicatesOf: String?
    /// Only issues reported within [reportedFrom, reportedTo] (Unix seconds, the report's own time).
    package var reportedFrom: Int64?
    package var reportedTo: Int64?
    /// Only issues located inside this box.
    package var area: BoundingBox?
    package var order: Order
    /// Staff work: only cases assigned to one of these logins (a person, or a team), or
    /// (`unassigned`) to nobody.
    package var assignedTo: [String]?
    /// Staff work: only cases of this priority (`CasePriority` raw value; `normal`: none set).
    package var priority: String?
    package var unassigned = false
    /// Staff work, for a person who may not see restricted cases: leaves out the cases
    /// marked restricted, except those assigned to this login.
    package var needToKnow: String?
    /// With agency roles or statuses: the parts are many (the caller counted them), so walk
    /// the order and look each issue's part up, rather than gather every part first.
    package var agencyPartsAreMany = false
    /// Oldest report first, instead of `order` (the staff inbox works from the oldest).
    package var oldestFirst = false
    package var limit: Int
    package var offset: Int

    package init(
        status: String? = nil,
        category: String? = nil,
        agency: String? = nil,
        text: String? = nil,
        unroutedFrom: String? = nil,
        issue: String? = nil,
        reportedFrom: Int64? = nil,
        reportedTo: Int64? = nil,
        area: BoundingBox? = nil,
        order: Order = .updated,
        limit: Int = 50,
        offset: Int = 0
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

extension IssueQuery {
    /// Whether `other` filters by nothing but what this query does, apart from its
    /// agency roles and statuses (and its order and page).
    package func sameFilters(as other: IssueQuery) -> Bool {
        status == other.status && category == other.category && agency == other.agency && text == other.text
            && unroutedFrom == other.unroutedFrom && issue == other.issue && duplicatesOf == other.duplicatesOf
            && reportedFrom == other.reportedFrom
            && reportedTo == other.reportedTo && area == other.area && scopes == other.scopes && inArea == other.inArea
            && assignedTo == other.assignedTo && priority == other.priority && unassigned == other.unassigned
            && needToKnow == other.needToKnow
    }
}

/// A WGS84 box: south-west and north-east corners, in degrees. As in
/// RFC 7946, a box whose west edge lies east of its east edge crosses the
/// antimeridian (it holds longitudes from west to 180 and from -180 to east).
package struct BoundingBox: Sendable, Equatable {
    package let west: Double
    package let south: Double
    package let east: Double
    package let north: Double

    /// Nil unless every corner is in range; south and north are put in order.
    package init?(west: Double, south: Double, east: Double, north: Double) {
        guard (-180...180).contains(west), (-180...180).contains(east), (-90...90).contains(south),
            (-90...90).contains(north)
        else { return nil }
        self.west = west
        self.south = min(south, north)
        self.east = east
        self.north = max(south, north)
    }

    /// From `west,south,east,north` (the order GeoJSON and Atom readers use),
    /// each a plain decimal (`-?D(.D+)?`) whose whole part has at most three
    /// digits for a longitude (a third only as 100 to 180) and two for a latitude.
    /// This is the pattern `Protocol/openapi.yaml` gives, number for number.
    package init?(_ text: String) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 4, Self.isDegrees(parts[0], longitude: true), Self.isDegrees(parts[1], longitude: false),
            Self.isDegrees(parts[2], longitude: true), Self.isDegrees(parts[3], longitude: false)
        else { return nil }
        let numbers = parts.compactMap { Double($0) }
        guard numbers.count == 4 else { return nil }
        self.init(west: numbers[0], south: numbers[1], east: numbers[2], north: numbers[3])
    }

    static func isDegrees(_ text: Substring, longitude: Bool) -> Bool {
        let unsigned = text.hasPrefix("-") ? text.dropFirst() : text
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }) else {
            return false
        }
        let whole = parts[0]
        return whole.count <= 2 || (longitude && whole.count == 3 && whole.hasPrefix("1"))
    }

    /// Whether the box holds the antimeridian rather than the prime meridian between its edges.
    package var crossesAntimeridian: Bool { west > east }

    package var text: String { "\(west),\(south),\(east),\(north)" }

}

/// One line of an issue list.
package struct IssueSummary: Sendable, Equatable {
    package let id: String
    package let origin: String
    package let status: String
    package let category: String?
    package let title: String?
    package let latitude: Double?
    package let longitude: Double?
    package let reportedAt: Int64
    package let updatedAt: Int64
    package let confirmations: Int
    package let comments: Int
    package let solutions: Int
    package let offers: Int

    package init(
        id: String,
        origin: String,
        status: String,
        category: String?,
        title: String?,
        latitude: Double?,
        longitude: Double?,
        reportedAt: Int64,
        updatedAt: Int64,
        confirmations: Int,
        comments: Int,
        solutions: Int,
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
