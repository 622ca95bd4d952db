import CIXCore
import CIXStore
import Foundation
import GRDB

/// A node's store in one SQLite file: the append-only event log and
/// everything derived from it, the nodes it knows, photos, and (behind
/// `PrivateStore`) what only this node may see.
///
/// One Sendable value over a GRDB `DatabasePool` (WAL mode), shared safely by
/// the daemon and CLI commands running at the same time. Every write runs
/// with `synchronous=FULL` (checked when the store opens), so a batch
/// acknowledged after `ingest` returns survives power loss; a commit whose
/// sync fails throws an `unavailable` error, never a success. Projections (issues, agency statuses, search) can
/// always be rebuilt from the log (`rebuildProjections`), and rebuilding
/// gives identical bytes.
package struct SQLiteStore: NodeStore, PrivateStore {
    let pool: DatabasePool
    /// A connection of its own for WAL checkpoints, when they run in the background.
    let checkpointer: DatabaseQueue?
    /// The file's path.
    package let path: String
    /// How this process's writes are going, for `/healthz`.
    package let writeHealth = WriteHealth()
    /// The last migration that added or changed a projection table.
    static let lastProjectionChange = "v7-staff"
    /// Redactions looked for, and a scrub left unfinished (`SQLiteStore+Scrub`).
    let scrubWatch = ScrubWatch()
    /// The node's named areas, kept per issue in `issue_area`.
    let areas: AreaLocator

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    ///
    /// With `backgroundCheckpoints` (the daemon), commits never copy the WAL
    /// into the database themselves; `checkpoint()`, called periodically, does
    /// it on another connection without holding up writers, so a large
    /// checkpoint cannot delay the acknowledgement of a small batch.
    ///
    /// `areas` are the node's named areas (`[staff] areas_file`): each issue's are kept in
    /// `issue_area`, worked out again for every issue here if they changed since the last open.
    package init(
        path: String,
        backgroundCheckpoints: Bool = false,
        areas: AreaLocator = .none
    ) throws(StoreError) {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            if backgroundCheckpoints { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            // A 32 MiB page cache per connection keeps the id and issue indexes of a
            // million-event log in memory while it is written.
            try db.execute(sql: "PRAGMA cache_size = -32768")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // Freed pages are zeroed, so a redaction's removed text does not linger in them.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        var rebuild = false
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // Set after the pool is built: GRDB's WAL set-up, which runs after
            // `prepareDatabase`, puts the writer on synchronous=NORMAL, which
            // does not sync at commit.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            let applied = try pool.read { try Self.migrator.appliedIdentifiers($0) }
            try Self.migrator.migrate(pool)
            // A migration that adds a projection leaves it empty: project every held issue once.
            rebuild = !applied.isEmpty && !applied.contains(Self.lastProjectionChange)
            var checkpointing = Configuration()
            checkpointing.busyMode = .timeout(5)
            checkpointing.prepareDatabase { db in try db.execute(sql: "PRAGMA secure_delete = ON") }
            checkpointer = backgroundCheckpoints ? try DatabaseQueue(path: path, configuration: checkpointing) : nil
        } catch {
            throw .cannotOpen(path, cause: error)
        }
        self.path = path
        self.areas = areas
        let mode = try synchronousMode()
        guard mode == "full" || mode == "extra" else { throw .notDurable(path, mode: mode) }
        if rebuild { try rebuildProjections() }
        try placeIssuesInAreas()
    }

    /// The writer connection's `PRAGMA synchronous` (off, normal, full or extra).
    ///
    /// Must be full (or extra): then a commit returns only after its WAL frames
    /// are synced, so an acknowledged write survives a power cut.
    package func synchronousMode() throws(StoreError) -> String {
        let level = try writeWithoutTransaction("reading the sync mode") { db in
            try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
        }
        return ["off", "normal", "full", "extra"].indices.contains(level)
            ? ["off", "normal", "full", "extra"][level] : "unknown"
    }

    /// Copies what it can of the WAL into the database (PASSIVE: never waits for, nor blocks, writers);
    /// after a redaction or a deletion owed a scrub, scrubs first (`scrubIfOwed`).
    package func checkpoint() throws(StoreError) {
        try scrubIfOwed()
        guard let checkpointer else { return }
        do {
            try checkpointer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
        } catch {
            throw .database("checkpointing the WAL", cause: error)
        }
    }

    /// Runs a write transaction, mapping database failures to `StoreError`. Only writes that
    /// store events or reports (`provesHealth`) clear a standing storage failure: on a nearly
    /// full disk a small write (a peer's last contact, a session) can succeed where a batch of
    /// events cannot, and `/healthz` must not say "ok" until events can be stored again.
    func write<T: Sendable>(
        _ operation: String,
        provesHealth: Bool = false,
        _ work: @Sendable (Database) throws -> T
    ) throws(StoreError) -> T {
        do {
            let result = try pool.write(work)
            if provesHealth { writeHealth.succeeded() }
            return result
        } catch {
            throw failed(operation, error)
        }
    }

    /// Runs raw SQL on the writer: for tests that break a store on purpose, and for upkeep.
    package func execute(_ sql: String) throws(StoreError) {
        try writeWithoutTransaction("running \(sql.prefix(40))") { db in try db.execute(sql: sql) }
    }

    /// Runs work on the writer connection outside a transaction (pragmas, checkpoints). Its success
    /// does not clear a storage failure: a checkpoint can succeed on a full disk, where no commit could.
    func writeWithoutTransaction<T: Sendable>(
        _ operation: String,
        _ work: (Database) throws -> T
    ) throws(StoreError) -> T {
        do {
            return try pool.writeWithoutTransaction(work)
        } catch {
            throw failed(operation, error)
        }
    }

    /// A failed write as a `StoreError`, recorded in `writeHealth` unless it is a refusal of what
    /// was offered (a record that does not verify, a name taken): those say nothing of the storage.
    func failed(_ operation: String, _ error: any Error) -> StoreError {
        let failure = (error as? StoreError) ?? .database(operation, cause: error)
        if ![.corrupt, .conflict, .notFound].contains(failure.code) { writeHealth.failed(failure) }
        return failure
    }

    /// Runs a read, mapping database failures to `StoreError`.
    func read<T>(_ operation: String, _ work: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(work)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database(operation, cause: error)
        }
    }
}
