import CIXCore

/// What the ingest rules need to know of a store before a batch: the reads
/// `IngestPlan` makes. A backend answers them from its tables; a test from
/// dictionaries.
package protocol IngestLookup {
    /// Whether the event is in the log or waiting for parents.
    func isHeld(_ id: EventID) throws -> Bool
    /// The issue and depth of an event in the log, if it is there.
    func placed(_ id: EventID) throws -> (issue: EventID, depth: Int)?
    /// The key statements held for a node.
    func keyRing(for node: NodeID) throws -> KeyRing
    /// The events waiting for `parent` (among others, perhaps).
    func waiting(for parent: EventID) throws -> [PendingEvent]
    /// Whether any event waits for parents at all (when none does, the plan asks no more).
    func hasPending() throws -> Bool
    /// How many events from `source` wait for parents, and their bytes.
    func pendingUsage(source: String) throws -> (rows: Int, bytes: Int)
}

/// An event that waits for parents the store does not hold yet.
package struct PendingEvent: Sendable {
    package let event: Event
    /// The parents it was missing when it arrived.
    package let missing: [EventID]
    package let firstSeen: Timestamp
    package let source: String

    package init(event: Event, missing: [EventID], firstSeen: Timestamp, source: String) {
        self.event = event
        self.missing = missing
        self.firstSeen = firstSeen
        self.source = source
    }
}

/// How much any one source (a peer, an import, this node) may have waiting
/// for parents: events beyond it are refused (`pending_limit`), so that no
/// peer can fill the store with orphans. Waiting events also expire (see
/// `EventLog.expirePending`).
package struct PendingLimits: Sendable, Equatable {
    package var rows = 1_000
    package var bytes = 8 << 20
    /// How long an event may wait for its parents.
    package var maxAgeSeconds: Int64 = 7 * 86_400

    package init() {}
}
