import CIXCore
import CIXFederation
import CIXNode
import CIXStore
import CIXTesting
import Foundation
import Testing

/// A body shuts a misbehaving node out: its events are refused however they
/// come, those held stop counting, its policy is public, and unblocking undoes it.
@Suite("Blocking a node")
struct BlockingTests {
    static func report(_ node: LiveNode, _ title: String) throws -> EventID {
        try node.node.intake.report(
            ReportSubmission(title: title, category: "litter", latitude: 52.21, longitude: 0.12),
            now: .now()
        ).id
    }

    @Test func aBlockedNodesEventsAreRefusedEverywayAndHiddenUntilUnblocked() async throws {
        let folder = TemporaryDirectory("blocking")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        let police = try await LiveNode.start("police", kind: .police, in: folder)
        let rogue = try await LiveNode.start("rogue", kind: .voluntary, in: folder)
        let nodes = [council, police, rogue]
        do {
            try await council.peer(with: [police, rogue])
            try await police.peer(with: [council, rogue])
            try await rogue.peer(with: [council, police])

            // Before: the rogue's report reaches both, and the council comments on it.
            let first = try Self.report(rogue, "Buy cheap watches")
            try await rogue.pushToPeers()
            _ = try council.node.intake.contribute(
                ContributionSubmission(.comment, text: "This is an advert."),
                on: first,
                now: .now()
            )
            try await council.pushToPeers()
            #expect(try police.node.store.issueState(first) != nil)

            // The police block it: no longer a peer; what it wrote is hidden, not deleted.
            #expect(try police.node.block(rogue.node.id, reason: "Advertising posted as reports", now: .now()))
            #expect(try police.node.store.peer(rogue.node.id) == nil)
            #expect(try police.node.store.issueState(first) == nil)
            #expect(try police.node.store.event(first) != nil, "kept in the log")
            #expect(
                try police.node.store.issues(IssueQuery(order: .updated, limit: 50)).map(\.id).contains(first.hex)
                    == false
            )
            let web = WebClient(node: police)
            #expect(try await web.get("/issues/\(first.hex)").status == 404)
            let directory = try await web.get("/nodes")
            #expect(directory.text.contains("Advertising posted as reports"))
            #expect(directory.text.contains(rogue.node.id.hex))
            // Not served onward: the council's pull from the police skips the rogue's issue, and a fetch is 404.
            let served = try police.node.store.events(after: 0, limit: 1_000, for: council.node.id)
            #expect(!served.events.contains { $0.issue == first.hex })
            #expect(served.cursor == (try police.node.store.changeCounter()), "the cursor moves past what is hidden")
            #expect(try await WebClient(node: police).get("/federation/v1/events/\(first.hex)").status == 404)

            // A new report by the rogue: pushed by itself (refused, 403), relayed by the council (refused).
            let second = try Self.report(rogue, "Cheap watches again")
            let policeSeenByRogue = try #require(try rogue.node.store.peer(police.node.id))
            await #expect {
                _ = try await PeerPush(node: rogue.node).push(to: policeSeenByRogue, now: { .now() })
            } throws: {
                "\($0)".contains("403") && "\($0)".contains("blocked")
            }
            let councilSeenByRogue = try #require(try rogue.node.store.peer(council.node.id))
            _ = try await PeerPush(node: rogue.node).push(to: councilSeenByRogue, now: { .now() })
            #expect(try council.node.store.event(second) != nil, "the council does not block it")
            try await council.pushToPeers()
            #expect(try police.node.store.event(second) == nil)
            // Pulled from the council: refused again.
            try await police.pullFromPeers()
            #expect(try police.node.store.event(second) == nil)
            #expect(try police.node.store.counts().pending == 0)
            // Imported from the council's export: refused with the reason code `blocked`.
            let file = folder.file("council.ndjson")
            FileManager.default.createFile(atPath: file.path, contents: nil)
            let handle = try FileHandle(forWritingTo: file)
            _ = try EventExporter(store: council.node.store).export(to: handle, includePartnerOnly: false)
            try handle.close()
            let imported = try await EventImporter(node: police.node).importFile(
                file,
                source: "import",
                now: { .now() }
            )
            let refused = imported.verdicts.filter { $0.code == "blocked" }.compactMap(\.id)
            #expect(Set(refused) == [first, second], "\(imported.verdicts.map(\.code))")
            #expect(try police.node.store.event(second) == nil)
            // The rogue's own signed pull is refused; anyone's unsigned read is not.
            await #expect {
                _ = try await PeerSync(node: rogue.node).pull(from: policeSeenByRogue, now: { .now() })
            } throws: { "\($0)".contains("blocked") }
            #expect(try await WebClient(node: police).get("/federation/v1/events?after=0").status == 200)

            // Unblocked: the hidden issue is back, and the next pull brings what was refused meanwhile.
            #expect(try police.node.unblock(rogue.node.id))
            #expect(try police.node.store.issueState(first)?.contributions.count == 1)
            try await police.pullFromPeers()
            #expect(try police.node.store.issueState(second) != nil)
            #expect(try police.node.store.peer(rogue.node.id) == nil, "unblocking does not make it a peer again")
            #expect(try police.node.unblock(rogue.node.id) == false)
        } catch {
            for node in nodes { await node.stop() }
            throw error
        }
        for node in nodes { await node.stop() }
    }
}
