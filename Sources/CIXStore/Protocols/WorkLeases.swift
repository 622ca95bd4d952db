/// Work that only one of the daemons sharing a store may do at a time —
/// pulling from one peer, repairing with it — so that several `cix serve`
/// processes in front of one PostgreSQL store share the peers out between
/// them instead of each doing all of it. A daemon holds a lease until it lets
/// go or dies; then another takes it on its next round, and nothing is lost.
package protocol WorkLeases: Sendable {
    /// Whether this process holds the lease on `work` now, taking it if it is free.
    func hold(_ work: String) -> Bool
    /// Lets go of `work` (its loop stopped).
    func release(_ work: String)
}

/// The leases of a store only one daemon ever serves (SQLite: the data directory's lock keeps
/// a second `cix serve` out): every lease is this process's.
package struct SoleDaemon: WorkLeases {
    package init() {}
    package func hold(_ work: String) -> Bool { true }
    package func release(_ work: String) {}
}
