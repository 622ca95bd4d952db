import CIXCore

/// The append-only log of signed events, with the events that wait for
/// their parents and the key statements that say which keys speak for whom.
///
/// Every backend applies the same rules on append (`IngestPlan`), so two
/// backends given the same events hold the same log and fold the same state.
package protocol EventLog: Sendable {
    /// Appends verified events in one durable transaction (see `IngestPlan`),
    /// bringing the projections of every touched issue up to date in it.
    /// When this returns, the batch is on disk.
    func ingest(_ events: [Event], source: String, now: Timestamp) async throws(StoreError) -> [IngestOutcome]

    /// `ingest`, blocking the caller (commands and tests).
    func ingestNow(_ events: [Event], source: String, now: Timestamp) throws(StoreError) -> [IngestOutcome]

    /// Events in local order after `seq`, at most `limit` of them.
    func events(after seq: Int64, limit: Int) throws(StoreError) -> [StoredEvent]

    /// Every event of one issue, in fold order.
    func events(ofIssue issue: EventID) throws(StoreError) -> [StoredEvent]

    /// One event by id.
    func event(_ id: EventID) throws(StoreError) -> StoredEvent?

    /// Public events of the given kinds first seen within [from, to], in local order.
    func events(
        kinds: [EventKind],
        seenFrom from: Timestamp,
        to: Timestamp,
        limit: Int
    ) throws(StoreError)
        -> [StoredEvent]

    /// Calls `visit` with every stored event grouped by issue, in fold order, in bounded memory.
    func forEachIssue(_ visit: ([StoredEvent]) throws -> Void) throws(StoreError)

    /// The highest local sequence number held.
    func lastSequence() throws(StoreError) -> Int64

    /// Counts of what the log holds: on SQLite each a pass over its table (seconds at millions of
    /// events); PostgreSQL keeps the events' and the issues' numbers as rows come and go.
    func counts() throws(StoreError) -> (events: Int, issues: Int, pending: Int)

    /// How many events wait for their parents (a small table): what a pull reports after each page.
    func pendingCount() throws(StoreError) -> Int

    /// A number that grows whenever an event reaches the store, from any process: what a cache of
    /// public answers is keyed to, so that none outlives a change (a redaction above all).
    func changeCounter() throws(StoreError) -> Int64

    /// The full id of the event whose id starts with `prefix` (6+ hex digits), if exactly one does.
    func resolveEvent(_ prefix: String) throws(StoreError) -> EventID?

    /// Every key statement held for a node, as a ring.
    func keyRing(for node: NodeID) throws(StoreError) -> KeyRing

    /// Stores a key statement after checking that its signer speaks for the node.
    func addKeyStatement(_ statement: KeyStatement) throws(StoreError)

    /// Every key statement held.
    func keyStatements() throws(StoreError) -> [KeyStatement]

    /// Whether writes are succeeding in this process (storage failures since the last success).
    var writeHealth: WriteHealth { get }

    /// Drops the events that have waited for parents since before `cutoff`; returns their ids.
    func expirePending(before cutoff: Timestamp) throws(StoreError) -> [EventID]

    /// Parents that waiting events lack and the log does not hold, each with the source (a peer's
    /// node id, "local" or "import") of the earliest event waiting for it; at most `limit`.
    func missingParents(limit: Int) throws(StoreError) -> [(parent: EventID, source: String)]

    /// What this node's blocks hide now (`BlockList`): never served onward.
    func hiddenEvents() throws(StoreError) -> HiddenEvents

    /// The ids (lower-case hex) of the events that both `holder` (this node) and `peer` may hold,
    /// as set reconciliation compares them — public events, and partner-only events whose
    /// audience includes both (none when `peer` is nil); none that a block hides; only those of
    /// `authors` when named — from `lower`
    /// (included; nil: from the first) up to `upper` (excluded; nil: past the last), from one
    /// snapshot of the store: `counted` gets how many there are, then `visit` each, ascending.
    /// Public ids are read `pageSize` a query, so a range as large as the whole log costs one
    /// pass in bounded memory, and a small range only its own ids.
    func visitReconcilableIDs(
        from lower: String?,
        below upper: String?,
        sharedWith peer: NodeID?,
        holder: NodeID,
        authors: [NodeID]?,
        pageSize: Int,
        counted: (Int) -> Void,
        visit: (String) -> Void
    ) throws(StoreError)

    /// The count and sum (`IDSum`) of the ids `visitReconcilableIDs` would visit in each of `ranges`
    /// (ascending, not overlapping; nil bounds as there), from sums the store keeps for fixed parts of
    /// the id space (narrowed to `authors`: for each author's whole set), without reading every id;
    /// nil if the store keeps none for them.
    func reconcilableSums(
        of ranges: [(lower: String?, upper: String?)],
        sharedWith peer: NodeID?,
        holder: NodeID,
        authors: [NodeID]?
    ) throws(StoreError) -> [(count: Int, sum: IDSum)]?

    /// The ids at `indexes` (ascending, from 0) among those `visitReconcilableIDs` would visit from
    /// `lower` below `upper`, found from the kept sums' counts without reading the ids before them;
    /// nil if the store keeps no sums or cannot find them so (a block in force, partner-only events
    /// in the range).
    func reconcilableIDs(
        at indexes: [Int],
        from lower: String?,
        below upper: String?,
        sharedWith peer: NodeID?,
        holder: NodeID
    ) throws(StoreError) -> [String]?
}

extension EventLog {
    package func reconcilableSums(
        of ranges: [(lower: String?, upper: String?)],
        sharedWith peer: NodeID?,
        holder: NodeID,
        authors: [NodeID]?
    ) throws(StoreError) -> [(count: Int, sum: IDSum)]? { nil }

    package func reconcilableIDs(
        at indexes: [Int],
        from lower: String?,
        below upper: String?,
        sharedWith peer: NodeID?,
        holder: NodeID
    ) throws(StoreError) -> [String]? { nil }
}

extension EventLog {
    /// Every id `visitReconcilableIDs` visits, at once: for comparing two whole stores (a migration's
    /// check), not for reconciliation, which reads a range at a time.
    package func reconcilableIDs(sharedWith peer: NodeID?, holder: NodeID) throws(StoreError) -> [String] {
        var ids: [String] = []
        try visitReconcilableIDs(
            from: nil,
            below: nil,
            sharedWith: peer,
            holder: holder,
            counted: { ids.reserveCapacity($0) },
            visit: { ids.append($0) }
        )
        return ids
    }

    /// `visitReconcilableIDs`, `ReconcilableIDs.pageSize` ids a query.
    package func visitReconcilableIDs(
        from lower: String?,
        below upper: String?,
        sharedWith peer: NodeID?,
        holder: NodeID,
        authors: [NodeID]? = nil,
        counted: (Int) -> Void,
        visit: (String) -> Void
    ) throws(StoreError) {
        try visitReconcilableIDs(
            from: lower,
            below: upper,
            sharedWith: peer,
            holder: holder,
            authors: authors,
            pageSize: ReconcilableIDs.pageSize,
            counted: counted,
            visit: visit
        )
    }
}

extension EventLog {
    /// The rings of the authors of `events`, as the fold takes them.
    package func keyRings(for events: [Event]) throws(StoreError) -> KeyRings {
        var rings: [KeyRing] = []
        for author in Set(events.map(\.author)) { rings.append(try keyRing(for: author)) }
        return KeyRings(rings)
    }

    /// Events in local order after `seq` that `requester` may receive: every
    /// public event, and partner-only events whose audience includes it, but
    /// none that a block hides. Unsigned requesters (nil) receive public events
    /// only. Returns them with the sequence number up to which the log was
    /// examined (the next cursor).
    package func events(
        after seq: Int64,
        limit: Int,
        for requester: NodeID?
    ) throws(StoreError)
        -> (events: [StoredEvent], cursor: Int64)
    {
        var selected: [StoredEvent] = []
        var cursor = seq
        let hidden = try hiddenEvents()
        while selected.count < limit {
            let page = try events(after: cursor, limit: limit - selected.count)
            guard !page.isEmpty else { break }
            for event in page {
                cursor = event.seq
                if hidden.contains(event) { continue }
                if event.isPublic {
                    selected.append(event)
                } else if let requester, let decoded = try? Event.decodeStored(event.bytes),
                    decoded.audience.includes(requester, author: decoded.author)
                {
                    selected.append(event)
                }
            }
        }
        return (selected, cursor)
    }
}

extension EventLog {
    /// The events to push to `peer` after `seq`: those it may hold and did not send us itself.
    package func outbox(
        for peer: NodeID,
        after seq: Int64,
        limit: Int
    ) throws(StoreError)
        -> (events: [StoredEvent], cursor: Int64)
    {
        let page = try events(after: seq, limit: limit, for: peer)
        return (page.events.filter { $0.source != peer.hex }, page.cursor)
    }
}
