import CIXCanonicalJSON
import CIXCore
import CIXStore
import Foundation
import GRDB

extension SQLiteStore {
    package func ingestNow(_ events: [Event], source: String, now: Timestamp) throws(StoreError) -> [IngestOutcome] {
        try write("storing \(events.count) events", provesHealth: true) { db in
            try Self.ingest(events, source: source, now: now, areas: areas, db: db)
        }
    }

    /// On GRDB's writer thread, leaving the caller's threads free (the importer verifies the next batch meanwhile).
    package func ingest(_ events: [Event], source: String, now: Timestamp) async throws(StoreError) -> [IngestOutcome] {
        do {
            let outcomes = try await pool.write { db in
                try Self.ingest(events, source: source, now: now, areas: areas, db: db)
            }
            writeHealth.succeeded()
            return outcomes
        } catch {
            throw failed("storing \(events.count) events", error)
        }
    }

    /// Runs the ingest plan against the tables and applies its changes, inside the caller's transaction.
    static func ingest(
        _ events: [Event],
        source: String,
        now: Timestamp,
        areas: AreaLocator,
        db: Database
    ) throws -> [IngestOutcome] {
        var plan = IngestPlan(now: now)
        let lookup = SQLiteIngestLookup(db: db)
        let outcomes = try events.map { try plan.offer($0, source: source, lookup: lookup) }
        try apply(plan, areas: areas, db: db)
        return outcomes
    }

    static func apply(_ plan: IngestPlan, areas: AreaLocator, db: Database) throws {
        for change in plan.changes {
            switch change {
            case .append(let event, let firstSeen, let source):
                try db.cachedStatement(
                    sql: """
                        INSERT INTO event (id, issue, kind, author, depth, is_public, first_seen, source, bytes)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """
                ).execute(
                    arguments: [
                        event.id.hex, event.issue.hex, event.kind.rawValue, event.author.hex, event.depth,
                        event.audience.isPublic, firstSeen.secondsSinceEpoch, source, Data(event.bytes),
                    ])
            case .park(let pending):
                try db.execute(
                    sql: "INSERT INTO pending_event (id, missing, first_seen, source, bytes) VALUES (?, ?, ?, ?, ?)",
                    arguments: [
                        pending.event.id.hex, pending.missing.map(\.hex).joined(separator: ","),
                        pending.firstSeen.secondsSinceEpoch, pending.source, Data(pending.event.bytes),
                    ]
                )
                for parent in pending.missing {
                    try db.execute(
                        sql: "INSERT INTO pending_parent (parent, child) VALUES (?, ?)",
                        arguments: [parent.hex, pending.event.id.hex]
                    )
                }
            case .unpark(let id):
                try db.execute(sql: "DELETE FROM pending_event WHERE id = ?", arguments: [id.hex])
            }
        }
        for issue in plan.touchedIssues.sorted() {
            try SQLiteProjection.refresh(issue: issue, db: db, areas: areas, decoded: plan.appended)
        }
    }

    /// Stores a key statement after checking that its signer speaks for the node; one already held is a no-op.
    package func addKeyStatement(_ statement: KeyStatement) throws(StoreError) {
        try write("storing a key statement") { db in
            let alreadyHeld = try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM key_statement WHERE hash = ?)",
                arguments: [statement.hash]
            )
            if alreadyHeld == true { return }
            let known = try Self.keyRing(for: statement.node, db: db, adding: statement)
            if let refusal = known.refused.first(where: { $0.statement.hash == statement.hash }) {
                throw StoreError.corrupt("key statement refused: \(refusal.reason)")
            }
            // Each new statement re-folds the issues its key signed: a node may not make others do that without end.
            let held =
                try Int.fetchOne(
                    db,
                    sql: "SELECT count(*) FROM key_statement WHERE node = ?",
                    arguments: [statement.node.hex]
                )
                ?? 0
            if held >= Limits.maxKeyStatements {
                throw StoreError.corrupt(
                    "key statement refused: node \(statement.node.short) already has \(Limits.maxKeyStatements) key statements"
                )
            }
            try db.execute(
                sql: "INSERT INTO key_statement (hash, node, record) VALUES (?, ?, ?)",
                arguments: [statement.hash, statement.node.hex, Data(StoredRecords.bytes(of: statement.record))]
            )
            for issue in try Self.issues(signedBy: statement.key, author: statement.node, db: db) {
                try SQLiteProjection.refresh(issue: issue, db: db, areas: areas)
            }
        }
    }

    /// The issues holding events by `author` signed with `key`: those a new statement about the key
    /// may change, so their state is folded again (`Protocol/nodes.md`: a revocation's effect is the
    /// fold's, on every node alike). Rare (statements are), so a scan of the author's events is fine.
    static func issues(signedBy key: PublicKey, author: NodeID, db: Database) throws -> [EventID] {
        let needle = Data("\"key\":\"\(key.hex)\"".utf8)
        var issues = Set<EventID>()
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT issue, bytes FROM event WHERE author = ?",
            arguments: [author.hex]
        )
        while let row = try rows.next() {
            let bytes: Data = row[1]
            if bytes.range(of: needle) != nil, let issue = EventID(row[0]) { issues.insert(issue) }
        }
        return issues.sorted()
    }

    static func keyRing(for node: NodeID, db: Database, adding extra: KeyStatement? = nil) throws -> KeyRing {
        let records = try Data.fetchAll(
            db.cachedStatement(sql: "SELECT record FROM key_statement WHERE node = ?"),
            arguments: [node.hex]
        )
        var statements = records.compactMap(StoredRecords.statement(from:))
        if let extra { statements.append(extra) }
        return KeyRing(node: node, statements: statements)
    }

    /// The rings of the authors of `events` that have key statements (the others speak by their genesis key).
    static func keyRings(for events: [Event], db: Database) throws -> KeyRings {
        var rings: [KeyRing] = []
        for author in Set(events.map(\.author)) {
            let ring = try keyRing(for: author, db: db)
            if !ring.keys.isEmpty { rings.append(ring) }
        }
        return KeyRings(rings)
    }
}

/// The ingest plan's reads, from the tables inside the write transaction.
struct SQLiteIngestLookup: IngestLookup {
    let db: Database

    func isHeld(_ id: EventID) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(
                sql:
                    "SELECT EXISTS (SELECT 1 FROM event WHERE id = ?1) OR EXISTS (SELECT 1 FROM pending_event WHERE id = ?1)"
            ),
            arguments: [id.hex]
        ) == true
    }

    func placed(_ id: EventID) throws -> (issue: EventID, depth: Int)? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT issue, depth FROM event WHERE id = ?"),
                arguments: [id.hex]
            ),
            let issue = EventID(row[0])
        else { return nil }
        return (issue, row[1])
    }

    func keyRing(for node: NodeID) throws -> KeyRing {
        try SQLiteStore.keyRing(for: node, db: db)
    }

    func pendingUsage(source: String) throws -> (rows: Int, bytes: Int) {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT count(*), coalesce(sum(length(bytes)), 0) FROM pending_event WHERE source = ?"
                ),
                arguments: [source]
            )
        else { return (0, 0) }
        return (row[0], row[1])
    }

    func hasPending() throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM pending_event)") ?? false
    }

    func waiting(for parent: EventID) throws -> [PendingEvent] {
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT pending_event.missing, pending_event.first_seen, pending_event.source, pending_event.bytes
                    FROM pending_parent JOIN pending_event ON pending_event.id = pending_parent.child
                    WHERE pending_parent.parent = ?
                    """
            ),
            arguments: [parent.hex]
        )
        return rows.compactMap { row in
            let bytes: Data = row[3]
            guard let event = try? Event.decodeStored(bytes) else { return nil }
            let missing = (row[0] as String).split(separator: ",").compactMap { EventID(String($0)) }
            return PendingEvent(
                event: event,
                missing: missing,
                firstSeen: Timestamp(secondsSinceEpoch: row[1]),
                source: row[2]
            )
        }
    }
}
