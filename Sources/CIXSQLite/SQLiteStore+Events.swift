import CIXCore
import CIXStore
import Foundation
import GRDB

extension StoredEvent {
    init(row: Row) {
        let data: Data = row["bytes"]
        self.init(
            seq: row["seq"],
            id: row["id"],
            issue: row["issue"],
            author: row["author"],
            firstSeen: Timestamp(secondsSinceEpoch: row["first_seen"]),
            source: row["source"],
            isPublic: row["is_public"],
            bytes: Array(data)
        )
    }
}

extension SQLiteStore {
    static let storedEventColumns = "seq, id, issue, author, first_seen, source, is_public, bytes"
    /// Events a block does not hide (`BlockList`): by an author not blocked, on an issue not reported by one.
    static let shownEvents = """
        author NOT IN (SELECT node FROM blocked_node) AND issue NOT IN (SELECT issue FROM blocked_issue)
        """

    /// Events in local order after `seq`, at most `limit` of them.
    package func events(after seq: Int64, limit: Int) throws(StoreError) -> [StoredEvent] {
        try read("reading events") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.storedEventColumns) FROM event WHERE seq > ? ORDER BY seq LIMIT ?",
                arguments: [seq, limit]
            ).map(StoredEvent.init)
        }
    }

    /// Every event of one issue, in fold order.
    package func events(ofIssue issue: EventID) throws(StoreError) -> [StoredEvent] {
        try read("reading an issue's events") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.storedEventColumns) FROM event
                    WHERE issue = ? AND \(Self.shownEvents) ORDER BY depth, id
                    """,
                arguments: [issue.hex]
            ).map(StoredEvent.init)
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
        // One read: a snapshot, so the count and the pages agree whatever is written meanwhile.
        try read("listing events to reconcile") { db in
            var range = ""
            var bounds: [String] = []
            // One author's public ids are one range of `event_public_by_author`.
            var index = "event_by_audience"
            if let authors {
                range += " AND author IN (\(authors.map { _ in "?" }.joined(separator: ", ")))"
                bounds += authors.map(\.hex)
                index = "event_public_by_author"
            }
            if let lower {
                range += " AND id >= ?"
                bounds.append(lower)
            }
            if let upper {
                range += " AND id < ?"
                bounds.append(upper)
            }
            // Without blocks (the usual case) the ids come from the index alone (`event_by_audience`).
            let blocks =
                try Bool.fetchOne(
                    db,
                    sql: "SELECT EXISTS (SELECT 1 FROM blocked_node) OR EXISTS (SELECT 1 FROM blocked_issue)"
                ) ?? false
            let shown = blocks ? " AND \(Self.shownEvents)" : ""
            let partnerOnly =
                peer == nil
                ? []
                : ReconcilableIDs.partnerOnly(
                    try Row.fetchAll(
                        db,
                        sql:
                            "SELECT id, bytes FROM event INDEXED BY event_by_audience WHERE is_public = 0\(range)\(shown)",
                        arguments: StatementArguments(bounds)
                    ).map { row in (id: row["id"], bytes: Array(row["bytes"] as Data)) },
                    sharedWith: peer,
                    holder: holder
                )
            let publicIDs = "FROM event INDEXED BY \(index) WHERE is_public = 1\(range)\(shown)"
            let count = try Int.fetchOne(db, sql: "SELECT count(*) \(publicIDs)", arguments: StatementArguments(bounds))
            counted((count ?? 0) + partnerOnly.count)
            try ReconcilableIDs.visit(
                pages: { after in
                    try String.fetchAll(
                        db,
                        sql:
                            "SELECT id \(publicIDs)\(after == nil ? "" : " AND id > ?") ORDER BY id LIMIT \(pageSize)",
                        arguments: StatementArguments(bounds + (after.map { [$0] } ?? []))
                    )
                },
                pageSize: pageSize,
                partnerOnly: partnerOnly,
                visit
            )
        }
    }

    /// One event by id.
    package func event(_ id: EventID) throws(StoreError) -> StoredEvent? {
        try read("reading an event") { db in
            try Row.fetchOne(
                db,
                sql: "SELECT \(Self.storedEventColumns) FROM event WHERE id = ?",
                arguments: [id.hex]
            ).map(StoredEvent.init)
        }
    }

    /// Counts of what the store holds.
    package func counts() throws(StoreError) -> (events: Int, issues: Int, pending: Int) {
        try read("counting") { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM event") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM issue") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_event") ?? 0
            )
        }
    }

    package func pendingCount() throws(StoreError) -> Int {
        try read("counting waiting events") { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_event") ?? 0
        }
    }

    /// The log's last sequence number: AUTOINCREMENT never reuses one, so it only grows.
    package func changeCounter() throws(StoreError) -> Int64 {
        try read("reading the change counter") { db in
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(seq) FROM event")) ?? 0
        }
    }

    /// The folded state of an issue, computed from the log.
    package func issueState(_ issue: EventID) throws(StoreError) -> IssueState? {
        try read("folding an issue") { db in
            let events = try SQLiteProjection.loadEvents(issue: issue, db: db)
            return IssueFold.fold(events.filter(\.audience.isPublic), keys: try Self.keyRings(for: events, db: db))
        }
    }

    /// Every key statement held for a node.
    package func keyRing(for node: NodeID) throws(StoreError) -> KeyRing {
        try read("reading key statements") { db in try Self.keyRing(for: node, db: db) }
    }

    /// The full id of the issue whose id starts with `prefix` (at least 6 hex digits), if exactly one does.
    package func resolveIssue(_ prefix: String) throws(StoreError) -> EventID? {
        guard prefix.count >= 6, Hex.decode(prefix.count % 2 == 0 ? prefix : prefix + "0") != nil else { return nil }
        let matches = try read("resolving an issue id") { db in
            try String.fetchAll(
                db,
                sql: "SELECT id FROM issue WHERE id >= ? AND id < ? LIMIT 2",
                arguments: [prefix, prefix + "g"]
            )
        }
        return matches.count == 1 ? EventID(matches[0]) : nil
    }

    /// The full id of the event whose id starts with `prefix`, if exactly one does.
    package func resolveEvent(_ prefix: String) throws(StoreError) -> EventID? {
        guard prefix.count >= 6 else { return nil }
        let matches = try read("resolving an event id") { db in
            try String.fetchAll(
                db,
                sql: "SELECT id FROM event WHERE id >= ? AND id < ? LIMIT 2",
                arguments: [prefix, prefix + "g"]
            )
        }
        return matches.count == 1 ? EventID(matches[0]) : nil
    }

    package func events(
        kinds: [EventKind],
        seenFrom from: Timestamp,
        to: Timestamp,
        limit: Int
    ) throws(StoreError)
        -> [StoredEvent]
    {
        let placeholders = Array(repeating: "?", count: kinds.count).joined(separator: ",")
        var arguments: StatementArguments = StatementArguments(kinds.map(\.rawValue))
        arguments += [from.secondsSinceEpoch, to.secondsSinceEpoch, limit]
        let bound = arguments
        return try read("reading updates") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.storedEventColumns) FROM event
                    WHERE kind IN (\(placeholders)) AND first_seen BETWEEN ? AND ? AND is_public = 1
                    AND \(Self.shownEvents) ORDER BY seq LIMIT ?
                    """,
                arguments: bound
            ).map(StoredEvent.init)
        }
    }

    package func missingParents(limit: Int) throws(StoreError) -> [(parent: EventID, source: String)] {
        try read("listing missing parents") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT pending_parent.parent, pending_event.source, min(pending_event.first_seen) AS since
                    FROM pending_parent JOIN pending_event ON pending_event.id = pending_parent.child
                    WHERE NOT EXISTS (SELECT 1 FROM event WHERE event.id = pending_parent.parent)
                    GROUP BY pending_parent.parent ORDER BY since, pending_parent.parent LIMIT ?
                    """,
                arguments: [limit]
            ).compactMap { row in EventID(row[0] as String).map { ($0, row[1] as String) } }
        }
    }

    package func expirePending(before cutoff: Timestamp) throws(StoreError) -> [EventID] {
        try write("expiring events that waited too long for parents") { db in
            let ids = try String.fetchAll(
                db,
                sql: "SELECT id FROM pending_event WHERE first_seen < ? ORDER BY first_seen LIMIT 10000",
                arguments: [cutoff.secondsSinceEpoch]
            )
            for id in ids { try db.execute(sql: "DELETE FROM pending_event WHERE id = ?", arguments: [id]) }
            return ids.compactMap(EventID.init)
        }
    }
}
