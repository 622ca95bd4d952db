import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXServer
import CIXStore
import CIXTesting
import Foundation
import Testing

@testable import CIXFederation

@Suite("Daemon operations", .serialized)
struct OperationsTests {
    @Test func metricsCountRequestsAndShowTheStore() async throws {
        let folder = TemporaryDirectory("metrics")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        _ = try council.node.report(
            ReportSubmission(title: "Litter", category: "litter", latitude: 1, longitude: 2),
            now: .now()
        )
        let text = try await PeerClient.with(caPEM: council.caPEM, signer: nil) { client in
            _ = try await client.health(at: council.url)
            return String(
                decoding: try await client.raw(.GET, base: council.url, path: "/metrics", headers: [], body: []).body,
                as: UTF8.self
            )
        }
        await council.stop()
        #expect(text.contains("cix_store_events 1.0\n"))
        #expect(text.contains(#"cix_requests_total{route="/healthz",status="200"} 1"#))
        #expect(text.contains("cix_request_duration_seconds_bucket"))
    }

    @Test func aNodeStoppedMidSyncLosesNothingAndCatchesUp() async throws {
        let folder = TemporaryDirectory("midsync")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        var mirror = try await LiveNode.start("mirror", kind: .mirror, in: folder)
        _ = try await PeerSync(node: mirror.node)
            .addPeer(url: council.url, caPEM: council.caPEM, now: .now())
        let input = folder.file("workload.ndjson")
        try Workload(issues: 300, eventsPerIssue: 10).write(to: input)
        _ = try await EventImporter(node: council.node).importFile(input, source: "test", now: { .now() })
        // Pull one page only, as if the mirror died after it, then restart the mirror from its files.
        let peer = try #require(try mirror.node.store.peer(council.id))
        let page = try await PeerClient.with(caPEM: council.caPEM, signer: nil) {
            try await $0.pull(from: council.url, after: 0, limit: 700)
        }
        let decoded = await ParallelDecoder.decode(page.events.enumerated().map { ($0.offset, $0.element) })
        _ = try await mirror.node.store.ingest(
            decoded.compactMap { try? $0.result.get() },
            source: peer.node.hex,
            now: .now()
        )
        await mirror.stop()
        mirror = try await LiveNode.serve(try LocalNode.open(mirror.node.directory))
        #expect(try mirror.node.store.counts().events == 700)
        // The next sync starts from the stored cursor (0 here, since the page was not acknowledged) and completes.
        let report = try await PeerSync(node: mirror.node)
            .pull(from: try #require(try mirror.node.store.peer(council.id)), now: { .now() })
        #expect(report.duplicates == 700 && report.stored == 2_300)
        #expect(try mirror.node.store.projectedStates() == council.node.store.projectedStates())
        #expect(try await StoreVerifier(store: mirror.node.store).verify().isSound)
        await council.stop()
        await mirror.stop()
    }

    @Test func missingParentsAreFetchedFromThePeerThatSentTheChild() async throws {
        let folder = TemporaryDirectory("parents")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        let police = try await LiveNode.start("police", kind: .police, in: folder)
        _ = try await PeerSync(node: police.node)
            .addPeer(url: council.url, caPEM: council.caPEM, now: .now())
        let report = try council.node.report(
            ReportSubmission(title: "Broken bench", category: "parks", latitude: 1, longitude: 2),
            now: .now()
        )
        let comment = try council.node.act(.comment(TextBody(text: "Two slats gone")), on: report.id, now: .now())
        let status = try council.node.act(.status(StatusBody(state: .scheduled)), on: report.id, now: .now())
        // The police receive only the newest event; its ancestors are fetched from the council.
        let peer = try #require(try police.node.store.peer(council.id))
        let sync = PeerSync(node: police.node)
        var result = PeerSync.Report()
        try await PeerClient.with(caPEM: council.caPEM, signer: sync.signer) { client in
            try await sync.ingest([status.bytes], from: peer, client: client, now: .now(), into: &result)
        }
        #expect(result.parentsFetched == 2)
        #expect(result.pending == 0)
        #expect(try police.node.store.event(comment.id) != nil)
        #expect(try police.node.store.issueState(report.id)?.overall == .inProgress)
        await council.stop()
        await police.stop()
    }
}

/// A captured signed request is refused again after the receiver restarts.
@Suite("Replays across restarts", .serialized)
struct ReplayTests {
    @Test func aCapturedRequestIsRefusedAfterTheReceiverRestarts() async throws {
        let folder = TemporaryDirectory("replay")
        defer { folder.remove() }
        var council = try await LiveNode.start("council", kind: .council, in: folder)
        let police = try await LiveNode.start("police", kind: .police, in: folder)
        try await council.peer(with: [police])
        // Given a pull the police signed, as someone on the path captured it…
        let headers = RequestSigner(node: police.id, key: police.node.key).headers(
            method: "GET",
            path: "/federation/v1/events",
            query: "",
            body: [],
            now: Timestamp.now().secondsSinceEpoch
        )
        let first = try await WebClient(node: council).request(.GET, "/federation/v1/events", headers: headers)
        #expect(first.status == 200)
        // …when the council restarts and the capture is sent again…
        await council.stop()
        council = try await LiveNode.serve(try LocalNode.open(council.node.directory))
        let replayed = try await WebClient(node: council).request(.GET, "/federation/v1/events", headers: headers)
        // …then it is refused as a replay.
        #expect(replayed.status == 401)
        #expect(replayed.text.contains("replayed"), "\(replayed.text)")
        await council.stop()
        await police.stop()
    }
}
