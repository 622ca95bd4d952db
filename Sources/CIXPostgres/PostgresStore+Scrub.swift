import CIXStore
import PostgresNIO

/// Where a redaction's or an erasure's removed bytes could still lie in PostgreSQL once the
/// rows are rewritten or deleted, and how each is cleared:
///
/// - the tables' files: an UPDATE or DELETE leaves the old row version in its page, and a
///   plain VACUUM only marks the space free (measured: the text stays in the file), so the
///   store's tables are rewritten with `VACUUM FULL`, which writes each into a new file and
///   removes the old one. Each table is locked while it is rewritten: pages and ingest wait
///   for it (`deploy/mirror-postgres.toml` says how long, and how to scrub by command instead);
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

    package func scrubAfterRedactions() throws(StoreError) -> Bool {
        guard !isReplica else { return false }
        let (latest, scrubbed) =
            try read("looking for redactions to scrub") { connection in
                try connection.rows(
                    """
                    SELECT coalesce(max(seq), 0)::int8, (SELECT scrubbed_through FROM scrub_state)
                    FROM event WHERE kind = 'redact'
                    """,
                    as: (Int64, Int64).self
                ).first
            } ?? (Int64(0), Int64(0))
        guard latest > scrubbed else { return false }
        return try scrub(through: latest, always: false)
    }

    package func scrub() throws(StoreError) {
        let latest =
            try read("looking for redactions to scrub") { connection in
                try connection.value(
                    "SELECT coalesce(max(seq), 0)::int8 FROM event WHERE kind = 'redact'",
                    as: Int64.self
                )
            } ?? 0
        try scrub(through: latest, always: true)
    }

    /// Rewrites the store's tables and clears the WAL, then records that redactions through
    /// `through` are scrubbed. Unless `always` (a command), it returns false at once if another
    /// daemon is scrubbing, and does nothing if they were scrubbed while it looked; `always`
    /// waits for another daemon's scrub to end, then scrubs all the same.
    @discardableResult
    func scrub(through: Int64, always: Bool) throws(StoreError) -> Bool {
        guard !isReplica else {
            throw StoreError(
                code: .unavailable,
                message: "this daemon reads a replica of the PostgreSQL store: scrub on the primary",
                cause: nil
            )
        }
        let role: String
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
                    try connection.value("SELECT scrubbed_through FROM scrub_state", as: Int64.self) ?? 0 >= through
                {
                    return ""
                }
                let tables = try connection.rows(
                    "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
                    as: String.self
                )
                let names = tables.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
                try connection.run(
                    PostgresQuery(unsafeSQL: "VACUUM (FULL) " + names.joined(separator: ", ")),
                    deadline: Self.scrubDeadline
                )
                try connection.run("UPDATE scrub_state SET scrubbed_through = greatest(scrubbed_through, \(through))")
                return try connection.value("SELECT current_user::text", as: String.self) ?? "the store's role"
            }
            guard let done else { return false }
            role = done
        } catch {
            throw failure("rewriting the store's tables after a redaction", error)
        }
        // Empty: another daemon scrubbed them while this one waited for the lock.
        if !role.isEmpty { try clearWAL(role: role) }
        return true
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
