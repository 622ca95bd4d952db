import CIXCore
import CIXStore
import CIXTesting
import Testing

/// A store in dictionaries: what the ingest plan reads, and its changes applied.
final class MemoryStore: IngestLookup {
    var log: [EventID: Event] = [:]
    var order: [EventID] = []
    var pending: [EventID: PendingEvent] = [:]
    var statements: [KeyStatement] = []

    func isHeld(_ id: EventID) -> Bool { log[id] != nil || pending[id] != nil }
    func placed(_ id: EventID) -> (issue: EventID, depth: Int)? { log[id].map { ($0.issue, $0.depth) } }
    func keyRing(for node: NodeID) -> KeyRing { KeyRing(node: node, statements: statements) }
    func waiting(for parent: EventID) -> [PendingEvent] { pending.values.filter { $0.missing.contains(parent) } }
    func hasPending() -> Bool { !pending.isEmpty }
    func pendingUsage(source: String) -> (rows: Int, bytes: Int) {
        let mine = pending.values.filter { $0.source == source }
        return (mine.count, mine.reduce(0) { $0 + $1.event.bytes.count })
    }

    func ingest(_ events: [Event], now: Timestamp, limits: PendingLimits = PendingLimits()) throws -> [IngestOutcome] {
        var plan = IngestPlan(now: now, pendingLimits: limits)
        let outcomes = try events.map { try plan.offer($0, source: "test", lookup: self) }
        for change in plan.changes {
            switch change {
            case .append(let event, _, _):
                // Each append must come after all its parents.
                precondition(event.prev.allSatisfy { log[$0] != nil }, "appended before a parent")
                log[event.id] = event
                order.append(event.id)
            case .park(let waiting): pending[waiting.event.id] = waiting
            case .unpark(let id): pending[id] = nil
            }
        }
        return outcomes
    }
}

/// The ingest rules checked against a deliberately naive oracle: an event
/// belongs in the log exactly when it is valid on its own terms and all its
/// ancestors belong there; arrival order and batching change nothing.
@Suite("Ingest plan")
struct IngestPlanTests {
    let now = Timestamp("2026-03-01T12:00:00Z")!

    /// The naive answer: repeat until nothing changes, admitting each event whose parents are admitted.
    func oracle(_ events: [Event]) -> Set<EventID> {
        var admitted = Set<EventID>()
        let byID = Dictionary(events.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var changed = true
        while changed {
            changed = false
            for event in events where !admitted.contains(event.id) {
                let parents = event.prev.compactMap { byID[$0] }
                guard parents.count == event.prev.count, event.prev.allSatisfy(admitted.contains) else { continue }
                guard parents.allSatisfy({ $0.issue == event.issue }),
                    event.depth == (parents.map(\.depth).max() ?? 0) + 1
                else { continue }
                admitted.insert(event.id)
                changed = true
            }
        }
        return admitted
    }

    @Test(arguments: 0..<40)
    func anyOrderAndAnyBatchesGiveTheOracleLog(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed &* 7919 &+ 1)
        let events = RandomIssue.events(count: 30, seed: seed)
        let expected = oracle(events)
        let store = MemoryStore()
        var remaining = events.shuffled(using: &random)
        while !remaining.isEmpty {
            let size = Int.random(in: 1...max(1, remaining.count), using: &random)
            var batch = Array(remaining.prefix(size))
            remaining.removeFirst(size)
            // Now and then an event arrives twice, in the same or a later batch.
            if let again = batch.randomElement(using: &random), Bool.random(using: &random) { batch.append(again) }
            _ = try store.ingest(batch, now: now)
        }
        #expect(Set(store.log.keys) == expected)
        #expect(store.pending.isEmpty)
    }

    @Test func aChildWaitsForItsParentsThenFollowsThem() throws {
        var factory = EventFactory()
        let report = factory.report(by: FixedKeys.council)
        let comment = factory.event(
            .comment,
            by: FixedKeys.police,
            on: report.id,
            after: [report],
            body: Bodies.text("a")
        )
        let status = factory.event(
            .status,
            by: FixedKeys.council,
            on: report.id,
            after: [comment],
            body: Bodies.status(.fixed)
        )
        let store = MemoryStore()
        let first = try store.ingest([status], now: now)
        #expect(first[0].result == .pending(missing: [comment.id]))
        #expect(try store.ingest([status], now: now)[0].result == .duplicate)
        let second = try store.ingest([comment, report], now: now)
        #expect(second.map(\.result) == [.pending(missing: [report.id]), .stored])
        #expect(store.order == [report.id, comment.id, status.id])
    }

    @Test func refusalsChangeNothing() throws {
        var factory = EventFactory()
        let report = factory.report(by: FixedKeys.council)
        let other = factory.report(by: FixedKeys.police)
        let foreign = factory.event(
            .comment,
            by: FixedKeys.police,
            on: report.id,
            after: [other],
            body: Bodies.text("x")
        )
        let forged = try EventDraft(
            .report(
                ReportBody(
                    title: "t",
                    category: "litter",
                    location: Location(latitude: 1, longitude: 2),
                    reporter: "r-1"
                )
            ),
            issue: nil,
            prev: [],
            depth: 1,
            at: now
        ).sign(with: FixedKeys.stranger.key, author: FixedKeys.council.id, salt: Array(repeating: 1, count: 16))
        let store = MemoryStore()
        let outcomes = try store.ingest([report, other, foreign, forged], now: now)
        #expect(
            outcomes[2].result
                == .rejected(CoreError(.foreignParent, "parent \(other.id.hex) belongs to another issue"))
        )
        guard case .rejected(let error) = outcomes[3].result else {
            Issue.record("a forged author was not refused")
            return
        }
        #expect(error.code == .keyNotAuthorised)
        #expect(Set(store.log.keys) == [report.id, other.id])
    }

    @Test func noSourceMayParkMoreThanItsShare() throws {
        var factory = EventFactory()
        var limits = PendingLimits()
        limits.rows = 5
        let store = MemoryStore()
        // Ten orphans, each waiting for a report that never comes.
        let orphans = (0..<10).map { index in
            let parent = factory.report(by: FixedKeys.council, title: "Never sent \(index)")
            return factory.event(.comment, by: FixedKeys.police, on: parent.id, after: [parent], body: Bodies.text("?"))
        }
        let outcomes = try store.ingest(orphans, now: now, limits: limits)
        let codes = outcomes.map { outcome -> String in
            if case .rejected(let error) = outcome.result { return error.code.rawValue }
            if case .pending = outcome.result { return "pending" }
            return "other"
        }
        #expect(codes == Array(repeating: "pending", count: 5) + Array(repeating: "pending_limit", count: 5))
        #expect(store.pending.count == 5)
    }
}
