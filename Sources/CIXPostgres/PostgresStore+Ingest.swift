import CIXCanonicalJSON
import CIXCore
import CIXStore
import Foundation
import NIOPosix
import PostgresNIO

extension PostgresStore {
    /// Appends verified events in one transaction, by the ingest rules, and re-folds the touched issues.
    package func ingestNow(_ events: [Event], source: String, now: Timestamp) throws(StoreError) -> [IngestOutcome] {
        try write("storing \(events.count) events", provesHealth: true) { connection in
            let (plan, outcomes) = try Self.plan(events, source: source, now: now, on: connection)
            try apply(plan, on: connection)
            return outcomes
        }
    }

    /// What the ingest rules make of `events` against what the store holds: the plan to apply, and each event's outcome.
    static func plan(
        _ events: [Event],
        source: String,
        now: Timestamp,
        on connection: PostgresConnection
    ) throws -> (IngestPlan, [IngestOutcome]) {
        let lookup = PrefetchedLookup(connection: connection)
        try lookup.prefetch(for: events, source: source)
        var plan = IngestPlan(now: now)
        let outcomes = try events.map { try plan.offer($0, source: source, lookup: lookup) }
        return (plan, outcomes)
    }

    /// `ingestNow` on a thread of NIO's blocking pool, leaving the caller's threads free.
    package func ingest(_ events: [Event], source: String, now: Timestamp) async throws(StoreError) -> [IngestOutcome] {
        do {
            return try await NIOThreadPool.singleton.runIfActive { [self] in
                try ingestNow(events, source: source, now: now)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw failure("storing \(events.count) events", error)
        }
    }

    /// The log's columns a new event fills (its number comes from the sequence).
    static let eventColumns = ["id", "issue", "kind", "author", "depth", "is_public", "first_seen", "source", "bytes"]

    /// Applies a plan in a few statements, whatever the batch's size: the rows the plan's changes
    /// leave (waiting rows removed, events still waiting, events appended in order), each kind
    /// in one statement over arrays (the appended events streamed with COPY), then the touched issues folded and written together.
    func apply(_ plan: IngestPlan, on connection: PostgresConnection) throws {
        var appended: [(event: Event, firstSeen: Timestamp, source: String)] = []
        var parked: [EventID: PendingEvent] = [:]
        var parkOrder: [EventID] = []
        var released: [String] = []
        for change in plan.changes {
            switch change {
            case .append(let event, let firstSeen, let source): appended.append((event, firstSeen, source))
            case .park(let pending):
                parked[pending.event.id] = pending
                parkOrder.append(pending.event.id)
            case .unpark(let id):
                // Parked by this plan: never written. Waiting in the store: deleted.
                if parked.removeValue(forKey: id) == nil { released.append(id.hex) }
            }
        }
        if !released.isEmpty {
            try connection.run("DELETE FROM pending_event WHERE id = ANY(\(released))")
        }
        let waiting = parkOrder.compactMap { parked.removeValue(forKey: $0) }
        if !waiting.isEmpty {
            let ids = waiting.map(\.event.id.hex)
            let missing = waiting.map { $0.missing.map(\.hex).joined(separator: ",") }
            let seen = waiting.map(\.firstSeen.secondsSinceEpoch)
            let sources = waiting.map(\.source)
            let bytes = waiting.map { Hex.encode($0.event.bytes) }
            try connection.run(
                """
                INSERT INTO pending_event (id, missing, first_seen, source, bytes)
                SELECT id, string_to_array(missing, ','), first_seen, source, decode(bytes, 'hex')
                FROM unnest(\(ids)::text[], \(missing)::text[], \(seen)::int8[], \(sources)::text[], \(bytes)::text[])
                    AS waiting (id, missing, first_seen, source, bytes)
                """
            )
        }
        if !appended.isEmpty {
            // In the plan's order: the log's numbers follow the order rows are copied in.
            var rows = CopyRows()
            for (event, firstSeen, source) in appended {
                rows.text(event.id.hex)
                rows.text(event.issue.hex)
                rows.text(event.kind.rawValue)
                rows.text(event.author.hex)
                rows.integer(Int64(event.depth))
                rows.flag(event.audience.isPublic)
                rows.integer(firstSeen.secondsSinceEpoch)
                rows.text(source)
                rows.bytes(event.bytes)
                rows.endRow()
            }
            try connection.copy(rows, into: "event", columns: Self.eventColumns)
        }
        try PostgresProjection(connection: connection, areas: areas).refresh(plan.touchedIssues.sorted())
    }

    /// Stores a key statement after checking that its signer speaks for the node (one already held
    /// is a no-op), and re-folds the issues its key signed, as SQLite does.
    package func addKeyStatement(_ statement: KeyStatement) throws(StoreError) {
        try write("storing a key statement") { connection in
            let counts = try connection.rows(
                """
                SELECT count(*) FILTER (WHERE hash = \(statement.hash)), count(*)
                FROM key_statement WHERE node = \(statement.node.hex)
                """,
                as: (Int, Int).self
            )
            let (same, all) = counts.first ?? (0, 0)
            if same > 0 { return }
            let ring = KeyRing(
                node: statement.node,
                statements: try Self.statements(of: [statement.node], on: connection) + [statement]
            )
            if let refusal = ring.refused.first(where: { $0.statement.hash == statement.hash }) {
                throw StoreError.corrupt("key statement refused: \(refusal.reason)")
            }
            guard all < Limits.maxKeyStatements else {
                throw StoreError.corrupt(
                    "key statement refused: node \(statement.node.short) already has \(Limits.maxKeyStatements) key statements"
                )
            }
            let record = StoredRecords.bytes(of: statement.record)
            try connection.run(
                """
                INSERT INTO key_statement (hash, node, record)
                VALUES (\(statement.hash), \(statement.node.hex), \(Data(record)))
                """
            )
            let needle = "%\"key\":\"\(statement.key.hex)\"%"
            let touched = try connection.rows(
                """
                SELECT DISTINCT issue FROM event
                WHERE author = \(statement.node.hex) AND convert_from(bytes, 'UTF8') LIKE \(needle)
                """,
                as: String.self
            ).compactMap(EventID.init)
            try PostgresProjection(connection: connection, areas: areas).refresh(touched.sorted())
        }
    }

    /// Every key statement held.
    package func keyStatements() throws(StoreError) -> [KeyStatement] {
        try read("reading key statements") { connection in
            try connection.rows("SELECT record FROM key_statement ORDER BY node, hash", as: Data.self)
                .compactMap(StoredRecords.statement(from:))
        }
    }

    /// Every key statement held for a node, as a ring.
    package func keyRing(for node: NodeID) throws(StoreError) -> KeyRing {
        try read("reading key statements") { connection in
            KeyRing(node: node, statements: try Self.statements(of: [node], on: connection))
        }
    }

    /// The key statements held about these nodes.
    static func statements(of nodes: Set<NodeID>, on connection: PostgresConnection) throws -> [KeyStatement] {
        guard !nodes.isEmpty else { return [] }
        return try connection.rows(
            "SELECT record FROM key_statement WHERE node = ANY(\(nodes.map(\.hex))) ORDER BY node, hash",
            as: Data.self
        ).compactMap(StoredRecords.statement(from:))
    }

    /// The rings of these nodes that have key statements (the others speak by their genesis key).
    static func rings(for nodes: Set<NodeID>, on connection: PostgresConnection) throws -> KeyRings {
        let held = Dictionary(grouping: try statements(of: nodes, on: connection), by: \.node)
        return KeyRings(held.map { KeyRing(node: $0.key, statements: $0.value) })
    }
}
