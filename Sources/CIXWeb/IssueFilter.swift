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

    /// Reads known parameters; values that do not parse are refused with a message, so a
    /// bad link says what is wrong instead of silently showing everything.
    package init(_ parameters: [String: String]) throws(WebError) {
        func value(_ name: String) -> String? {
            guard let raw = parameters[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
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
        if let text = value("q") {
            guard text.count <= 200 else { throw WebError(400, "search text may be at most 200 characters") }
            self.text = text
        }
        if let box = value("bbox") {
            guard let area = BoundingBox(box) else {
                throw WebError(400, "bbox must be west,south,east,north in degrees, west ≤ east and south ≤ north")
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
        if let page = value("page") {
            guard let number = Int(page), (1...10_000).contains(number) else {
                throw WebError(400, "page must be 1 to 10000")
            }
            self.page = number
        }
        if let limit = value("limit") {
            guard let number = Int(limit), (1...Self.maxPerPage).contains(number) else {
                throw WebError(400, "limit must be 1 to \(Self.maxPerPage)")
            }
            self.perPage = number
        }
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
