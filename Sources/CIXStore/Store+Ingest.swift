import CIXCanonicalJSON
import CIXCore
import Foundation
import GRDB

extension Store {
    /// Appends verified events in one durable transaction, and brings the
    /// projections of every touched issue up to date in the same transaction.
    ///
    /// Each event is checked against what the store holds: duplicate ids are
    /// no-ops; the signing key must speak for the author when the event is
    /// first seen (`now`); events whose parents are missing wait in
    /// `pending_event` and are applied, in causal order, as soon as the last
    /// parent arrives; parents must belong to the same issue, and `depth`
    /// must be one more than the deepest parent. A refused event never
    /// affects the others. When this returns, the batch is on disk.
    public func ingest(_ events: [Event], source: String, now: Timestamp) throws(StoreError) -> [IngestOutcome] {
        try write("storing \(events.count) events") { db in
            var session = try IngestSession(db: db, now: now)
            let outcomes = try events.map { try session.offer($0, source: source) }
            try session.finish()
            return outcomes
        }
    }

    /// `ingest` on GRDB's writer thread, leaving the caller's threads free
    /// (the importer verifies the next batch meanwhile).
    public func ingest(_ events: [Event], source: String, now: Timestamp) async throws(StoreError) -> [IngestOutcome] {
        do {
            return try await pool.write { db in
                var session = try IngestSession(db: db, now: now)
                let outcomes = try events.map { try session.offer($0, source: source) }
                try session.finish()
                return outcomes
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("storing \(events.count) events", cause: error)
        }
    }

    /// Stores a key statement after checking that its signer speaks for the node.
    public func addKeyStatement(_ statement: KeyStatement) throws(StoreError) {
        try write("storing a key statement") { db in
            let known = try Self.keyRing(for: statement.node, db: db, adding: statement)
            if let refusal = known.refused.first(where: { $0.statement.hash == statement.hash }) {
                throw StoreError.corrupt("key statement refused: \(refusal.reason)")
            }
            try db.execute(
                sql: "INSERT OR IGNORE INTO key_statement (hash, node, record) VALUES (?, ?, ?)",
                arguments: [statement.hash, statement.node.hex, Data(Self.bytes(of: statement.record))])
        }
    }

    static func bytes(of record: JSONObject) -> [UInt8] {
        // A record that was parsed or built from JSON values always has a canonical form.
        (try? JSONValue.object(record).canonicalBytes()) ?? []
    }

    static func keyRing(for node: NodeID, db: Database, adding extra: KeyStatement? = nil) throws -> KeyRing {
        let records = try Data.fetchAll(
            db, sql: "SELECT record FROM key_statement WHERE node = ?", arguments: [node.hex])
        var statements = records.compactMap { data -> KeyStatement? in
            guard case .object(let object)? = try? JSONParser().parse(Array(data)) else { return nil }
            return try? KeyStatement(record: object)
        }
        if let extra { statements.append(extra) }
        return KeyRing(node: node, statements: statements)
    }
}

/// The state of one `ingest` call: key rings read so far and issues to re-fold.
struct IngestSession {
    let db: Database
    let now: Timestamp
    var rings: [NodeID: KeyRing] = [:]
    var dirty: Set<EventID> = []
    /// Events stored by this session, so re-folding need not decode them again.
    var stored: [String: Event] = [:]
    /// Whether any event waits for parents; when none does, the per-event pending checks are skipped.
    var hasPending: Bool

    init(db: Database, now: Timestamp) throws {
        self.db = db
        self.now = now
        self.hasPending = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM pending_event)") ?? false
    }

    mutating func offer(_ event: Event, source: String) throws -> IngestOutcome {
        let held = try db.cachedStatement(
            sql: hasPending
                ? "SELECT EXISTS (SELECT 1 FROM event WHERE id = ?1) OR EXISTS (SELECT 1 FROM pending_event WHERE id = ?1)"
                : "SELECT EXISTS (SELECT 1 FROM event WHERE id = ?1)")
        if try Bool.fetchOne(held, arguments: [event.id.hex]) == true {
            return IngestOutcome(id: event.id, result: .duplicate)
        }
        if rings[event.author] == nil { rings[event.author] = try Store.keyRing(for: event.author, db: db) }
        guard rings[event.author]!.isAuthorised(event.key, at: now) else {
            return IngestOutcome(
                id: event.id,
                result: .rejected(
                    CoreError(.keyNotAuthorised, "key \(event.key.hex.prefix(16))… does not speak for node \(event.author.short) at \(now)")))
        }
        return IngestOutcome(id: event.id, result: try place(event, firstSeen: now.secondsSinceEpoch, source: source))
    }

    /// Appends an event whose parents are all held, or parks it; then releases
    /// any parked events that were waiting only for it.
    mutating func place(_ event: Event, firstSeen: Int64, source: String) throws -> IngestOutcome.Result {
        var parents: [EventID: (issue: String, depth: Int)] = [:]
        let parentQuery = try db.cachedStatement(sql: "SELECT issue, depth FROM event WHERE id = ?")
        for parent in event.prev {
            if let row = try Row.fetchOne(parentQuery, arguments: [parent.hex]) {
                parents[parent] = (row["issue"], row["depth"])
            }
        }
        let missing = event.prev.filter { parents[$0] == nil }
        if !missing.isEmpty {
            try park(event, missing: missing, firstSeen: firstSeen, source: source)
            return .pending(missing: missing)
        }
        if let foreign = parents.first(where: { $0.value.issue != event.issue.hex }) {
            return .rejected(CoreError(.foreignParent, "parent \(foreign.key.hex) belongs to another issue"))
        }
        let expected = (parents.values.map(\.depth).max() ?? 0) + 1
        guard event.depth == expected else {
            return .rejected(CoreError(.wrongDepth, "depth is \(event.depth) but its parents make it \(expected)"))
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO event (id, issue, kind, author, depth, is_public, first_seen, source, bytes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                event.id.hex, event.issue.hex, event.kind.rawValue, event.author.hex, event.depth,
                event.audience.isPublic, firstSeen, source, Data(event.bytes),
            ])
        dirty.insert(event.issue)
        stored[event.id.hex] = event
        if hasPending { try release(childrenOf: event.id) }
        return .stored
    }

    mutating func park(_ event: Event, missing: [EventID], firstSeen: Int64, source: String) throws {
        hasPending = true
        try db.execute(
            sql: "INSERT INTO pending_event (id, missing, first_seen, source, bytes) VALUES (?, ?, ?, ?, ?)",
            arguments: [event.id.hex, missing.map(\.hex).joined(separator: ","), firstSeen, source, Data(event.bytes)])
        for parent in missing {
            try db.execute(
                sql: "INSERT INTO pending_parent (parent, child) VALUES (?, ?)", arguments: [parent.hex, event.id.hex])
        }
    }

    mutating func release(childrenOf parent: EventID) throws {
        let children = try String.fetchAll(
            db.cachedStatement(sql: "SELECT child FROM pending_parent WHERE parent = ?"), arguments: [parent.hex])
        guard !children.isEmpty else { return }
        try db.execute(sql: "DELETE FROM pending_parent WHERE parent = ?", arguments: [parent.hex])
        for child in children {
            let waiting = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM pending_parent WHERE child = ?", arguments: [child]) ?? 0
            guard waiting == 0,
                let row = try Row.fetchOne(
                    db, sql: "SELECT first_seen, source, bytes FROM pending_event WHERE id = ?", arguments: [child])
            else { continue }
            try db.execute(sql: "DELETE FROM pending_event WHERE id = ?", arguments: [child])
            let bytes: Data = row["bytes"]
            guard let event = try? Event.decodeStored(bytes) else { continue }
            _ = try place(event, firstSeen: row["first_seen"], source: row["source"])
        }
    }

    /// Re-folds every touched issue and writes its projections.
    mutating func finish() throws {
        for issue in dirty.sorted() {
            try Projection.refresh(issue: issue, db: db, decoded: stored)
        }
    }
}
