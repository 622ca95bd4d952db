import CIXCore
import CIXStore
import Foundation
import PostgresNIO

/// The ingest plan's reads (`IngestLookup`) inside the writer's transaction:
/// what a batch will almost surely ask is read in a few queries before planning
/// (`prefetch`), and anything else when it is asked.
final class PrefetchedLookup: IngestLookup {
    let connection: PostgresConnection
    private var held: [EventID: Bool] = [:]
    private var placement: [EventID: (issue: EventID, depth: Int)?] = [:]
    private var keyRings: [NodeID: KeyRing] = [:]
    private var children: [EventID: [PendingEvent]] = [:]
    private var usage: [String: (rows: Int, bytes: Int)] = [:]
    private var pendingExists: Bool?

    init(connection: PostgresConnection) {
        self.connection = connection
    }

    func isHeld(_ id: EventID) throws -> Bool {
        if held[id] == nil { try readHeld([id]) }
        return held[id] ?? false
    }

    func placed(_ id: EventID) throws -> (issue: EventID, depth: Int)? {
        if placement[id] == nil { try readPlaces([id]) }
        return placement[id] ?? nil
    }

    func keyRing(for node: NodeID) throws -> KeyRing {
        if keyRings[node] == nil { try readRings([node]) }
        return keyRings[node] ?? KeyRing(node: node, statements: [])
    }

    func waiting(for parent: EventID) throws -> [PendingEvent] {
        if children[parent] == nil { try readWaiting([parent]) }
        return children[parent] ?? []
    }

    func hasPending() throws -> Bool {
        if let pendingExists { return pendingExists }
        let exists = try connection.value("SELECT EXISTS (SELECT 1 FROM pending_event)", as: Bool.self) ?? false
        pendingExists = exists
        return exists
    }

    func pendingUsage(source: String) throws -> (rows: Int, bytes: Int) {
        if let known = usage[source] { return known }
        let rows = try connection.rows(
            "SELECT count(*), coalesce(sum(length(bytes)), 0)::bigint FROM pending_event WHERE source = \(source)",
            as: (Int, Int).self
        )
        let found = rows.first.map { (rows: $0.0, bytes: $0.1) } ?? (0, 0)
        usage[source] = found
        return found
    }

    /// Reads, in a few queries, what a batch will almost surely ask: whether its events are held,
    /// where their parents are, its authors' rings, what waits for its events, and the source's usage.
    func prefetch(for events: [Event], source: String) throws {
        let ids = events.map(\.id)
        try readHeld(ids)
        try readPlaces(Array(Set(ids + events.flatMap(\.prev))))
        try readRings(Array(Set(events.map(\.author))))
        _ = try pendingUsage(source: source)
        if try hasPending() { try readWaiting(ids) }
    }

    private func readHeld(_ ids: [EventID]) throws {
        for id in ids { held[id] = false }
        for id in try connection.rows(
            """
            SELECT id FROM event WHERE id = ANY(\(ids.map(\.hex)))
            UNION ALL SELECT id FROM pending_event WHERE id = ANY(\(ids.map(\.hex)))
            """,
            as: String.self
        ) {
            if let id = EventID(id) { held[id] = true }
        }
    }

    private func readPlaces(_ ids: [EventID]) throws {
        for id in ids { placement[id] = .some(nil) }
        for (id, issue, depth) in try connection.rows(
            "SELECT id, issue, depth FROM event WHERE id = ANY(\(ids.map(\.hex)))",
            as: (String, String, Int).self
        ) {
            if let id = EventID(id), let issue = EventID(issue) { placement[id] = (issue, depth) }
        }
    }

    private func readRings(_ nodes: [NodeID]) throws {
        let statements = Dictionary(
            grouping: try PostgresStore.statements(of: Set(nodes), on: connection),
            by: \.node
        )
        for node in nodes { keyRings[node] = KeyRing(node: node, statements: statements[node] ?? []) }
    }

    private func readWaiting(_ parents: [EventID]) throws {
        for parent in parents { children[parent] = [] }
        for (missing, seen, source, bytes) in try connection.rows(
            """
            SELECT missing, first_seen, source, bytes FROM pending_event
            WHERE missing && \(parents.map(\.hex))::text[]
            """,
            as: ([String], Int64, String, Data).self
        ) {
            guard let event = try? Event.decodeStored(Array(bytes)) else { continue }
            let waiting = PendingEvent(
                event: event,
                missing: missing.compactMap(EventID.init),
                firstSeen: Timestamp(secondsSinceEpoch: seen),
                source: source
            )
            for parent in waiting.missing where children[parent] != nil { children[parent]?.append(waiting) }
        }
    }
}
