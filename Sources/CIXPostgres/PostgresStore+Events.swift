import CIXCore
import CIXStore
import Foundation
import PostgresNIO

extension PostgresStore {
    static let storedEventColumns = "seq, id, issue, author, first_seen, source, is_public, bytes"
    /// Events a block does not hide (`BlockList`): by an author not blocked, on an issue not reported by one.
    static let shownEvents = """
        author NOT IN (SELECT node FROM blocked_node) AND issue NOT IN (SELECT issue FROM blocked_issue)
        """

    /// Rows of `storedEventColumns` as stored events.
    static func storedEvents(_ query: PostgresQuery, on connection: PostgresConnection) throws -> [StoredEvent] {
        try connection.rows(query, as: (Int64, String, String, String, Int64, String, Bool, Data).self).map {
            StoredEvent(
                seq: $0.0,
                id: $0.1,
                issue: $0.2,
                author: $0.3,
                firstSeen: Timestamp(secondsSinceEpoch: $0.4),
                source: $0.5,
                isPublic: $0.6,
                bytes: Array($0.7)
            )
        }
    }

    package func events(after seq: Int64, limit: Int) throws(StoreError) -> [StoredEvent] {
        try read("reading events") { connection in
            try Self.storedEvents(
                "SELECT \(unescaped: Self.storedEventColumns) FROM event WHERE seq > \(seq) ORDER BY seq LIMIT \(limit)",
                on: connection
            )
        }
    }

    package func events(ofIssue issue: EventID) throws(StoreError) -> [StoredEvent] {
        try read("reading an issue's events") { connection in
            try Self.storedEvents(
                """
                SELECT \(unescaped: Self.storedEventColumns) FROM event
                WHERE issue = \(issue.hex) AND \(unescaped: Self.shownEvents) ORDER BY depth, id
                """,
                on: connection
            )
        }
    }

    package func event(_ id: EventID) throws(StoreError) -> StoredEvent? {
        try read("reading an event") { connection in
            try Self.storedEvents(
                "SELECT \(unescaped: Self.storedEventColumns) FROM event WHERE id = \(id.hex)",
                on: connection
            ).first
        }
    }

    package func events(
        kinds: [EventKind],
        seenFrom from: Timestamp,
        to: Timestamp,
        limit: Int
    ) throws(StoreError) -> [StoredEvent] {
        try read("reading updates") { connection in
            try Self.storedEvents(
                """
                SELECT \(unescaped: Self.storedEventColumns) FROM event
                WHERE kind = ANY(\(kinds.map(\.rawValue))) AND first_seen BETWEEN \(from.secondsSinceEpoch)
                    AND \(to.secondsSinceEpoch) AND is_public AND \(unescaped: Self.shownEvents)
                ORDER BY seq LIMIT \(limit)
                """,
                on: connection
            )
        }
    }

    package func forEachIssue(_ visit: ([StoredEvent]) throws -> Void) throws(StoreError) {
        // Issues a page at a time, each with its events: bounded memory however large the log.
        var after = ""
        while true {
            let issues = try read("listing issues") { connection in
                try connection.rows(
                    "SELECT DISTINCT issue FROM event WHERE issue > \(after) ORDER BY issue LIMIT 500",
                    as: String.self
                )
            }
            guard let last = issues.last else { return }
            let events = try read("reading issues' events") { connection in
                try Self.storedEvents(
                    """
                    SELECT \(unescaped: Self.storedEventColumns) FROM event
                    WHERE issue = ANY(\(issues)) ORDER BY issue, depth, id
                    """,
                    on: connection
                )
            }
            do {
                for (_, group) in Dictionary(grouping: events, by: \.issue).sorted(by: { $0.key < $1.key }) {
                    try visit(group)
                }
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError.backend("visiting issues", cause: PostgresFailure(error), storageFault: false)
            }
            after = last
        }
    }

    package func lastSequence() throws(StoreError) -> Int64 {
        try read("reading the log's end") { connection in
            try connection.value("SELECT coalesce(max(seq), 0) FROM event", as: Int64.self) ?? 0
        }
    }

    /// The events are counted from each author's kept count of public events (a row an author)
    /// and the events that are not public (few, through their own index), and the issues read
    /// from their kept count (`issue_count`), not by passes over a log of perhaps hundreds of
    /// millions: `/metrics` asks at every scrape.
    package func counts() throws(StoreError) -> (events: Int, issues: Int, pending: Int) {
        try read("counting") { connection in
            try connection.rows(
                """
                SELECT (SELECT coalesce(sum(count), 0) FROM reconcile_author)::int8
                        + (SELECT count(*) FROM event WHERE NOT is_public),
                    (SELECT count FROM issue_count), (SELECT count(*) FROM pending_event)
                """,
                as: (Int, Int, Int).self
            ).first ?? (0, 0, 0)
        }
    }

    package func pendingCount() throws(StoreError) -> Int {
        try read("counting waiting events") { connection in
            try connection.value("SELECT count(*) FROM pending_event", as: Int.self) ?? 0
        }
    }

    /// The log's last sequence number: a sequence never hands out a number twice, so it only grows.
    package func changeCounter() throws(StoreError) -> Int64 { try lastSequence() }

    package func resolveEvent(_ prefix: String) throws(StoreError) -> EventID? {
        try resolve(prefix, in: "event")
    }

    /// The one id in `table` starting with `prefix` (6+ hex digits), if exactly one does.
    func resolve(_ prefix: String, in table: String) throws(StoreError) -> EventID? {
        guard prefix.count >= 6, prefix.allSatisfy(\.isHexDigit) else { return nil }
        let matches = try read("resolving an id") { connection in
            try connection.rows(
                "SELECT id FROM \(unescaped: table) WHERE id >= \(prefix) AND id < \(prefix + "g") ORDER BY id LIMIT 2",
                as: String.self
            )
        }
        return matches.count == 1 ? EventID(matches[0]) : nil
    }

    package func expirePending(before cutoff: Timestamp) throws(StoreError) -> [EventID] {
        try write("expiring events that waited too long for parents") { connection in
            try connection.rows(
                """
                DELETE FROM pending_event WHERE id IN (
                    SELECT id FROM pending_event WHERE first_seen < \(cutoff.secondsSinceEpoch)
                    ORDER BY first_seen LIMIT 10000)
                RETURNING id
                """,
                as: String.self
            ).compactMap(EventID.init)
        }
    }

    package func missingParents(limit: Int) throws(StoreError) -> [(parent: EventID, source: String)] {
        try read("listing missing parents") { connection in
            try connection.rows(
                """
                SELECT parent, source FROM (
                    SELECT waiting.parent, pending_event.source,
                        min(pending_event.first_seen) OVER (PARTITION BY waiting.parent) AS since,
                        row_number() OVER (PARTITION BY waiting.parent ORDER BY pending_event.first_seen) AS n
                    FROM pending_event, unnest(pending_event.missing) AS waiting (parent)
                    WHERE NOT EXISTS (SELECT 1 FROM event WHERE event.id = waiting.parent)
                ) AS wanted WHERE n = 1 ORDER BY since, parent LIMIT \(limit)
                """,
                as: (String, String).self
            ).compactMap { row in EventID(row.0).map { ($0, row.1) } }
        }
    }

    package func visitReconcilableIDs(
        from lower: String?,
        below upper: String?,
        sharedWith peer: NodeID?,
        holder: NodeID,
        authors: [NodeID]?,
        pageSize: Int,
        counted: (Int) -> Void,
        visit: (String) -> Void
    ) throws(StoreError) {
        let pageSize = max(1, pageSize)
        try readSnapshot("listing events to reconcile") { connection in
            // Without blocks (the usual case) the public ids come from `event_reconcilable` alone.
            let blocks =
                try connection.value(
                    "SELECT EXISTS (SELECT 1 FROM blocked_node) OR EXISTS (SELECT 1 FROM blocked_issue)",
                    as: Bool.self
                ) ?? true
            // Ids compare in byte order ("C"), which that index keeps.
            func query(
                _ select: String,
                public isPublic: Bool,
                after: String? = nil,
                limit: Int? = nil
            ) -> PostgresQuery {
                var sql = SQLBuilder()
                var conditions = [isPublic ? "is_public" : "NOT is_public"]
                if blocks { conditions.append(Self.shownEvents) }
                // One author's public ids are one range of `event_public_by_author`.
                if let authors {
                    conditions.append("author IN (\(authors.map { sql.bind($0.hex) }.joined(separator: ", ")))")
                }
                if let lower { conditions.append("id COLLATE \"C\" >= \(sql.bind(lower))") }
                if let upper { conditions.append("id COLLATE \"C\" < \(sql.bind(upper))") }
                if let after { conditions.append("id COLLATE \"C\" > \(sql.bind(after))") }
                sql.append("SELECT \(select) FROM event WHERE " + conditions.joined(separator: " AND "))
                if let limit { sql.append(" ORDER BY id COLLATE \"C\" LIMIT \(limit)") }
                return PostgresQuery(unsafeSQL: sql.sql, binds: sql.bindings)
            }
            let partnerOnly =
                peer == nil
                ? []
                : ReconcilableIDs.partnerOnly(
                    try connection.rows(query("id, bytes", public: false), as: (String, Data).self).map {
                        (id: $0.0, bytes: Array($0.1))
                    },
                    sharedWith: peer,
                    holder: holder
                )
            let count = try connection.value(query("count(*)", public: true), as: Int.self) ?? 0
            counted(count + partnerOnly.count)
            try ReconcilableIDs.visit(
                pages: { after in
                    try connection.rows(
                        query("id", public: true, after: after, limit: pageSize),
                        as: String.self
                    )
                },
                pageSize: pageSize,
                partnerOnly: partnerOnly,
                visit
            )
        }
    }
}
