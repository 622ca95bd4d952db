import CIXCore
import CIXFederation
import CIXNode
import CIXStore
import CIXTesting
import Foundation
import Testing

/// An event pushed before its parent does not wait for ever: the parent is
/// asked for at once from the sender, from another peer when the sender is
/// gone, and again later (not at every turn) when no peer has it. Real nodes
/// over HTTPS, real signed pushes.
@Suite("Missing parents are found", .serialized)
struct ParentChaseTests {
    static func push(_ event: Event, from author: LiveNode, to receiver: LiveNode) async throws -> String {
        let bytes = try #require(try author.node.store.event(event.id)).bytes
        let answer = try await PeerClient.with(
            caPEM: receiver.caPEM,
            signer: RequestSigner(node: author.id, key: author.node.key)
        ) { client in try await client.push([bytes], to: receiver.url) }
        #expect(answer.status == 200)
        return String(decoding: answer.body, as: UTF8.self)
    }

    static func waitUntil(_ condition: () throws -> Bool) async throws -> Bool {
        for _ in 0..<100 {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try condition()
    }

    static func reportWithComment(on node: LiveNode, _ title: String) throws -> (report: Event, comment: Event) {
        let report = try node.node.intake.report(
            ReportSubmission(title: title, category: "pothole", latitude: 52.2, longitude: 0.1),
            now: .now()
        ).event
        let comment = try node.node.act(.comment(TextBody(text: "It is getting deeper")), on: report.id, now: .now())
        return (report, comment)
    }

    @Test func aChildPushedBeforeItsParentGetsItFromTheSenderThenFromAnotherPeer() async throws {
        let folder = TemporaryDirectory("parents")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        let police = try await LiveNode.start("police", kind: .police, in: folder)
        let mirror = try await LiveNode.start("mirror", kind: .mirror, in: folder)
        defer { Task { for node in [council, police, mirror] { await node.stop() } } }
        try await police.peer(with: [council, mirror])
        try await council.peer(with: [police])
        try await mirror.peer(with: [council])

        // Pushed alone, the comment waits; the push itself starts the chase, and the council sends the report.
        let first = try Self.reportWithComment(on: council, "Pothole on Mill Lane")
        #expect(try await Self.push(first.comment, from: council, to: police).contains("pending"))
        #expect(try await Self.waitUntil { try police.node.store.event(first.report.id) != nil })
        #expect(try await Self.waitUntil { try police.node.store.counts().pending == 0 })
        #expect(try police.node.store.issueState(first.report.id)?.counts.comments == 1)

        // The sender gone, another peer that holds the parent supplies it.
        let second = try Self.reportWithComment(on: council, "Pothole on Station Road")
        try await mirror.pullFromPeers()
        await council.stop()
        #expect(try await Self.push(second.comment, from: council, to: police).contains("pending"))
        #expect(try await Self.waitUntil { try police.node.store.event(second.report.id) != nil })
        #expect(try await Self.waitUntil { try police.node.store.counts().pending == 0 })

        // A parent no peer holds: asked for, then not again until its time comes; the child still waits.
        let third = try Self.reportWithComment(on: council, "Pothole on Hills Road")
        #expect(try await Self.push(third.comment, from: council, to: police).contains("pending"))
        let chase = ParentChase()
        let sync = PeerSync(node: police.node)
        let start = Timestamp.now()
        let asked = try await sync.chaseParents(chase, now: { start })
        #expect(asked.notFound == 1 && asked.fetched == 0 && asked.pending == 1)
        #expect(try await sync.chaseParents(chase, now: { start }) == PeerSync.ChaseReport(pending: 1))
        let later = Timestamp(secondsSinceEpoch: start.secondsSinceEpoch + 31)
        #expect(try await sync.chaseParents(chase, now: { later }).notFound == 1)
    }
}
