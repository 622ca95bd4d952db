import CIXStore
import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#endif

extension SQLiteStore {
    /// What a repair did.
    package struct Repair: Sendable {
        /// Rows copied, by table: the log and every other record held nowhere else.
        package var copied: [(table: String, rows: Int)] = []
        /// Where the damaged file now is.
        package var damagedPath = ""
    }

    /// Rebuilds the store at `path` into a fresh file and puts it in its place.
    ///
    /// The log and every table held nowhere else are copied row by row from
    /// their own pages (never through an index, which may be the damaged part);
    /// the projections and the search index are rebuilt from the copied log,
    /// exactly as `rebuildProjections` builds them; every index is new. The
    /// fresh file must pass `checkStorage` before it replaces the old one, which
    /// is kept at `damagedPath`. A table held nowhere else that cannot be read
    /// stops the repair with the file untouched: only a backup brings it back.
    ///
    /// Nothing else may have the store open (the caller holds the daemon lock).
    package static func repair(
        path: String,
        keepingDamagedAt damagedPath: String,
        progress: (String) -> Void = { _ in }
    ) throws(StoreError) -> Repair {
        let fresh = path + ".repairing"
        for leftover in [fresh, fresh + "-wal", fresh + "-shm"] {
            try? FileManager.default.removeItem(atPath: leftover)
        }
        var repair = Repair()
        do {
            repair.copied = try build(fresh, from: path, progress: progress)
        } catch {
            for leftover in [fresh, fresh + "-wal", fresh + "-shm"] {
                try? FileManager.default.removeItem(atPath: leftover)
            }
            throw error
        }
        progress("putting the rebuilt store in place; the damaged one is kept at \(damagedPath)")
        do {
            let files = FileManager.default
            try files.moveItem(atPath: path, toPath: damagedPath)
            for suffix in ["-wal", "-shm"] where files.fileExists(atPath: path + suffix) {
                try files.moveItem(atPath: path + suffix, toPath: damagedPath + suffix)
            }
            try files.moveItem(atPath: fresh, toPath: path)
            for suffix in ["-wal", "-shm"] { try? files.removeItem(atPath: fresh + suffix) }
            syncDirectory(of: path)
        } catch {
            throw StoreError(
                code: .database,
                message: "the rebuilt store is at \(fresh) but could not be moved to \(path)",
                cause: error
            )
        }
        repair.damagedPath = damagedPath
        return repair
    }

    /// Builds the fresh store at `fresh` from the damaged one at `path`; returns the rows copied per table.
    private static func build(
        _ fresh: String,
        from path: String,
        progress: (String) -> Void
    ) throws(StoreError) -> [(table: String, rows: Int)] {
        let store = try SQLiteStore(path: fresh)
        let copied = try store.writeWithoutTransaction("copying the log from the damaged store") { db in
            try db.execute(sql: "ATTACH DATABASE ? AS damaged", arguments: [path])
            defer { try? db.execute(sql: "DETACH DATABASE damaged") }
            var copied: [(table: String, rows: Int)] = []
            try db.inTransaction {
                for table in try held(db) {
                    progress("copying \(table)")
                    copied.append((table, try copy(table, db)))
                }
                // Keep each AUTOINCREMENT counter where it was, so no sequence number is given twice.
                try? db.execute(
                    sql: """
                        DELETE FROM main.sqlite_sequence;
                        INSERT INTO main.sqlite_sequence (name, seq) SELECT name, seq FROM damaged.sqlite_sequence;
                        """
                )
                return .commit
            }
            return copied
        }
        progress(
            "rebuilding projections and the search index from \(copied.first { $0.table == "event" }?.rows ?? 0) events"
        )
        try store.rebuildProjections()
        progress("checking the rebuilt file")
        let damage = try store.checkStorage()
        guard damage.isEmpty else {
            throw StoreError.corrupt(
                "the rebuilt store is not sound either: \(damage.map(\.description).joined(separator: "; "))"
            )
        }
        try store.writeWithoutTransaction("checkpointing the rebuilt store") { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
        return copied
    }

    /// The tables to copy: in the fresh schema, not derived, not SQLite's or the migrator's own, and not
    /// the gazetteer's full-text shadow tables (the gazetteer is copied through its own table).
    private static func held(_ db: Database) throws -> [String] {
        try String.fetchAll(
            db,
            sql: """
                SELECT name FROM main.sqlite_schema
                WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                ORDER BY name
                """
        ).filter { !isDerived($0) && !$0.hasPrefix("gazetteer_") }
    }

    /// Copies one table's rows, reading its own pages (`NOT INDEXED`), in the columns both schemas have.
    private static func copy(_ table: String, _ db: Database) throws -> Int {
        let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?, 'main')", arguments: [table])
        let old = Set(
            try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?, 'damaged')", arguments: [table])
        )
        let shared = columns.filter(old.contains).map { "\"\($0)\"" }.joined(separator: ", ")
        guard !shared.isEmpty else { return 0 }
        do {
            // What the migrations seeded in the fresh store (the mail cursor's row) gives way to what was held.
            try db.execute(sql: "DELETE FROM main.\"\(table)\"")
            // A virtual table has no pages of its own to read past an index.
            let own = table == "gazetteer" ? "" : " NOT INDEXED"
            try db.execute(
                sql: "INSERT INTO main.\"\(table)\" (\(shared)) SELECT \(shared) FROM damaged.\"\(table)\"\(own)"
            )
        } catch {
            throw StoreError.corrupt(
                "table \(table) cannot be read (\(reason(error))); it is held nowhere else, so restore the store from a backup"
            )
        }
        return db.changesCount
    }

    /// Makes the renames in the directory durable.
    private static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
