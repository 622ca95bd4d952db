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
