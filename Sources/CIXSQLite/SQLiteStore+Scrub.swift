import CIXStore
import Foundation
import GRDB
import Synchronization

/// Where a redaction's removed text and photos could still lie on disk after the
/// log, projections and attachments have been rewritten, and how each is cleared:
///
/// - pages freed by the rewrite: zeroed at once, because every connection runs
///   with `secure_delete = ON` (set explicitly, not left to how SQLite was built);
/// - the search index: FTS5 keeps deleted terms in its segments until they are
///   merged, so the index is merged (`optimize`), which frees the old segments;
/// - the WAL: old frames hold the pages as they were, so it is checkpointed with
///   TRUNCATE, which copies what is current into the database and empties it.
///
/// The daemon's checkpoint loop (every second) looks for redactions that reached
/// the store since it last looked, from any process, and for deletions of residents'
/// data owed a scrub (`scrub_state`), and scrubs then; a TRUNCATE that a long read
/// holds up past the connection's busy timeout is retried on the next round. A command's
/// scrub (`scrub`) says it could not finish instead, so that no receipt claims a scrub the
/// WAL did not have.
final class ScrubWatch: Sendable {
    struct State {
        /// The log's sequence number through which redactions have been looked for.
        var checkedThrough: Int64 = 0
        /// A scrub began but its checkpoint could not finish.
        var pending = false
    }

    let state = Mutex(State())
}

extension SQLiteStore {
    /// Scrubs if a redaction has reached the store since the last look, a deletion owes a scrub,
    /// or a scrub is unfinished; true when a scrub ran to the end.
    @discardableResult
    package func scrubIfOwed() throws(StoreError) -> Bool {
        let since = scrubWatch.state.withLock { $0.checkedThrough }
        let latest = try changeCounter()
        let owed = try read("looking for redactions and deletions to scrub") { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM event WHERE seq > ? AND seq <= ? AND kind = 'redact')
                        OR (SELECT owed > scrubbed_owed FROM scrub_state)
                    """,
                arguments: [since, latest]
            ) ?? false
        }
        let pending = scrubWatch.state.withLock { state in
            state.checkedThrough = max(state.checkedThrough, latest)
            state.pending = state.pending || owed
            return state.pending
        }
        guard pending else { return false }
        return try scrubOnce()
    }

    /// Merges the search index and truncates the WAL (see `ScrubWatch`); throws `unavailable`
    /// when readers kept the WAL from being emptied (it may still hold what was removed), the
    /// scrub left pending for a daemon's next round or the next command.
    package func scrub() throws(StoreError) {
        guard try scrubOnce() else {
            throw StoreError(
                code: .unavailable,
                message:
                    "the store was not scrubbed: a reader of store.sqlite (a running cix serve answering a long request, a backup, a sqlite3 shell) kept its WAL from being emptied, and the WAL may still hold what was removed. A running cix serve scrubs it as soon as the reader ends; else run `cix store scrub` again when no long read is running",
                cause: nil
            )
        }
    }

    /// One attempt at a scrub; whether the WAL was emptied.
    func scrubOnce() throws(StoreError) -> Bool {
        let owed = try write("merging the search index after a redaction") { db in
            try db.execute(sql: "INSERT INTO issue_text(issue_text) VALUES ('optimize')")
            return try Int64.fetchOne(db, sql: "SELECT owed FROM scrub_state") ?? 0
        }
        let busy: Bool
        do {
            let truncate = { (db: Database) throws -> Bool in
                try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)").map { ($0[0] as Int?) != 0 } ?? true
            }
            if let checkpointer {
                busy = try checkpointer.writeWithoutTransaction(truncate)
            } else {
                busy = try pool.writeWithoutTransaction(truncate)
            }
        } catch {
            throw failed("truncating the WAL after a redaction", error)
        }
        scrubWatch.state.withLock { $0.pending = busy }
        guard !busy else { return false }
        // Deletions made after `owed` was read may not be cleared from the WAL: they stay owed.
        try write("recording the scrub") { db in
            try db.execute(sql: "UPDATE scrub_state SET scrubbed_owed = max(scrubbed_owed, ?)", arguments: [owed])
        }
        return true
    }

    /// Counts a deletion of residents' data that a scrub must follow, in the deleting transaction.
    static func oweScrub(_ db: Database) throws {
        try db.execute(sql: "UPDATE scrub_state SET owed = owed + 1")
    }
}
