import CIXCore
import CIXRouting
import CIXStore
import Foundation

/// The filters, order and page a resident chose, read from a query string and
/// written back into links, feeds and API addresses.
package struct IssueFilter: Sendable, Equatable {
    package var status: String?
    package var category: String?
    package var agency: String?
    package var text: String?
    package var area: BoundingBox?
    package var order: IssueQuery.Order = .updated
    /// 1-based.
    package var page = 1
    package var perPage = 25

    package static let maxPerPage = 200
    package static let statuses = ["open", "acknowledged", "in_progress", "fixed", "closed", "declined", "duplicate"]

    package init() {}

    /// Reads known parameters exactly as `Protocol/openapi.yaml` defines them, so a
    /// bad link says what is wrong instead of silently showing everything. An
    /// empty value means "any" (the filter form sends one for each unset choice).
    package init(_ parameters: [String: String]) throws(WebError) {
        func value(_ name: String) -> String? {
            guard let raw = parameters[name], !raw.isEmpty else { return nil }
            return raw
        }
        if let status = value("status") {
            guard Self.statuses.contains(status) else { throw WebError(400, "unknown status “\(status)”") }
            self.status = status
        }
        if let category = value("category") {
            guard Taxonomy.category(category) != nil else { throw WebError(400, "unknown category “\(category)”") }
            self.category = category
        }
        if let agency = value("agency") {
            guard NodeID(agency) != nil else { throw WebError(400, "agency must be a node id (64 hex digits)") }
            self.agency = agency
        }
        if let text = parameters["q"] {
            guard text.unicodeScalars.count <= Self.maxSearchLength else {
                throw WebError(400, "search text may be at most \(Self.maxSearchLength) characters")
            }
            let words = text.trimmingCharacters(in: .whitespacesAndNewlines)
            self.text = words.isEmpty ? nil : words
        }
        if let box = value("bbox") {
            guard let area = BoundingBox(box) else {
                throw WebError(
                    400,
                    "bbox must be west,south,east,north: four decimal numbers of degrees, longitudes -180 to 180, "
                        + "latitudes -90 to 90"
                )
            }
            self.area = area
        }
        if let sort = value("sort") {
            guard let order = IssueQuery.Order(rawValue: sort) else {
                throw WebError(
                    400,
                    "sort must be one of \(IssueQuery.Order.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            self.order = order
        }
        if let page = parameters["page"] {
            self.page = try Self.whole(page, in: 1...Self.maxPage, "page")
        }
        if let limit = parameters["limit"] {
            self.perPage = try Self.whole(limit, in: 1...Self.maxPerPage, "limit")
        }
    }

    package static let maxPage = 10_000
    /// In Unicode scalars, as JSON Schema's `maxLength` counts.
    package static let maxSearchLength = 200

    /// A whole number written in decimal digits alone, within `range`.
    package static func whole(_ text: String, in range: ClosedRange<Int>, _ name: String) throws(WebError) -> Int {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let number = Int(text),
            range.contains(number)
        else {
            throw WebError(400, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// The store query for this page, asking for one more row than shown to learn whether a next page exists.
    package var query: IssueQuery {
        IssueQuery(
            status: status,
            category: category,
            agency: agency,
            text: text,
            area: area,
            order: order,
            limit: perPage + 1,
            offset: (page - 1) * perPage
        )
    }

    /// The query string for these filters (`?…`, or empty), on another page if given.
    package func queryString(page: Int? = nil, includeOrder: Bool = true) -> String {
        let pageNumber = page ?? self.page
        return URLText.query([
            ("status", status), ("category", category), ("agency", agency), ("q", text), ("bbox", area?.text),
            ("sort", includeOrder && order != .updated ? order.rawValue : nil),
            ("page", pageNumber > 1 ? String(pageNumber) : nil),
            ("limit", perPage != 25 ? String(perPage) : nil),
        ])
    }

    /// The same filters on the first page, for feeds and data downloads.
    package var filtersOnly: String {
        URLText.query([
            ("status", status), ("category", category), ("agency", agency), ("q", text), ("bbox", area?.text),
        ])
    }
}
