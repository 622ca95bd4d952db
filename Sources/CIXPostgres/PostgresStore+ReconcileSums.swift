import CIXCore
import CIXStore
import Foundation
import PostgresNIO

/// Kept sums for set reconciliation's `sum` fingerprints (`reconcile_bucket`, migration v7): for
/// each two-byte prefix of the id space, how many public events it holds and the sums of their ids'
/// eight 32-bit limbs, kept by a trigger on every append. A range's count and sum are those of the
/// prefixes it holds whole plus the ids of the stretches at its two ends, so the whole set's cost
/// 65,536 rows at most however long the log; then partner-only events both sides may hold are added
/// and events a block hides taken away, both read from their own (small) indexes.
extension PostgresStore {
    /// Prefixes of the id space that keep sums: the first two bytes of an id.
    static let prefixes = 65_536

    /// The first id under `prefix`; nil past the last.
    static func start(ofPrefix prefix: Int) -> String? {
        prefix >= prefixes ? nil : String(format: "%04x", prefix) + String(repeating: "0", count: 60)
    }

    /// A range cut into the stretch of ids before the first prefix it holds whole, those prefixes, and
    /// the stretch after them (a range inside one or two prefixes is one stretch).
    struct PrefixCut {
        typealias Stretch = (lower: String?, upper: String?)
        var head: Stretch?
        var whole: Range<Int> = 0..<0
        var tail: Stretch?

        init(lower: String?, upper: String?) {
            let lowest = lower.map { Int($0.prefix(4), radix: 16) ?? 0 } ?? 0
            let first = lower == nil || lower == PostgresStore.start(ofPrefix: lowest) ? lowest : lowest + 1
            // Every prefix below the upper bound's is whole; the upper bound's own is not.
            let end = upper.map { Int($0.prefix(4), radix: 16) ?? 0 } ?? PostgresStore.prefixes
            guard first < end else {
                head = (lower, upper)
                return
            }
            whole = first..<end
            if first != lowest { head = (lower, PostgresStore.start(ofPrefix: first)) }
            if let upper, upper != PostgresStore.start(ofPrefix: end) {
                tail = (PostgresStore.start(ofPrefix: end), upper)
            }
        }

        var stretches: [Stretch] { [head, tail].compactMap { $0 } }
    }

    /// Where sums are kept: per two-byte prefix of the id space (`reconcile_bucket`), and per author
    /// (`reconcile_author`, for sets narrowed to some authors' events).
    enum KeptSums: CaseIterable {
        case prefixes, authors

        var table: String { self == .prefixes ? "reconcile_bucket" : "reconcile_author" }
        var key: String { self == .prefixes ? "prefix" : "author" }

        /// Each key's count and limb sums worked out from the log (what the triggers keep).
        var fromTheLog: String {
            """
            SELECT \(self == .prefixes ? "cix_id_prefix(id)" : "author") AS \(key), count(*) AS count,
                sum(cix_id_limb(id, 0)) AS l0, sum(cix_id_limb(id, 1)) AS l1, sum(cix_id_limb(id, 2)) AS l2,
                sum(cix_id_limb(id, 3)) AS l3, sum(cix_id_limb(id, 4)) AS l4, sum(cix_id_limb(id, 5)) AS l5,
                sum(cix_id_limb(id, 6)) AS l6, sum(cix_id_limb(id, 7)) AS l7
            FROM event WHERE is_public GROUP BY 1
            """
        }
    }

    /// How many keys' kept sums disagree with the log (a pass over it: for the storage check).
    static func disagreeingKeptSums(_ kept: KeptSums, on connection: PostgresConnection) throws -> Int {
        let columns = ["count"] + (0..<8).map { "l\($0)" }
        return try connection.value(
            PostgresQuery(
                unsafeSQL: """
                    SELECT count(*) FROM (\(kept.fromTheLog)) AS actual
                    FULL JOIN (SELECT * FROM \(kept.table) WHERE count <> 0) AS kept USING (\(kept.key))
                    WHERE (\(columns.map { "actual.\($0)" }.joined(separator: ", ")))
                        IS DISTINCT FROM (\(columns.map { "kept.\($0)" }.joined(separator: ", ")))
                    """
            ),
            as: Int.self
        ) ?? 0
    }

    /// Works the kept sums out again from the log (the storage repair's, after damage).
    static func rebuildKeptSums(on connection: PostgresConnection) throws {
        for kept in KeptSums.allCases {
            try connection.run(PostgresQuery(unsafeSQL: "DELETE FROM \(kept.table)"))
            try connection.run(
                PostgresQuery(
                    unsafeSQL: "INSERT INTO \(kept.table) (\(kept.key), count, l0, l1, l2, l3, l4, l5, l6, l7) "
                        + kept.fromTheLog
                )
            )
        }
    }

    package func reconcilableSums(
        of ranges: [(lower: String?, upper: String?)],
        sharedWith peer: NodeID?,
        holder: NodeID,
        authors: [NodeID]?
    ) throws(StoreError) -> [(count: Int, sum: IDSum)]? {
        guard let first = ranges.first, let last = ranges.last else { return [] }
        // Narrowed to some authors, sums are kept for each author's whole set only.
        if authors != nil, ranges.count != 1 || first.lower != nil || first.upper != nil { return nil }
        return try readSnapshot("summing events to reconcile") { connection in
            var sums = try ranges.map { range in
                if let authors { return try Self.keptSum(of: authors, on: connection) }
                return try Self.keptSum(range, on: connection)
            }
            let (added, hidden) = try Self.exceptions(
                from: first.lower,
                below: last.upper,
                sharedWith: peer,
                holder: holder,
                authors: authors,
                on: connection
            )
            for (index, range) in ranges.enumerated() {
                func inRange(_ id: String) -> Bool {
                    range.lower.map { id >= $0 } ?? true && range.upper.map { id < $0 } ?? true
                }
                for id in added where inRange(id) {
                    sums[index].count += 1
                    sums[index].sum.add(id: id)
                }
                for id in hidden where inRange(id) {
                    var one = IDSum()
                    one.add(id: id)
                    sums[index].count -= 1
                    sums[index].sum.subtract(one)
                }
            }
            return sums
        }
    }

    package func reconcilableIDs(
        at indexes: [Int],
        from lower: String?,
        below upper: String?,
        sharedWith peer: NodeID?,
        holder: NodeID
    ) throws(StoreError) -> [String]? {
        try readSnapshot("finding ids to split a range") { connection -> [String]? in
            // Positions among the public ids are positions in the set only when nothing can be added
            // or taken away: no block in force, no partner-only event in the range for a signed asker.
            // Asked by existence alone (nothing decoded); otherwise the range is split by a pass.
            var check = SQLBuilder()
            var others = ["EXISTS (SELECT 1 FROM blocked_node)", "EXISTS (SELECT 1 FROM blocked_issue)"]
            if peer != nil {
                others.append("EXISTS (SELECT 1 FROM event WHERE NOT is_public\(Self.bounds((lower, upper), &check)))")
            }
            check.append("SELECT " + others.joined(separator: " OR "))
            let exceptions = try connection.value(
                PostgresQuery(unsafeSQL: check.sql, binds: check.bindings),
                as: Bool.self
            )
            guard exceptions == false else { return nil }
            // The range's ids in order are its stretches' and whole prefixes' ids, segment by segment.
            let cut = PrefixCut(lower: lower, upper: upper)
            var segments: [(lower: String?, upper: String?, count: Int)] = []
            if let head = cut.head { segments.append((head.lower, head.upper, try Self.count(head, on: connection))) }
            if !cut.whole.isEmpty {
                let counts = try connection.rows(
                    """
                    SELECT prefix, count FROM reconcile_bucket
                    WHERE prefix >= \(cut.whole.lowerBound) AND prefix < \(cut.whole.upperBound) AND count > 0
                    ORDER BY prefix
                    """,
                    as: (Int, Int).self
                )
                for (prefix, count) in counts {
                    segments.append((Self.start(ofPrefix: prefix), Self.start(ofPrefix: prefix + 1), count))
                }
            }
            if let tail = cut.tail { segments.append((tail.lower, tail.upper, try Self.count(tail, on: connection))) }
            var found: [String] = []
            var segment = 0
            var before = 0
            for index in indexes {
                while segment < segments.count, index >= before + segments[segment].count {
                    before += segments[segment].count
                    segment += 1
                }
                guard segment < segments.count,
                    let id = try Self.publicID(
                        at: index - before,
                        from: segments[segment].lower,
                        below: segments[segment].upper,
                        on: connection
                    )
                else { return nil }
                found.append(id)
            }
            return found
        }
    }

    /// The count and sum of the public ids in `range`, from the kept sums of its whole prefixes and
    /// the ids of its end stretches (read from `event_reconcilable` alone).
    static func keptSum(
        _ range: (lower: String?, upper: String?),
        on connection: PostgresConnection
    ) throws -> (count: Int, sum: IDSum) {
        let cut = PrefixCut(lower: range.lower, upper: range.upper)
        var sql = SQLBuilder()
        let limbs = (0..<8).map { "l\($0)" }
        var parts = [
            "SELECT count AS n, \(limbs.joined(separator: ", ")) FROM reconcile_bucket "
                + "WHERE prefix >= \(cut.whole.lowerBound) AND prefix < \(cut.whole.upperBound)"
        ]
        for stretch in cut.stretches {
            parts.append(
                "SELECT 1, \((0..<8).map { "cix_id_limb(id, \($0))" }.joined(separator: ", ")) FROM event WHERE is_public"
                    + bounds(stretch, &sql)
            )
        }
        return try totals(of: parts.joined(separator: " UNION ALL "), sql, on: connection)
    }

    /// The count and sum of the public ids of `authors`, from their kept rows.
    static func keptSum(of authors: [NodeID], on connection: PostgresConnection) throws -> (count: Int, sum: IDSum) {
        var sql = SQLBuilder()
        let named = authors.map { sql.bind($0.hex) }.joined(separator: ", ")
        let limbs = (0..<8).map { "l\($0)" }.joined(separator: ", ")
        return try totals(
            of: "SELECT count AS n, \(limbs) FROM reconcile_author WHERE author IN (\(named))",
            sql,
            on: connection
        )
    }

    /// Adds up the rows of `parts` (a count `n` and limb sums `l0`…`l7` each), binds in `sql`.
    static func totals(
        of parts: String,
        _ sql: SQLBuilder,
        on connection: PostgresConnection
    ) throws -> (count: Int, sum: IDSum) {
        var sql = sql
        let totals = (["n"] + (0..<8).map { "l\($0)" }).map { "coalesce(sum(\($0)), 0)" }.joined(separator: ", ")
        sql.append("SELECT concat_ws(',', \(totals)) FROM (\(parts)) AS kept")
        let text = try connection.value(PostgresQuery(unsafeSQL: sql.sql, binds: sql.bindings), as: String.self) ?? ""
        let fields = text.split(separator: ",").map(String.init)
        guard fields.count == 9, let count = Int(fields[0]) else {
            throw StoreError.corrupt("the kept sums of a range read as \(text.prefix(200))")
        }
        var sum = IDSum()
        for limb in 0..<8 {
            guard let value = UInt128(fields[limb + 1]) else {
                throw StoreError.corrupt("a kept limb sum read as \(fields[limb + 1].prefix(60))")
            }
            sum.add(limbSum: value, limb: limb)
        }
        return (count, sum)
    }

    /// What the set holds beside the public ids a block does not hide, from `lower` below `upper`:
    /// the partner-only ids both sides may hold (added), and the public ids a block hides (taken away).
    static func exceptions(
        from lower: String?,
        below upper: String?,
        sharedWith peer: NodeID?,
        holder: NodeID,
        authors: [NodeID]? = nil,
        on connection: PostgresConnection
    ) throws -> (added: [String], hidden: [String]) {
        func narrowed(_ sql: inout SQLBuilder) -> String {
            guard let authors else { return "" }
            return " AND author IN (\(authors.map { sql.bind($0.hex) }.joined(separator: ", ")))"
        }
        let blocks =
            try connection.value(
                "SELECT EXISTS (SELECT 1 FROM blocked_node) OR EXISTS (SELECT 1 FROM blocked_issue)",
                as: Bool.self
            ) ?? true
        var added: [String] = []
        if peer != nil {
            var sql = SQLBuilder()
            sql.append(
                "SELECT id, bytes FROM event WHERE NOT is_public" + bounds((lower, upper), &sql) + narrowed(&sql)
                    + (blocks ? " AND \(shownEvents)" : "")
            )
            let rows = try connection.rows(
                PostgresQuery(unsafeSQL: sql.sql, binds: sql.bindings),
                as: (String, Data).self
            )
            added = ReconcilableIDs.partnerOnly(
                rows.map { (id: $0.0, bytes: Array($0.1)) },
                sharedWith: peer,
                holder: holder
            )
        }
        guard blocks else { return (added, []) }
        var sql = SQLBuilder()
        let range = bounds((lower, upper), &sql) + narrowed(&sql)
        sql.append(
            """
            SELECT id FROM event WHERE is_public AND author IN (SELECT node FROM blocked_node)\(range)
            UNION SELECT id FROM event WHERE is_public AND issue IN (SELECT issue FROM blocked_issue)\(range)
            """
        )
        let hidden = try connection.rows(PostgresQuery(unsafeSQL: sql.sql, binds: sql.bindings), as: String.self)
        return (added, hidden)
    }

    /// How many public ids lie in `range`.
    static func count(_ range: (lower: String?, upper: String?), on connection: PostgresConnection) throws -> Int {
        var sql = SQLBuilder()
        sql.append("SELECT count(*) FROM event WHERE is_public" + bounds(range, &sql))
        return try connection.value(PostgresQuery(unsafeSQL: sql.sql, binds: sql.bindings), as: Int.self) ?? 0
    }

    /// The public id at `offset` (from 0) among those from `lower` below `upper`, in byte order.
    static func publicID(
        at offset: Int,
        from lower: String?,
        below upper: String?,
        on connection: PostgresConnection
    ) throws -> String? {
        var sql = SQLBuilder()
        sql.append(
            "SELECT id FROM event WHERE is_public" + bounds((lower, upper), &sql)
                + " ORDER BY id COLLATE \"C\" OFFSET \(max(0, offset)) LIMIT 1"
        )
        return try connection.value(PostgresQuery(unsafeSQL: sql.sql, binds: sql.bindings), as: String.self)
    }

    /// ` AND id >= lower AND id < upper` in byte order (the order `event_reconcilable` keeps), bound in `sql`.
    static func bounds(_ range: (lower: String?, upper: String?), _ sql: inout SQLBuilder) -> String {
        var text = ""
        if let lower = range.lower { text += " AND id COLLATE \"C\" >= \(sql.bind(lower))" }
        if let upper = range.upper { text += " AND id COLLATE \"C\" < \(sql.bind(upper))" }
        return text
    }
}
