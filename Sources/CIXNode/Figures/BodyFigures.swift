import CIXCore
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
    /// One category's figures (or every category's, as `total`).
    package struct Row: Sendable, Equatable {
        package let category: String
        package var received = 0
        package var accepted = 0
        package var declined = 0
        package var fixed = 0
        /// Open parts by the report's age, one count per `BodyFigures.ages` band.
        package var open = Array(repeating: 0, count: BodyFigures.ages.count)
        package var daysToAccept: [Double] = []
        package var daysToFix: [Double] = []

        package init(category: String) { self.category = category }

        package var medianDaysToAccept: Double? { BodyFigures.median(daysToAccept) }
        package var medianDaysToFix: Double? { BodyFigures.median(daysToFix) }
        package var openTotal: Int { open.reduce(0, +) }
    }

    /// Age bands of open reports: label and upper bound in days (nil: no bound).
    package static let ages: [(label: String, days: Int64?)] = [
        ("under a week", 7), ("1 to 4 weeks", 28), ("1 to 3 months", 91), ("over 3 months", nil),
    ]

    package let from: Int64
    package let to: Int64
    package let rows: [Row]
    package let total: Row

    /// `parts`: every issue the body has a part in; `answers`: the body's applied accept,
    /// decline and status events; `categories`: only these, if given (a scoped reader).
    package static func compute(
        parts: [AgencyPartRow],
        answers: [AgencyAnswer],
        from: Int64,
        to: Int64,
        now: Int64,
        categories: Set<String>? = nil
    ) -> BodyFigures {
        var rows: [String: Row] = [:]
        func key(_ category: String?) -> String { category ?? "uncategorised" }
        let byIssue = Dictionary(parts.map { ($0.issue, $0) }, uniquingKeysWith: { first, _ in first })
        func visible(_ part: AgencyPartRow) -> Bool {
            categories.map { part.category.map($0.contains) ?? false } ?? true
        }
        for part in parts where visible(part) {
            let name = key(part.category)
            var row = rows[name] ?? Row(category: name)
            if (from...to).contains(part.reportedAt) { row.received += 1 }
            if part.isOpen {
                let days = (now - part.reportedAt) / 86_400
                let band = ages.firstIndex { $0.days.map { days < $0 } ?? true } ?? ages.count - 1
                row.open[band] += 1
            }
            rows[name] = row
        }
        for answer in answers {
            guard (from...to).contains(answer.at), let part = byIssue[answer.issue], visible(part) else { continue }
            let name = key(part.category)
            var row = rows[name] ?? Row(category: name)
            let days = Double(answer.at - part.reportedAt) / 86_400
            switch (answer.kind, answer.state) {
            case ("accept", _):
                row.accepted += 1
                row.daysToAccept.append(days)
            case ("decline", _):
                row.declined += 1
            case ("status", AgencyStatus.fixed.rawValue?):
                row.fixed += 1
                row.daysToFix.append(days)
            default:
                continue
            }
            rows[name] = row
        }
        let sorted = rows.values.sorted { $0.category < $1.category }
        var total = Row(category: "all")
        for row in sorted {
            total.received += row.received
            total.accepted += row.accepted
            total.declined += row.declined
            total.fixed += row.fixed
            for band in 0..<ages.count { total.open[band] += row.open[band] }
            total.daysToAccept += row.daysToAccept
            total.daysToFix += row.daysToFix
        }
        return BodyFigures(from: from, to: to, rows: sorted, total: total)
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The figures as CSV: a header, one line per category, then `all`.
    package var csv: String {
        let header =
            ["category", "received", "accepted", "declined", "fixed"] + Self.ages.map { "open " + $0.label }
            + ["median days to accept", "median days to fix"]
        func line(_ row: Row) -> String {
            let numbers = [row.received, row.accepted, row.declined, row.fixed] + row.open
            let medians = [row.medianDaysToAccept, row.medianDaysToFix].map {
                $0.map { String(format: "%.1f", $0) } ?? ""
            }
            return ([row.category] + numbers.map(String.init) + medians).joined(separator: ",")
        }
        return ([header.joined(separator: ",")] + (rows + [total]).map(line)).joined(separator: "\r\n") + "\r\n"
    }
}

extension LocalNode {
    /// This node's own figures as a body, from its store's projections.
    package func figures(
        from: Int64,
        to: Int64,
        now: Int64,
        categories: Set<String>? = nil
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
                categories: categories
            )
        } catch {
            throw NodeError(error)
        }
    }
}
