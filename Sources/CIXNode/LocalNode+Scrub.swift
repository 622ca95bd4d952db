import CIXCore
import CIXPostgres
import CIXStore

/// Clearing redacted and erased records from disk (`DiskScrub`), for the daemon's upkeep
/// and for commands that redact or erase.
extension LocalNode {
    /// Whether redactions are scrubbed as they reach the store, by the daemon or the command
    /// that made them; `[store] scrub_after_redactions = false` leaves it to `cix store scrub`.
    package var scrubsAfterRedactions: Bool { config.store?.scrub_after_redactions ?? true }

    /// The daemon's upkeep, each second: checkpoints `store.sqlite` (which scrubs it after a
    /// redaction or a deletion owed a scrub) and scrubs a PostgreSQL store after one, unless that
    /// is left to the command or the store is a replica (its primary's daemons scrub; the rewrite
    /// reaches it).
    package func upkeep() throws(StoreError) {
        try backend.checkpoint()
        guard store is PostgresStore, scrubsAfterRedactions, !readsReplica else { return }
        try store.scrubIfOwed()
    }

    /// Deletes the removed texts moderators were keeping whose time is up (`[staff]
    /// keep_redacted_days`); how many were deleted. The store then owes a scrub, which the
    /// daemon's upkeep runs within a second (`upkeep`).
    package func purgeKeptOriginals(now: Timestamp) throws(StoreError) -> Int {
        try staffRecords.purgeOriginals(now: now.secondsSinceEpoch)
    }

    /// Scrubs now, whatever `[store]` says (`cix store scrub`).
    package func scrubStore() throws(NodeError) {
        do {
            try store.scrub()
        } catch {
            throw NodeError(error)
        }
    }

    /// Scrubs now, after a redaction or an erasure made here, unless left to the command;
    /// whether it scrubbed.
    @discardableResult
    package func scrubAfterChange() throws(StoreError) -> Bool {
        guard scrubsAfterRedactions else { return false }
        try store.scrub()
        return true
    }
}
