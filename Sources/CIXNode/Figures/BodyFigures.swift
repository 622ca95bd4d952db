import CIXCore
import CIXRouting
import CIXStore

/// A body's figures over a period, per category and in all: what reached
/// it, what it answered and how fast, and what is still open by age. Pure:
/// computed from the body's parts and its applied answers (projections kept
/// at ingest, so a year of a large body reads in one pass); a test counts
/// the same from the raw log, by the definitions below, without this code.
///
/// - received: issues that reached the body (routed to it, or taken by it)
///   and were reported within the period;
/// - accepted, declined: the body's accept and decline events dated within
///   the period;
/// - fixed: the body's status events saying `fixed` dated within the period;
/// - open: the body's parts still routed, taken or accepted and not in a
///   final status now, by the report's age;
/// - median days to accept and to fix: from the report to that event, over
///   the events counted above.
package struct BodyFigures: Sendable, Equatable {
    /// One category's or one area's figures (or all of them, as `total`).
    package struct Row: Sendable, Equatable {
        /// A category code ("uncategorised" for redacted reports), an area's name
        /// (`outside` for reports in no named area), or "all".
        package let name: String
        package var received = 0
        package var accepted = 0
        package var declined = 0
        package var fixed = 0
        /// Open parts by the report's age, one count per `BodyFigures.ages` band.
        package var open = Array(repeating: 0, count: BodyFigures.ages.count)
        package var daysToAccept: [Double] = []
        package var daysToFix: [Double] = []

        package init(name: String) { self.name = name }

        package var medianDaysToAccept: Double? { BodyFigures.median(daysToAccept) }
        package var medianDaysToFix: Double? { BodyFigures.median(daysToFix) }
        package var openTotal: Int { open.reduce(0, +) }
    }

    /// Age bands of open reports: label and upper bound in days (nil: no bound).
    package static let ages: [(label: String, days: Int64?)] = [
        ("under a week", 7), ("1 to 4 weeks", 28), ("1 to 3 months", 91), ("over 3 months", nil),
    ]
    /// The area row of reports in none of the named areas (or without a location).
    package static let outside = ""

    package let from: Int64
    package let to: Int64
    /// By category, in code order.
    package let rows: [Row]
    package let total: Row
    /// By named area, most received first (then most open, then by name), and last the reports
    /// in none of them; empty when the node names no areas. A report in two overlapping
    /// areas counts in both.
    package let areas: [Row]

    /// `parts`: every issue the body has a part in; `answers`: the body's applied accept,
    /// decline and status events; `scopes`: only what these reach, if given (a scoped
    /// reader); `areas`: the node's named areas, for the figures by area.
    package static func compute(
        parts: [AgencyPartRow],
        answers: [AgencyAnswer],
        from: Int64,
        to: Int64,
        now: Int64,
        scopes: [CaseScope]? = nil,
        areas: NamedAreas = .none
    ) -> BodyFigures {
        var byCategory: [String: Row] = [:]
        var byArea: [String: Row] = [:]
        let byIssue = Dictionary(parts.map { ($0.issue, $0) }, uniquingKeysWith: { first, _ in first })
        var placeCache: [String: [String]] = [:]
        func places(_ part: AgencyPartRow) -> [String] {
            if let known = placeCache[part.issue] { return known }
            var names: [String] = []
            if let longitude = part.longitude, let latitude = part.latitude {
                names = areas.names(longitude: longitude, latitude: latitude)
            }
            placeCache[part.issue] = names
            return names
        }
        func visible(_ part: AgencyPartRow) -> Bool {
            guard let scopes else { return true }
            return scopes.contains { scope in
                (scope.categories.map { categories in part.category.map(categories.contains) ?? false } ?? true)
                    && (scope.areas.map { !Set($0).isDisjoint(with: places(part)) } ?? true)
            }
        }
        /// Applies `change` to the part's category row and to each of its area rows.
        func count(_ part: AgencyPartRow, _ change: (inout Row) -> Void) {
            let category = part.category ?? "uncategorised"
            change(&byCategory[category, default: Row(name: category)])
            guard !areas.isEmpty else { return }
            let names = places(part)
            for name in names.isEmpty ? [outside] : names { change(&byArea[name, default: Row(name: name)]) }
        }
        for part in parts where visible(part) {
            let received = (from...to).contains(part.reportedAt)
            let band: Int? =
                part.isOpen
                ? ages.firstIndex { $0.days.map { (now - part.reportedAt) / 86_400 < $0 } ?? true } ?? ages.count - 1
                : nil
            count(part) { row in
                if received { row.received += 1 }
                if let band { row.open[band] += 1 }
            }
        }
        for answer in answers {
            guard (from...to).contains(answer.at), let part = byIssue[answer.issue], visible(part) else { continue }
            let days = Double(answer.at - part.reportedAt) / 86_400
            switch (answer.kind, answer.state) {
            case ("accept", _):
                count(part) { row in
                    row.accepted += 1
                    row.daysToAccept.append(days)
                }
            case ("decline", _):
                count(part) { $0.declined += 1 }
            case ("status", AgencyStatus.fixed.rawValue?):
                count(part) { row in
                    row.fixed += 1
                    row.daysToFix.append(days)
                }
            default:
                continue
            }
        }
        let sorted = byCategory.values.sorted { $0.name < $1.name }
        var total = Row(name: "all")
        for row in sorted {
            total.received += row.received
            total.accepted += row.accepted
            total.declined += row.declined
            total.fixed += row.fixed
            for band in 0..<ages.count { total.open[band] += row.open[band] }
            total.daysToAccept += row.daysToAccept
            total.daysToFix += row.daysToFix
        }
        let named = byArea.values.filter { $0.name != outside }.sorted {
            ($1.received, $1.openTotal, $0.name) < ($0.received, $0.openTotal, $1.name)
        }
        return BodyFigures(
            from: from,
            to: to,
            rows: sorted,
            total: total,
            areas: named + (byArea[outside].map { [$0] } ?? [])
        )
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The figures as CSV: a header, one line per category, then `all`.
    package var csv: String { Self.csv(first: "category", rows + [total]) }

    /// The figures by area as CSV: a header, one line per named area, then `outside` (an empty name).
    package var areasCSV: String { Self.csv(first: "area", areas) }

    static func csv(first: String, _ rows: [Row]) -> String {
        let header =
            [first, "received", "accepted", "declined", "fixed"] + Self.ages.map { "open " + $0.label }
            + ["median days to accept", "median days to fix"]
        func line(_ row: Row) -> String {
            let numbers = [row.received, row.accepted, row.declined, row.fixed] + row.open
            let medians = [row.medianDaysToAccept, row.medianDaysToFix].map {
                $0.map { String(format: "%.1f", $0) } ?? ""
            }
            return ([CSVCell.text(row.name)] + numbers.map(String.init) + medians).joined(separator: ",")
        }
        return ([header.joined(separator: ",")] + rows.map(line)).joined(separator: "\r\n") + "\r\n"
    }

}

extension LocalNode {
    /// This node's own figures as a body, from its store's projections.
    package func figures(
        from: Int64,
        to: Int64,
        now: Int64,
        scopes: [CaseScope]? = nil
    ) throws(NodeError)
        -> BodyFigures
    {
        do {
            return BodyFigures.compute(
                parts: try store.agencyParts(node: id.hex),
                answers: try store.agencyAnswers(author: id.hex, from: from, to: to),
                from: from,
                to: to,
                now: now,
                scopes: scopes,
                areas: areas
            )
        } catch {
            throw NodeError(error)
        }
    }
}
