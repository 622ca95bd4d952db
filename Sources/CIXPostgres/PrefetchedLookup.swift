import CIXCore
import CIXStore
import Foundation
import Logging
import PostgresNIO

/// The ingest plan's reads (`IngestLookup`), answered from what was read from
/// PostgreSQL before planning: the plan is synchronous and the driver is not,
/// so the lookup reads in bulk first, and a question it cannot answer throws
/// `Miss`; the caller reads that too and plans again (a plan changes nothing
/// until it is applied). All inside the writer's transaction and lock.
final class PrefetchedLookup: IngestLookup, @unchecked Sendable {
    /// A question the lookup has no answer for yet.
    enum Miss: Error {
        case held([EventID])
        case placed([EventID])
        case rings([NodeID])
        case waiting([EventID])
        case pendingUsage(String)
        case anyPending
    }

    private var held: [EventID: Bool] = [:]
    private var placement: [EventID: (issue: EventID, depth: Int)?] = [:]
    private var keyRings: [NodeID: KeyRing] = [:]
    private var children: [EventID: [PendingEvent]] = [:]
    private var usage: [String: (rows: Int, bytes: Int)] = [:]
    private var pendingExists: Bool?

    func isHeld(_ id: EventID) throws -> Bool {
        guard let answer = held[id] else { throw Miss.held([id]) }
        return answer
    }

    func placed(_ id: EventID) throws -> (issue: EventID, depth: Int)? {
        guard let answer = placement[id] else { throw Miss.placed([id]) }
        return answer
    }

    func keyRing(for node: NodeID) throws -> KeyRing {
        guard let ring = keyRings[node] else { throw Miss.rings([node]) }
        return ring
    }

    func waiting(for parent: EventID) throws -> [PendingEvent] {
        guard let answer = children[parent] else { throw Miss.waiting([parent]) }
        return answer
    }

    func hasPending() throws -> Bool {
        guard let answer = pendingExists else { throw Miss.anyPending }
        return answer
    }

    func pendingUsage(source: String) throws -> (rows: Int, bytes: Int) {
        guard let answer = usage[source] else { throw Miss.pendingUsage(source) }
        return answer
    }

    /// Reads, in a few queries, what a batch will almost surely ask: whether its events are held,
    /// where their parents are, its authors' rings, what waits for its events, and the source's usage.
    func prefetch(for events: [Event], source: String, on connection: PostgresConnection, logger: Logger) async throws {
        let ids = events.map(\.id)
        try await fetch(.held(ids), on: connection, logger: logger)
        try await fetch(.placed(Array(Set(ids + events.flatMap(\.prev)))), on: connection, logger: logger)
        try await fetch(.rings(Array(Set(events.map(\.author)))), on: connection, logger: logger)
        try await fetch(.anyPending, on: connection, logger: logger)
        try await fetch(.pendingUsage(source), on: connection, logger: logger)
        if pendingExists == true { try await fetch(.waiting(ids), on: connection, logger: logger) }
    }

    func fetch(_ miss: Miss, on connection: PostgresConnection, logger: Logger) async throws {
        switch miss {
        case .held(let ids):
            for id in ids { held[id] = false }
            let rows = try await connection.query(
                """
                SELECT id FROM event WHERE id = ANY(\(ids.map(\.hex)))
                UNION ALL SELECT id FROM pending_event WHERE id = ANY(\(ids.map(\.hex)))
                """,
                logger: logger
            )
            for try await id in rows.decode(String.self) { if let id = EventID(id) { held[id] = true } }
        case .placed(let ids):
            for id in ids { placement[id] = .some(nil) }
            let rows = try await connection.query(
                "SELECT id, issue, depth FROM event WHERE id = ANY(\(ids.map(\.hex)))",
                logger: logger
            )
            for try await (id, issue, depth) in rows.decode((String, String, Int).self) {
                if let id = EventID(id), let issue = EventID(issue) { placement[id] = (issue, depth) }
            }
        case .rings(let nodes):
            let statements = Dictionary(
                grouping: try await PostgresEventLog.statements(of: Set(nodes), on: connection, logger: logger),
                by: \.node
            )
            for node in nodes { keyRings[node] = KeyRing(node: node, statements: statements[node] ?? []) }
        case .waiting(let parents):
            for parent in parents { children[parent] = [] }
            let rows = try await connection.query(
                """
                SELECT missing, first_seen, source, bytes FROM pending_event
                WHERE missing && \(parents.map(\.hex))::text[]
                """,
                logger: logger
            )
            for try await (missing, seen, source, bytes) in rows.decode(([String], Int64, String, Data).self) {
                guard let event = try? Event.decodeStored(Array(bytes)) else { continue }
                let waiting = PendingEvent(
                    event: event,
                    missing: missing.compactMap(EventID.init),
                    firstSeen: Timestamp(secondsSinceEpoch: seen),
                    source: source
                )
                for parent in waiting.missing where children[parent] != nil { children[parent]?.append(waiting) }
            }
        case .pendingUsage(let source):
            let rows = try await connection.query(
                "SELECT count(*), coalesce(sum(length(bytes)), 0)::bigint FROM pending_event WHERE source = \(source)",
                logger: logger
            )
            usage[source] = (0, 0)
            for try await (count, bytes) in rows.decode((Int, Int).self) { usage[source] = (count, bytes) }
        case .anyPending:
            let rows = try await connection.query("SELECT EXISTS (SELECT 1 FROM pending_event)", logger: logger)
            pendingExists = false
            for try await exists in rows.decode(Bool.self) { pendingExists = exists }
        }
    }
}
