import CIXCore
import CIXFederation
import CIXNode
import CIXTesting
import Foundation
import Testing

extension FaultRun {
    /// Repair at volume, in the fault suite's own run so that its imports do not crowd other tests.
    @Suite("Repair at volume")
    struct RepairVolumeTests {
        /// 10,000 events, 1% missing on each side: the repair's bytes against a full re-send.
        @Test func tenThousandEventsWithOnePercentMissingEachSideCostLittle() async throws {
            let folder = TemporaryDirectory("repair-volume")
            defer { folder.remove() }
            var events: [Event] = []
            Workload(issues: 1_000, eventsPerIssue: 10, seed: 7).generate { events.append($0) }
            #expect(events.count == 10_000)
            // Each issue's last event has no children: dropping it leaves no event waiting.
            var last: [EventID: Event] = [:]
            for event in events { last[event.issue] = event }
            let leaves = last.values.map(\.id).sorted { $0.hex < $1.hex }
            let lackedByA = Set(leaves.prefix(100))
            let lackedByB = Set(leaves.dropFirst(100).prefix(100))
            func file(_ name: String, without: Set<EventID>) throws -> URL {
                let url = folder.file(name)
                var data = Data()
                for event in events where !without.contains(event.id) {
                    data.append(contentsOf: event.bytes)
                    data.append(0x0A)
                }
                try data.write(to: url)
                return url
            }
            let a = try await LiveNode.start("a", kind: .council, in: folder)
            let b = try await LiveNode.start("b", kind: .police, in: folder)
            do {
                for (node, lacking) in [(a, lackedByA), (b, lackedByB)] {
                    let report = try await EventImporter(node: node.node).importFile(
                        try file("\(node.node.config.node.name).ndjson", without: lacking),
                        source: "import",
                        now: { .now() }
                    )
                    #expect(report.accepted == 9_900, "\(report.rejected.prefix(3).map(\.reason))")
                }
                try await a.peer(with: [b])
                try await b.peer(with: [a])
                let peer = try #require(try a.node.store.peer(b.node.id))
                let repair = try await PeerSync(node: a.node).repair(with: peer, now: { .now() })
                #expect(repair.missingHere == 100 && repair.fetched.stored == 100, "\(repair.summary)")
                #expect(repair.missingThere == 100 && repair.pushedStored == 100, "\(repair.summary)")
                let fullResend = events.reduce(0) { $0 + $1.bytes.count + 1 }
                let repairBytes = repair.messageBytes + repair.eventBytes
                let share = Double(repairBytes) / Double(fullResend)
                print(
                    "repair of 10,000 events, 1% missing on each side: \(repairBytes) bytes "
                        + "(reconciliation \(repair.messageBytes) in \(repair.rounds) rounds, events \(repair.eventBytes)) "
                        + "against \(fullResend) for a full re-send: \(String(format: "%.2f", share * 100))%"
                )
                #expect(share <= 0.05)
                #expect(
                    try a.node.store.reconcilableIDs(sharedWith: nil, holder: a.node.id)
                        == (try b.node.store.reconcilableIDs(sharedWith: nil, holder: b.node.id))
                )
            } catch {
                await a.stop()
                await b.stop()
                throw error
            }
            await a.stop()
            await b.stop()
        }
    }
}
