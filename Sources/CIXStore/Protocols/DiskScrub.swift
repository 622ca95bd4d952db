/// Clearing from disk what redactions and erasures took out of the store: a rewritten or
/// deleted row can leave its old bytes in freed pages, search indexes and write-ahead logs
/// until they are cleared (`SQLiteStore+Scrub`, `PostgresStore+Scrub`).
package protocol DiskScrub: Sendable {
    /// Clears now every place the store controls that may still hold removed bytes; throws,
    /// saying what the operator must change, when a place could not be cleared.
    func scrub() throws(StoreError)

    /// Scrubs if a redaction has reached the store, or a deletion of residents' data was
    /// counted as owing a scrub, since the last scrub that finished; true when a scrub ran to
    /// the end. Cheap when nothing is owed.
    @discardableResult
    func scrubIfOwed() throws(StoreError) -> Bool
}
