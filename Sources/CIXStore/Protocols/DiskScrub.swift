/// Clearing from disk what redactions and erasures took out of the store: a rewritten or
/// deleted row can leave its old bytes in freed pages, search indexes and write-ahead logs
/// until they are cleared (`SQLiteStore+Scrub`, `PostgresStore+Scrub`).
package protocol DiskScrub: Sendable {
    /// Clears now every place the store controls that may still hold removed bytes; throws,
    /// saying what the operator must change, when a place could not be cleared.
    func scrub() throws(StoreError)

    /// Scrubs if a redaction has reached the store since the last scrub (or one is
    /// unfinished); true when a scrub ran to the end. Cheap when there is none.
    @discardableResult
    func scrubAfterRedactions() throws(StoreError) -> Bool
}
