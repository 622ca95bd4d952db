import CIXStore
import Foundation
import PostgresNIO

/// Where a redaction's or an erasure's removed bytes could still lie in PostgreSQL once the
/// rows are rewritten or deleted, and how each is cleared:
///
/// - the tables' files: an UPDATE or DELETE leaves the old row version in its page, and a
///   plain VACUUM only marks the space free (measured: the text stays in the file), so the
///   store's tables are rewritten with `VACUUM FULL`, which writes each into a new file and
///   removes the old one. Each table is locked while it is rewritten: pages and ingest wait
///   for it (`deploy/mirror-postgres.toml` says how long, and how to scrub by command instead).
///   The rewrite copies old versions that a transaction still open in the database might see,
///   even one that only read another table, or that wrote in another database of the cluster
///   (both measured), so the scrub first waits for every such transaction that began before it
///   to end (`waitForOlderSnapshots`);
/// - the WAL: its segments hold rows as they were written and whole pages as they were. The
///   segment is switched and a checkpoint taken, after which the server removes the segments
///   before it — removes them only with `wal_recycle = off`: with it on, they are renamed for
///   reuse and keep their bytes until overwritten, and the scrub says so.
///
/// Beyond the store's reach, and the operator's to clear: WAL archives, backups, and a
/// replica's own WAL (a replica's tables follow the primary's rewrite).
extension PostgresStore {
    /// The advisory lock a daemon holds while it scrubs: of several daemons, one scrubs.
    static let scrubLock: Int64 = 0x4349_5803
    /// Rewriting every table of a national mirror takes hours; a server that vanishes still ends the wait.
    static let scrubDeadline: Int64 = 24 * 3600
    /// How long a scrub waits for transactions older than itself to end, in seconds.
    package static let olderSnapshotWait: Int64 = 600

    /// Scrubs if a redaction reached the store, or residents' data was deleted from it, since the
    /// last scrub that finished; true when this call scrubbed.
    package func scrubIfOwed() throws(StoreError) -> Bool {
        guard !isReplica else { return false }
        let mark = try scrubMark()
        guard mark.latest > mark.scrubbedThrough || mark.owed > mark.scrubbedOwed else { return false }
        return try scrub(through: mark, always: false)
    }

    /// Counts a deletion of residents' data that a scrub must follow, in the deleting transaction.
    static func oweScrub(on connection: PostgresConnection) throws {
        try connection.run("UPDATE scrub_state SET owed = owed + 1")
    }

    /// The latest redaction and the deletions owed a scrub, and how far scrubs have come.
    struct ScrubMark {
        var latest: Int64
        var scrubbedThrough: Int64
        var owed: Int64
        var scrubbedOwed: Int64
    }

    func scrubMark() throws(StoreError) -> ScrubMark {
        let row = try read("looking for redactions and deletions to scrub") { connection in
            try connection.rows(
                """
                SELECT (SELECT coalesce(max(seq), 0) FROM event WHERE kind = 'redact')::int8,
                    scrubbed_through, owed, scrubbed_owed
                FROM scrub_state
                """,
                as: (Int64, Int64, Int64, Int64).self
            ).first
        }
        guard let row else {
            throw StoreError(code: .corrupt, message: "the store's scrub_state row is missing", cause: nil)
        }
        return ScrubMark(latest: row.0, scrubbedThrough: row.1, owed: row.2, scrubbedOwed: row.3)
    }

    package func scrub() throws(StoreError) { try scrub(snapshotWait: Self.olderSnapshotWait) }

    /// Scrubs now (`cix store scrub`), waiting at most `snapshotWait` seconds for transactions
    /// older than the scrub to end.
    package func scrub(snapshotWait: Int64) throws(StoreError) {
        try scrub(through: try scrubMark(), always: true, snapshotWait: snapshotWait)
    }

    /// Rewrites the store's tables and clears the WAL, then records that redactions and deletions
    /// through `mark` are scrubbed. Unless `always` (a command), it returns false at once if another
    /// daemon is scrubbing, and does nothing if they were scrubbed while it looked; `always`
    /// waits for another daemon's scrub to end, then scrubs all the same.
    @discardableResult
    func scrub(
        through mark: ScrubMark,
        always: Bool,
        snapshotWait: Int64 = olderSnapshotWait
    ) throws(StoreError)
        -> Bool
    {
        guard !isReplica else {
            throw StoreError(
                code: .unavailable,
                message: "this daemon reads a replica of the PostgreSQL store: scrub on the primary",
                cause: nil
            )
        }
        let role: String
        var holder: String?
        do {
            let done = try connections.withConnection { connection throws -> String? in
                let lock: PostgresQuery =
                    always
                    ? "SELECT true FROM (SELECT pg_advisory_lock(\(Self.scrubLock))) AS held"
                    : "SELECT pg_try_advisory_lock(\(Self.scrubLock))"
                // Waiting for another daemon's scrub may take as long as that scrub.
                let held = try connection.run(lock, deadline: Self.scrubDeadline).first.map { try $0.decode(Bool.self) }
                guard held == true else { return nil }
                defer { _ = try? connection.run("SELECT pg_advisory_unlock(\(Self.scrubLock))") }
                if !always,
                    try connection.value(
                        """
                        SELECT scrubbed_through >= \(mark.latest) AND scrubbed_owed >= \(mark.owed) FROM scrub_state
                        """,
                        as: Bool.self
                    ) == true
                {
                    return ""
                }
                holder = try Self.waitForOlderSnapshots(on: connection, atMost: snapshotWait)
                if holder != nil { return nil }
                let tables = try connection.rows(
                    "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
                    as: String.self
                )
                let names = tables.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
                try connection.run(
                    PostgresQuery(unsafeSQL: "VACUUM (FULL) " + names.joined(separator: ", ")),
                    deadline: Self.scrubDeadline
                )
                // What was deleted after the mark was read may have been rewritten too, or not: it stays owed.
                try connection.run(
                    """
                    UPDATE scrub_state SET scrubbed_through = greatest(scrubbed_through, \(mark.latest)),
                        scrubbed_owed = greatest(scrubbed_owed, \(mark.owed))
                    """
                )
                return try connection.value("SELECT current_user::text", as: String.self) ?? "the store's role"
            }
            if let holder {
                throw StoreError(
                    code: .unavailable,
                    message:
                        "the store was not scrubbed: \(holder) has been open for more than \(snapshotWait) s and may still see rows as they were before the redaction, which rewriting the tables would keep. End it (or let it end) and run `cix store scrub`",
                    cause: nil
                )
            }
            guard let done else { return false }
            role = done
        } catch let error as StoreError {
            throw error
        } catch {
            throw failure("rewriting the store's tables after a redaction", error)
        }
        // Empty: another daemon scrubbed them while this one waited for the lock.
        if !role.isEmpty { try clearWAL(role: role) }
        return true
    }

    /// Waits, at most `seconds`, until no transaction that began before now is left that
    /// `VACUUM FULL` must keep old row versions for: a snapshot in this database; a transaction
    /// that wrote, in any database of the cluster (while its id runs, every new snapshot, the
    /// rewrite's own included, counts it as unfinished, so rows deleted after it began are kept:
    /// seen in CI, whose tests share a cluster); a replication slot or a prepared transaction.
    /// Nil once there is none; else the oldest, named for the operator (any role sees other
    /// roles' `backend_xid`, `backend_xmin`, database and application name, not their type or
    /// start: checked on PostgreSQL 15).
    static func waitForOlderSnapshots(on connection: PostgresConnection, atMost seconds: Int64) throws -> String? {
        // Every transaction id below the snapshot's xmax has been given out; one at or above it
        // began after this point. Compared by age, as 32-bit ids wrap.
        let mark =
            try connection.value(
                "SELECT (pg_snapshot_xmax(pg_current_snapshot())::text::int8 % 4294967296)::int8",
                as: Int64.self
            ) ?? 0
        let started = ContinuousClock.now
        while true {
            let oldest = try connection.value(
                """
                WITH mark AS (SELECT \(mark)::int8::text::xid AS xid)
                (SELECT 'a transaction (process ' || pid || ', ' || coalesce(nullif(application_name, ''), backend_type, 'another role''s session')
                    || CASE WHEN datname <> current_database() THEN ', database ' || datname ELSE '' END
                    || coalesce(', since ' || to_char(xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"'), '') || ')'
                 FROM pg_stat_activity, mark
                 WHERE pid <> pg_backend_pid()
                   AND (((datid IS NULL OR datname = current_database()) AND age(backend_xmin) > age(mark.xid))
                        OR age(backend_xid) > age(mark.xid))
                 ORDER BY xact_start NULLS LAST LIMIT 1)
                UNION ALL
                (SELECT 'replication slot ' || slot_name FROM pg_replication_slots, mark
                 WHERE age(xmin) > age(mark.xid) LIMIT 1)
                UNION ALL
                (SELECT 'prepared transaction ' || gid FROM pg_prepared_xacts, mark
                 WHERE age(transaction) > age(mark.xid) LIMIT 1)
                LIMIT 1
                """,
                as: String.self
            )
            guard let oldest else { return nil }
            guard ContinuousClock.now - started < .seconds(seconds) else { return oldest }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// Switches the WAL segment and checkpoints, so that the server removes the segments that
    /// held the rows as they were; says what the operator must change where it cannot.
    func clearWAL(role: String) throws(StoreError) {
        let recycled: Bool
        do {
            recycled = try connections.withConnection { connection in
                try connection.run("SELECT pg_switch_wal()")
                try connection.run("CHECKPOINT", deadline: Self.scrubDeadline)
                return try connection.value("SELECT current_setting('wal_recycle')", as: String.self) != "off"
            }
        } catch {
            throw StoreError(
                code: .unavailable,
                message:
                    "the store's tables were rewritten after a redaction, but its WAL still holds the removed rows: \(Self.reason(error)). Let the role switch WAL segments and checkpoint (as a superuser: GRANT EXECUTE ON FUNCTION pg_switch_wal() TO \(role); GRANT pg_checkpoint TO \(role)), then run `cix store scrub`",
                cause: nil
            )
        }
        guard !recycled else {
            throw StoreError(
                code: .unavailable,
                message:
                    "the store's tables were rewritten after a redaction, but the server recycles WAL segments (wal_recycle = on), so old segments keep the removed rows until they are overwritten: set wal_recycle = off in postgresql.conf, reload, and run `cix store scrub`",
                cause: nil
            )
        }
    }
}
