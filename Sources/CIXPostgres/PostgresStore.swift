import CIXCore
import CIXStore
import Foundation
import Logging
import NIOPosix
import PostgresNIO

/// A node's store in PostgreSQL: the event log, the events waiting for their
/// parents, key statements, every projection (lists, search, places, agency
/// parts), the nodes it knows, peers and photos, and what only the node may
/// see (`NodeVault`: residents, staff, cases, mail, bridges, the gazetteer) —
/// for a node too large for one SQLite file or served by several daemons.
///
/// It runs the same ingest rules as SQLite (`IngestPlan`) and the same
/// projection (`IssueProjection`), so both backends given the same events hold
/// the same log and the same state, byte for byte. Writers take one
/// transaction-scoped advisory lock, so any number of daemons may share the
/// database: batches are applied one after another, each wholly or not at all.
/// PostgreSQL makes a commit durable before it returns (`synchronous_commit`
/// on, checked at open).
package final class PostgresStore: NodeStore {
    let connections: PostgresConnections
    /// Where the store is, as configured (without the password): for messages.
    package let location: String
    package let writeHealth = WriteHealth()
    /// The node's named areas, kept per issue in `issue_area`.
    let areas: AreaLocator
    /// Whether the server is a standby (a streaming replica): then the store is read, never
    /// written, and a daemon in front of it serves pages and pulls by others only.
    package let isReplica: Bool
    /// How many of the latest issues, in the list's order, a search's first page is looked for
    /// in before the words' index is asked (`searchWindow(for:)` widens it for later pages); a
    /// search's count reads ten times as many, in any order. Smaller only in tests, so that a
    /// few issues take both ways.
    package let searchWindow: Int
    static let defaultSearchWindow = 5_000

    /// The advisory lock every writer takes for its transaction ("CIX" and 1).
    static let writeLock: Int64 = 0x4349_5801
    /// A logger that says nothing: the store's failures reach the operator as `StoreError`s.
    static let quiet: Logger = {
        var logger = Logger(label: "cix.postgres")
        logger.logLevel = .critical
        return logger
    }()

    init(
        connections: PostgresConnections,
        location: String,
        areas: AreaLocator,
        isReplica: Bool,
        searchWindow: Int
    ) {
        self.connections = connections
        self.location = location
        self.areas = areas
        self.isReplica = isReplica
        self.searchWindow = max(1, searchWindow)
    }

    deinit { connections.close() }

    /// Connects (refusing at once, with the server's reason, if it cannot be reached or refuses
    /// the credentials), checks that commits are durable, and brings the schema up to date.
    /// `connections` bounds how many this process opens at once.
    package static func open(
        url: String,
        passwordFile: String? = nil,
        areas: AreaLocator = .none,
        connections size: Int = 8,
        searchWindow: Int = defaultSearchWindow
    ) throws(StoreError) -> PostgresStore {
        let place = try PostgresStoreURL(url)
        let password = try place.password(from: passwordFile)
        let configuration = try place.connectionConfiguration(password: password)
        let connections = PostgresConnections(configuration: configuration, size: size, logger: quiet)
        do {
            let (durable, replica) =
                try connections.withConnection { connection in
                    try connection.rows(
                        "SELECT current_setting('synchronous_commit'), pg_is_in_recovery()",
                        as: (String, Bool).self
                    ).first
                } ?? ("on", false)
            guard durable != "off" else { throw StoreError.notDurable(url, mode: "synchronous_commit=off") }
            let store = PostgresStore(
                connections: connections,
                location: url,
                areas: areas,
                isReplica: replica,
                searchWindow: searchWindow
            )
            if replica {
                // A standby takes its schema from the primary, which may not have been migrated yet.
                let missing = try connections.withConnection { try PostgresSchema.missing($0) }
                guard missing.isEmpty else {
                    throw StoreError(
                        code: .cannotOpen,
                        message:
                            "the PostgreSQL store at \(url) is a replica whose primary lacks schema steps \(missing.joined(separator: ", ")): start a daemon on the primary first",
                        cause: nil
                    )
                }
                return store
            }
            let applied = try connections.withConnection { try PostgresSchema.migrate($0) }
            if applied.contains(PostgresSchema.projectionsVersion) { try store.rebuildProjections() }
            try store.placeIssuesInAreas()
            return store
        } catch let error as StoreError {
            connections.close()
            throw error
        } catch {
            connections.close()
            throw StoreError(
                code: .cannotOpen,
                message: "cannot open the PostgreSQL store at \(url): \(Self.reason(error))",
                cause: nil
            )
        }
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

    /// Runs a read, mapping failures to `StoreError`.
    func read<T>(_ operation: String, _ work: (PostgresConnection) throws -> T) throws(StoreError) -> T {
        do {
            return try connections.withConnection(timeout: StoreReadBudget.seconds, work)
        } catch {
            throw failure(operation, error)
        }
    }

    /// Runs read-only statements that must see one snapshot of the store, whatever is written meanwhile.
    func readSnapshot<T>(_ operation: String, _ work: (PostgresConnection) throws -> T) throws(StoreError) -> T {
        do {
            return try connections.transaction(
                begin: "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
                timeout: StoreReadBudget.seconds,
                work
            )
        } catch {
            throw failure(operation, error)
        }
    }

    /// Runs a write transaction under the writers' lock, mapping failures to `StoreError`.
    /// Only writes that store events (`provesHealth`) clear a standing storage failure.
    @discardableResult
    func write<T>(
        _ operation: String,
        provesHealth: Bool = false,
        _ work: (PostgresConnection) throws -> T
    ) throws(StoreError) -> T {
        guard !isReplica else {
            throw StoreError(
                code: .unavailable,
                message:
                    "this daemon reads a replica of the PostgreSQL store and takes no writes (\(operation)): send them to a daemon of the primary",
                cause: nil
            )
        }
        do {
            let result = try connections.transaction { connection in
                try connection.run("SELECT pg_advisory_xact_lock(\(Self.writeLock))")
                return try work(connection)
            }
            if provesHealth { writeHealth.succeeded() }
            return result
        } catch {
            let failure = failure(operation, error)
            if ![.corrupt, .conflict, .notFound].contains(failure.code) { writeHealth.failed(failure) }
            throw failure
        }
    }

    /// A failure as a `StoreError`: the store's own refusals as they are; the server's
    /// refusal to store (disk full, read-only, shutting down) or a lost connection as
    /// `unavailable`, so that peers retry and nothing is acknowledged.
    func failure(_ operation: String, _ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PSQLError {
            let state = error.serverInfo?[.sqlState] ?? ""
            // 57014: cancelled, here by the statement timeout a request's read budget set.
            if state == "57014", let seconds = StoreReadBudget.seconds {
                return StoreError.timedOut(operation, seconds: seconds)
            }
            // 53: insufficient resources (disk full, out of memory); 57: operator intervention
            // (shutting down); 08: connection exceptions; 25006: a read-only transaction (a replica).
            let storage =
                error.serverInfo == nil || state.hasPrefix("53") || state.hasPrefix("57") || state.hasPrefix("08")
                || state == "25006"
            return StoreError.backend(
                "\(operation) (PostgreSQL: \(Self.reason(error)))",
                cause: error,
                storageFault: storage
            )
        }
        return StoreError.backend(operation, cause: PostgresFailure(error), storageFault: true)
    }

    /// Runs raw SQL under the writers' lock: for tests that break a store on purpose, and for upkeep.
    package func execute(_ sql: String) throws(StoreError) {
        try write("running \(sql.prefix(40))") { connection in try connection.run(PostgresQuery(unsafeSQL: sql)) }
    }

    /// Runs a query whose rows are one integer each: for tests and diagnostics (`pg_locks`, say).
    package func integers(_ sql: String) throws(StoreError) -> [Int64] {
        try read("running \(sql.prefix(40))") { connection in
            try connection.rows(PostgresQuery(unsafeSQL: sql), as: Int64.self)
        }
    }

    /// A query whose rows are one text each: for tests and diagnostics (`current_setting`, say).
    package func texts(_ sql: String) throws(StoreError) -> [String] {
        try read("running \(sql.prefix(40))") { connection in
            try connection.rows(PostgresQuery(unsafeSQL: sql), as: String.self)
        }
    }

    /// The server processes that hold leases on work now, one entry per lease (`PostgresLeases`).
    package func leaseHolders() throws(StoreError) -> [Int64] {
        try integers(
            """
            SELECT pid::int8 FROM pg_locks
            WHERE locktype = 'advisory' AND classid = \(PostgresLeases.space) AND objsubid = 2 AND granted
            ORDER BY pid
            """
        )
    }

    /// Stops the store's connections; later calls fail.
    package func close() { connections.close() }
}

/// A non-Sendable failure, carried as its description.
struct PostgresFailure: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ error: any Error) { description = "\(error)" }
}
