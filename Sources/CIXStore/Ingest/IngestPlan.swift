import CIXCore

/// The ingest rules, apart from any database: lookups in, changes out.
///
/// For each offered event, in order: an id already in the log or waiting is
/// a duplicate; the signing key must speak for the author at `now` (when this
/// node first sees it); an event with parents not yet in the log waits
/// (`park`); a parent from another issue, or a depth other than one more
/// than the deepest parent, is refused; otherwise it is appended, and every
/// waiting event whose last missing parent it was is appended after it, in
/// causal order. A refused event changes nothing. The plan sees its own
/// changes, so a batch may hold parents and children in any order.
///
/// Every backend runs the same plan and applies `changes` in order in one
/// transaction, then re-folds `touchedIssues`.
package struct IngestPlan {
    /// A change to make to the store, in order.
    package enum Change {
        case append(Event, firstSeen: Timestamp, source: String)
        case park(PendingEvent)
        /// Remove a waiting event (it is appended by a following `append`).
        case unpark(EventID)
    }

    package let now: Timestamp
    /// How much one source may have waiting for parents.
    package let pendingLimits: PendingLimits
    package private(set) var changes: [Change] = []
    /// Issues whose projections must be refreshed.
    package private(set) var touchedIssues: Set<EventID> = []
    /// Events appended by this plan, by id: what the projections need not decode again.
    package private(set) var appended: [String: Event] = [:]

    private var placedHere: [EventID: (issue: EventID, depth: Int)] = [:]
    private var parkedHere: [EventID: PendingEvent] = [:]
    private var unparked: Set<EventID> = []
    private var rings: [NodeID: KeyRing] = [:]
    private var anyPending: Bool?
    /// Rows and bytes waiting for parents, by source: read once, then counted as the plan parks.
    private var pendingUsage: [String: (rows: Int, bytes: Int)] = [:]

    package init(now: Timestamp, pendingLimits: PendingLimits = PendingLimits()) {
        self.now = now
        self.pendingLimits = pendingLimits
    }

    /// Decides what to do with one event.
    package mutating func offer(_ event: Event, source: String, lookup: some IngestLookup) throws -> IngestOutcome {
        if try isHeld(event.id, lookup) { return IngestOutcome(id: event.id, result: .duplicate) }
        if rings[event.author] == nil { rings[event.author] = try lookup.keyRing(for: event.author) }
        // Only keys that ever spoke for the author are stored; whether this one spoke at the
        // event's `at` is the fold's to say, so every node agrees whatever the arrival order.
        guard rings[event.author]?.knows(event.key) == true else {
            return IngestOutcome(
                id: event.id,
                result: .rejected(
                    CoreError(
                        .keyNotAuthorised,
                        "key \(event.key.hex.prefix(16))… is not a key of node \(event.author.short): no key statement held adds it"
                    )
                )
            )
        }
        return IngestOutcome(id: event.id, result: try place(event, firstSeen: now, source: source, lookup: lookup))
    }

    private mutating func isHeld(_ id: EventID, _ lookup: some IngestLookup) throws -> Bool {
        if placedHere[id] != nil || (parkedHere[id] != nil && !unparked.contains(id)) { return true }
        if unparked.contains(id) { return false }
        return try lookup.isHeld(id)
    }

    private func placement(_ id: EventID, _ lookup: some IngestLookup) throws -> (issue: EventID, depth: Int)? {
        if let placed = placedHere[id] { return placed }
        return try lookup.placed(id)
    }

    /// Appends an event whose parents are all in the log, or parks it; then
    /// releases the events that were waiting only for it.
    private mutating func place(
        _ event: Event,
        firstSeen: Timestamp,
        source: String,
        lookup: some IngestLookup
    ) throws
        -> IngestOutcome.Result
    {
        var parents: [EventID: (issue: EventID, depth: Int)] = [:]
        for parent in event.prev { parents[parent] = try placement(parent, lookup) }
        let missing = event.prev.filter { parents[$0] == nil }
        if !missing.isEmpty {
            let waiting = try pendingUsage[source] ?? lookup.pendingUsage(source: source)
            guard waiting.rows + 1 <= pendingLimits.rows, waiting.bytes + event.bytes.count <= pendingLimits.bytes
            else {
                return .rejected(
                    CoreError(
                        .pendingLimit,
                        "\(waiting.rows) events from this source already wait for parents; the limit is \(pendingLimits.rows) events and \(pendingLimits.bytes) bytes"
                    )
                )
            }
            pendingUsage[source] = (waiting.rows + 1, waiting.bytes + event.bytes.count)
            let pending = PendingEvent(event: event, missing: missing, firstSeen: firstSeen, source: source)
            parkedHere[event.id] = pending
            anyPending = true
            changes.append(.park(pending))
            return .pending(missing: missing)
        }
        if let foreign = parents.first(where: { $0.value.issue != event.issue }) {
            return .rejected(CoreError(.foreignParent, "parent \(foreign.key.hex) belongs to another issue"))
        }
        let expected = (parents.values.map(\.depth).max() ?? 0) + 1
        guard event.depth == expected else {
            return .rejected(CoreError(.wrongDepth, "depth is \(event.depth) but its parents make it \(expected)"))
        }
        changes.append(.append(event, firstSeen: firstSeen, source: source))
        placedHere[event.id] = (event.issue, event.depth)
        appended[event.id.hex] = event
        touchedIssues.insert(event.issue)
        try release(childrenOf: event.id, lookup: lookup)
        return .stored
    }

    /// Places each waiting child of `parent` whose missing parents are all in the log now.
    private mutating func release(childrenOf parent: EventID, lookup: some IngestLookup) throws {
        if anyPending == nil { anyPending = try lookup.hasPending() }
        guard anyPending == true else { return }
        var children = try lookup.waiting(for: parent).filter { !unparked.contains($0.event.id) }
        let known = Set(children.map(\.event.id))
        children += parkedHere.values.filter {
            !unparked.contains($0.event.id) && !known.contains($0.event.id) && $0.missing.contains(parent)
        }
        for child in children.sorted(by: { ($0.event.depth, $0.event.id) < ($1.event.depth, $1.event.id) }) {
            guard !unparked.contains(child.event.id) else { continue }
            var ready = true
            for missing in child.missing where try placement(missing, lookup) == nil { ready = false }
            guard ready else { continue }
            unparked.insert(child.event.id)
            changes.append(.unpark(child.event.id))
            _ = try place(child.event, firstSeen: child.firstSeen, source: child.source, lookup: lookup)
        }
    }
}
