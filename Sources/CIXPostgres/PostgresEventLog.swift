import CIXCanonicalJSON
import CIXCore
import CIXStore
import Foundation
import Logging
import PostgresNIO

/// The event log, the events waiting for parents, key statements and each
/// issue's folded state, in PostgreSQL: the first part of the PostgreSQL
/// store (issue 16). It runs the same ingest rules as SQLite (`IngestPlan`)
/// and the same projection (`IssueProjection`), so both backends given the
/// same events hold the same log and the same state, byte for byte.
///
/// Writers take one transaction-scoped advisory lock, so any number of
/// daemons may share the database and ingest at once: batches are applied one
/// after another, each wholly or not at all.
package final class PostgresEventLog: Sendable {
    let client: PostgresClient
    let running: Task<Void, Never>
    let logger: Logger

    /// The advisory lock every writer takes for its transaction ("CIX" and 1).
    static let writeLock: Int64 = 0x4349_5801

    init(client: PostgresClient, running: Task<Void, Never>, logger: Logger) {
        self.client = client
        self.running = running
        self.logger = logger
    }

    /// Connects (refusing at once, with the reason, if the server cannot be reached or refuses
    /// the credentials) and brings the schema up to date.
    package static func open(url: String, passwordFile: String? = nil) async throws(StoreError) -> PostgresEventLog {
        let location = try PostgresStoreURL(url)
        let password = try location.password(from: passwordFile)
        var logger = Logger(label: "cix.postgres")
        logger.logLevel = .critical
        do {
            let probe = try await PostgresConnection.connect(
                configuration: try location.connectionConfiguration(password: password),
                id: 0,
                logger: logger
            )
            try await probe.close()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(
                code: .cannotOpen,
                message: "cannot open the PostgreSQL store at \(url): \(Self.reason(error))",
                cause: nil
            )
        }
        let client = PostgresClient(
            configuration: location.clientConfiguration(password: password),
            backgroundLogger: logger
        )
        let running = Task { await client.run() }
        let log = PostgresEventLog(client: client, running: running, logger: logger)
        do {
            try await PostgresSchema.migrate(log.client, logger: logger)
        } catch {
            await log.close()
            throw StoreError(
                code: .cannotOpen,
                message: "cannot open the PostgreSQL store at \(url): \(Self.reason(error))",
                cause: nil
            )
        }
        return log
    }

    /// Stops the connections.
    package func close() async {
        running.cancel()
        await running.value
    }

    /// What the server said, or why it could not be reached, in a line an operator can act on.
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return "\(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }

    // MARK: Ingest

    /// Appends verified events in one transaction, by the ingest rules, and re-folds the touched issues.
    package func ingest(_ events: [Event], source: String, now: Timestamp) async throws(StoreError) -> [IngestOutcome] {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.writeLock))", logger: logger)
                let lookup = PrefetchedLookup()
                try await lookup.prefetch(for: events, source: source, on: connection, logger: logger)
                while true {
                    var plan = IngestPlan(now: now)
                    do {
                        let outcomes = try events.map { try plan.offer($0, source: source, lookup: lookup) }
                        try await apply(plan, on: connection)
                        return outcomes
                    } catch let miss as PrefetchedLookup.Miss {
                        // The plan asked what was not read yet: read it, and plan again from the start.
                        try await lookup.fetch(miss, on: connection, logger: logger)
                    }
                }
            }
        } catch {
            throw StoreError.backend("ingesting events", cause: error, storageFault: false)
        }
    }

    /// Applies a plan in a few statements, whatever the batch's size: the rows the plan's changes
    /// leave (waiting rows removed, events still waiting, events appended in order), each kind
    /// in one statement over arrays, then the touched issues folded and written together.
    func apply(_ plan: IngestPlan, on connection: PostgresConnection) async throws {
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
            try await connection.query("DELETE FROM pending_event WHERE id = ANY(\(released))", logger: logger)
        }
        let waiting = parkOrder.compactMap { parked.removeValue(forKey: $0) }
        if !waiting.isEmpty {
            let ids = waiting.map(\.event.id.hex)
            let missing = waiting.map { $0.missing.map(\.hex).joined(separator: ",") }
            let seen = waiting.map(\.firstSeen.secondsSinceEpoch)
            let sources = waiting.map(\.source)
            let bytes = waiting.map { Hex.encode($0.event.bytes) }
            try await connection.query(
                """
                INSERT INTO pending_event (id, missing, first_seen, source, bytes)
                SELECT id, string_to_array(missing, ','), first_seen, source, decode(bytes, 'hex')
                FROM unnest(\(ids)::text[], \(missing)::text[], \(seen)::int8[], \(sources)::text[], \(bytes)::text[])
                    AS waiting (id, missing, first_seen, source, bytes)
                """,
                logger: logger
            )
        }
        if !appended.isEmpty {
            let events = appended.map(\.event)
            let ids = events.map(\.id.hex)
            let issues = events.map(\.issue.hex)
            let kinds = events.map(\.kind.rawValue)
            let authors = events.map(\.author.hex)
            let depths = events.map { Int64($0.depth) }
            let audiences = events.map(\.audience.isPublic)
            let seen = appended.map(\.firstSeen.secondsSinceEpoch)
            let sources = appended.map(\.source)
            let bytes = events.map { Hex.encode($0.bytes) }
            try await connection.query(
                """
                INSERT INTO event (id, issue, kind, author, depth, is_public, first_seen, source, bytes)
                SELECT id, issue, kind, author, depth, is_public, first_seen, source, decode(bytes, 'hex')
                FROM unnest(\(ids)::text[], \(issues)::text[], \(kinds)::text[], \(authors)::text[], \(depths)::int8[],
                    \(audiences)::bool[], \(seen)::int8[], \(sources)::text[], \(bytes)::text[])
                    WITH ORDINALITY AS appended (id, issue, kind, author, depth, is_public, first_seen, source, bytes, n)
                ORDER BY n
                """,
                logger: logger
            )
        }
        try await refresh(plan.touchedIssues.sorted(), on: connection)
    }

    /// Folds issues afresh and writes their projections, stripping the bodies their redactions remove.
    func refresh(_ issues: [EventID], on connection: PostgresConnection) async throws {
        guard !issues.isEmpty else { return }
        var events: [EventID: [Event]] = [:]
        var firstSeen: [EventID: Timestamp] = [:]
        let rows = try await connection.query(
            "SELECT bytes, first_seen FROM event WHERE issue = ANY(\(issues.map(\.hex))) ORDER BY issue, depth, id",
            logger: logger
        )
        for try await (bytes, seen) in rows.decode((Data, Int64).self) {
            guard let event = try? Event.decodeStored(Array(bytes)) else { continue }
            events[event.issue, default: []].append(event)
            firstSeen[event.id] = Timestamp(secondsSinceEpoch: seen)
        }
        let authors = Set(events.values.joined().map(\.author))
        let keys = KeyRings(try await rings(for: authors, on: connection))
        var gone: [String] = []
        var states: [(IssueProjection, IssueState)] = []
        for issue in issues {
            guard let projection = IssueProjection(events: events[issue] ?? [], firstSeen: firstSeen, keys: keys)
            else {
                gone.append(issue.hex)
                continue
            }
            for skeleton in projection.stripped {
                try await connection.query(
                    "UPDATE event SET bytes = \(Data(skeleton.bytes)) WHERE id = \(skeleton.id.hex)",
                    logger: logger
                )
            }
            states.append((projection, projection.state))
        }
        if !gone.isEmpty {
            try await connection.query("DELETE FROM issue WHERE id = ANY(\(gone))", logger: logger)
        }
        guard !states.isEmpty else { return }
        let ids = states.map(\.1.id.hex)
        let origins = states.map(\.1.origin.hex)
        let statuses = states.map(\.1.overall.rawValue)
        let reported = states.map(\.0.listedReportedAt.secondsSinceEpoch)
        let updated = states.map(\.0.listedUpdatedAt.secondsSinceEpoch)
        let bytes = states.map { Hex.encode($0.1.canonicalBytes()) }
        try await connection.query(
            """
            INSERT INTO issue (id, origin, status, reported_at, updated_at, state)
            SELECT id, origin, status, reported_at, updated_at, decode(state, 'hex')
            FROM unnest(\(ids)::text[], \(origins)::text[], \(statuses)::text[], \(reported)::int8[], \(updated)::int8[],
                \(bytes)::text[]) AS folded (id, origin, status, reported_at, updated_at, state)
            ON CONFLICT (id) DO UPDATE SET origin = excluded.origin, status = excluded.status,
                reported_at = excluded.reported_at, updated_at = excluded.updated_at, state = excluded.state
            """,
            logger: logger
        )
    }

    /// The rings of these nodes that have key statements (the others speak by their genesis key).
    func rings(for nodes: Set<NodeID>, on connection: PostgresConnection) async throws -> [KeyRing] {
        let held = Dictionary(
            grouping: try await Self.statements(of: nodes, on: connection, logger: logger),
            by: \.node
        )
        return held.map { KeyRing(node: $0.key, statements: $0.value) }
    }

    /// The key statements held about these nodes.
    static func statements(
        of nodes: Set<NodeID>,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [KeyStatement] {
        guard !nodes.isEmpty else { return [] }
        var statements: [KeyStatement] = []
        let rows = try await connection.query(
            "SELECT record FROM key_statement WHERE node = ANY(\(nodes.map(\.hex)))",
            logger: logger
        )
        for try await record in rows.decode(Data.self) {
            guard case .object(let object)? = try? JSONParser().parse(Array(record)),
                let statement = try? KeyStatement(record: object)
            else { continue }
            statements.append(statement)
        }
        return statements
    }

    /// Stores a key statement after checking that its signer speaks for the node (one already held
    /// is a no-op), and re-folds the issues its key signed, as SQLite does.
    package func addKeyStatement(_ statement: KeyStatement) async throws(StoreError) {
        do {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.writeLock))", logger: logger)
                let held = try await connection.query(
                    "SELECT count(*) FILTER (WHERE hash = \(statement.hash)), count(*) FROM key_statement WHERE node = \(statement.node.hex)",
                    logger: logger
                )
                var same = 0
                var all = 0
                for try await (count, total) in held.decode((Int, Int).self) { (same, all) = (count, total) }
                if same > 0 { return }
                let ring = KeyRing(
                    node: statement.node,
                    statements: try await Self.statements(of: [statement.node], on: connection, logger: logger)
                        + [statement]
                )
                if let refusal = ring.refused.first(where: { $0.statement.hash == statement.hash }) {
                    throw StoreError.corrupt("key statement refused: \(refusal.reason)")
                }
                guard all < Limits.maxKeyStatements else {
                    throw StoreError.corrupt(
                        "key statement refused: node \(statement.node.short) already has \(Limits.maxKeyStatements) key statements"
                    )
                }
                let record = (try? JSONValue.object(statement.record).canonicalBytes()) ?? []
                try await connection.query(
                    """
                    INSERT INTO key_statement (hash, node, record)
                    VALUES (\(statement.hash), \(statement.node.hex), \(Data(record)))
                    """,
                    logger: logger
                )
                let needle = "%\"key\":\"\(statement.key.hex)\"%"
                let issues = try await connection.query(
                    """
                    SELECT DISTINCT issue FROM event
                    WHERE author = \(statement.node.hex) AND convert_from(bytes, 'UTF8') LIKE \(needle)
                    """,
                    logger: logger
                )
                var touched: [EventID] = []
                for try await issue in issues.decode(String.self) { if let id = EventID(issue) { touched.append(id) } }
                try await refresh(touched.sorted(), on: connection)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.backend("storing a key statement", cause: error, storageFault: false)
        }
    }

    // MARK: Reads

    /// The state of an issue as stored (its public fold), as canonical bytes; nil if none is held.
    package func stateBytes(_ issue: EventID) async throws(StoreError) -> [UInt8]? {
        do {
            let rows = try await client.query("SELECT state FROM issue WHERE id = \(issue.hex)", logger: logger)
            for try await state in rows.decode(Data.self) { return Array(state) }
            return nil
        } catch {
            throw StoreError.backend("reading an issue", cause: error, storageFault: false)
        }
    }

    /// Every event of one issue, in fold order.
    package func events(ofIssue issue: EventID) async throws(StoreError) -> [StoredEvent] {
        do {
            let rows = try await client.query(
                """
                SELECT seq, id, issue, author, first_seen, source, is_public, bytes FROM event
                WHERE issue = \(issue.hex) ORDER BY depth, id
                """,
                logger: logger
            )
            var events: [StoredEvent] = []
            for try await (seq, id, issue, author, seen, source, isPublic, bytes) in rows.decode(
                (Int64, String, String, String, Int64, String, Bool, Data).self
            ) {
                events.append(
                    StoredEvent(
                        seq: seq,
                        id: id,
                        issue: issue,
                        author: author,
                        firstSeen: Timestamp(secondsSinceEpoch: seen),
                        source: source,
                        isPublic: isPublic,
                        bytes: Array(bytes)
                    )
                )
            }
            return events
        } catch {
            throw StoreError.backend("reading an issue's events", cause: error, storageFault: false)
        }
    }

    /// Counts of what the log holds.
    package func counts() async throws(StoreError) -> (events: Int, issues: Int, pending: Int) {
        do {
            let rows = try await client.query(
                """
                SELECT (SELECT count(*) FROM event), (SELECT count(*) FROM issue), (SELECT count(*) FROM pending_event)
                """,
                logger: logger
            )
            for try await (events, issues, pending) in rows.decode((Int, Int, Int).self) {
                return (events, issues, pending)
            }
            return (0, 0, 0)
        } catch {
            throw StoreError.backend("counting events", cause: error, storageFault: false)
        }
    }
}
