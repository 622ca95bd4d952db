import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXStore
import CIXTesting
import Foundation
import Testing

@testable import CIXFederation

/// Pull and push against strict fake peers: every request the node makes
/// must be one the test planned, with the body the protocol says.
@Suite("Exchanging with a scripted peer", .serialized)
struct FakePeerExchangeTests {
    func withNode(_ body: (LocalNode, FakePeer) async throws -> Void) async throws {
        let folder = TemporaryDirectory("fake-peer")
        defer { folder.remove() }
        let node = try LocalNode.create(
            in: NodeDirectory(path: folder.file("council").path),
            name: "Council",
            kind: .council,
            url: "https://127.0.0.1:1",
            listen: nil,
            allowPrivateAddresses: true,
            now: .now()
        )
        let peer = try await FakePeer.start()
        do {
            try await peer.servesNodeDocument()
            _ = try await PeerSync(node: node).addPeer(url: peer.url, caPEM: peer.caPEM, now: .now())
            try await body(node, peer)
        } catch {
            await peer.stop()
            throw error
        }
        await peer.stop()
    }

    @Test func aPullStoresThePageAndFetchesTheOneMissingParentOnce() async throws {
        try await withNode { node, peer in
            // Given a peer whose page holds a status whose parent (a comment) it leaves out…
            var factory = EventFactory()
            let report = factory.report(by: FixedKeys.police)
            let comment = factory.event(
                .comment,
                by: FixedKeys.volunteers,
                on: report.id,
                after: [report],
                body: Bodies.text("seen")
            )
            let status = factory.event(
                .status,
                by: FixedKeys.police,
                on: report.id,
                after: [comment],
                body: Bodies.status(.scheduled)
            )
            await peer.expect("GET", "/federation/v1/events") { request in
                #expect(request.query == "after=0&limit=2000")
                #expect(request.signer == node.id, "pulls are signed by the pulling node")
                return .ndjson([report.bytes, status.bytes, Array("{\"cursor\":7}".utf8)])
            }
            await peer.expect("POST", "/federation/v1/fetch") { request in
                #expect(request.body == Array("{\"ids\":[\"\(comment.id.hex)\"]}".utf8), "exactly that parent")
                return .ndjson([comment.bytes])
            }
            await peer.expect("GET", "/federation/v1/events") { request in
                #expect(request.query == "after=7&limit=2000")
                return .ndjson([Array("{\"cursor\":7}".utf8)])
            }
            // …when the node pulls…
            let stored = try #require(try node.store.peer(peer.id))
            let report2 = try await PeerSync(node: node).pull(from: stored, now: { .now() })
            // …then it asked exactly for that parent, and holds all three in causal order.
            try await peer.verify()
            #expect(report2.stored == 2 && report2.parentsFetched == 1 && report2.pending == 0)
            #expect(try node.store.issueState(report.id)?.agencies[FixedKeys.police.id]?.status == .scheduled)
            #expect(try node.store.peer(peer.id)?.cursor == 7)
        }
    }

    @Test func aPeerWithoutFetchByIdsIsAskedForTheParentByItself() async throws {
        try await withNode { node, peer in
            var factory = EventFactory()
            let report = factory.report(by: FixedKeys.police)
            let comment = factory.event(
                .comment,
                by: FixedKeys.volunteers,
                on: report.id,
                after: [report],
                body: Bodies.text("x")
            )
            await peer.expect("GET", "/federation/v1/events") { _ in
                .ndjson([comment.bytes, Array("{\"cursor\":3}".utf8)])
            }
            await peer.expect("POST", "/federation/v1/fetch") { _ in FakeResponse(status: 404, body: []) }
            await peer.expect("GET", "/federation/v1/events/\(report.id.hex)") { _ in .json(report.bytes) }
            await peer.expect("GET", "/federation/v1/events") { _ in .ndjson([Array("{\"cursor\":3}".utf8)]) }
            let stored = try #require(try node.store.peer(peer.id))
            let pulled = try await PeerSync(node: node).pull(from: stored, now: { .now() })
            try await peer.verify()
            #expect(pulled.parentsFetched == 1 && pulled.pending == 0, "\(pulled.summary)")
            #expect(try node.store.issueState(report.id)?.counts.comments == 1, "the comment waited, then applied")
        }
    }

    @Test func aPushSendsEachEventOnceSignedAndThenNothing() async throws {
        try await withNode { node, peer in
            let report = try node.report(
                ReportSubmission(
                    title: "Flytipping by the canal",
                    category: "fly_tipping",
                    latitude: 52.2,
                    longitude: 0.12
                ),
                now: .now()
            )
            let comment = try node.act(.comment(TextBody(text: "Sofas and a fridge")), on: report.id, now: .now())
            await peer.expect("POST", "/federation/v1/events") { request in
                #expect(request.signer == node.id)
                #expect(request.lines == [report.bytes, comment.bytes], "the log's order, each event once")
                let answer = PushAnswer(results: [
                    .init(line: 1, id: report.id, outcome: .stored), .init(line: 2, id: comment.id, outcome: .stored),
                ])
                return .json((try? JSONValue.object(answer.json).canonicalBytes()) ?? [])
            }
            let pusher = PeerPush(node: node)
            let first = try await pusher.push(to: try #require(try node.store.peer(peer.id)), now: { .now() })
            #expect(first.sent == 2 && first.stored == 2)
            // A second round finds nothing new, so it sends nothing: the strict peer would record any request.
            let second = try await pusher.push(to: try #require(try node.store.peer(peer.id)), now: { .now() })
            #expect(second.sent == 0)
            try await peer.verify()
        }
    }

    @Test func aPeerThatAnswersGarbageIsAnErrorAndDeliveryDoesNotAdvance() async throws {
        try await withNode { node, peer in
            _ = try node.report(
                ReportSubmission(
                    title: "Graffiti on the bridge",
                    category: "graffiti",
                    latitude: 52.2,
                    longitude: 0.12
                ),
                now: .now()
            )
            await peer.expect("POST", "/federation/v1/events") { _ in .json(Array("{\"results\":\"ok\"}".utf8)) }
            let before = try #require(try node.store.peer(peer.id)).pushedThrough
            await #expect(throws: FederationError.self) {
                try await PeerPush(node: node).push(to: try #require(try node.store.peer(peer.id)), now: { .now() })
            }
            #expect(try node.store.peer(peer.id)?.pushedThrough == before)
            try await peer.verify()
        }
    }

    @Test func pushAnswersReadBackAsTheyWereWritten() throws {
        let answer = PushAnswer(results: [
            .init(line: 1, id: EventID(String(repeating: "a", count: 64)), outcome: .stored),
            .init(line: 2, id: nil, outcome: .rejected(code: "non_canonical", message: "event is not: canonical")),
            .init(
                line: 3,
                id: EventID(String(repeating: "b", count: 64)),
                outcome: .pending(missing: [
                    try #require(EventID(String(repeating: "c", count: 64))),
                    try #require(EventID(String(repeating: "d", count: 64))),
                ])
            ),
            .init(line: 4, id: EventID(String(repeating: "e", count: 64)), outcome: .duplicate),
        ])
        let bytes = try JSONValue.object(answer.json).canonicalBytes()
        #expect(try PushAnswer(json: bytes) == answer)
        #expect(throws: FederationError.self) { try PushAnswer(json: Array("{\"results\":[{\"line\":1}]}".utf8)) }
    }
}

/// The shared table of delivered lines, pulled from a scripted peer.
@Suite("Pulling the acceptance table", .serialized)
struct PullTableTests {
    /// A council pulls the table as one page from a scripted peer (`configure` sets up its
    /// `PeerSync`); the report of that pull.
    func pullTable(_ label: String, _ configure: (inout PeerSync) -> Void = { _ in }) async throws -> PeerSync.Report {
        let folder = TemporaryDirectory(label)
        defer { folder.remove() }
        let node = try LocalNode.create(
            in: NodeDirectory(path: folder.file("council").path),
            name: "Council",
            kind: .council,
            url: "https://127.0.0.1:1",
            listen: nil,
            allowPrivateAddresses: true,
            now: .now()
        )
        let peer = try await FakePeer.start()
        let table = AcceptanceCase.table()
        await peer.expect("GET", "/federation/v1/events") { _ in
            .ndjson(table.map(\.bytes) + [Array("{\"cursor\":12}".utf8)])
        }
        await peer.expect("GET", "/federation/v1/events") { _ in .ndjson([Array("{\"cursor\":12}".utf8)]) }
        // The child whose parent never comes: the node asks this peer for the parent, once (it has none).
        await peer.expect("POST", "/federation/v1/fetch") { _ in .ndjson([]) }
        do {
            try await peer.servesNodeDocument()
            var sync = PeerSync(node: node)
            configure(&sync)
            let (stored, _) = try await sync.addPeer(url: peer.url, caPEM: peer.caPEM, now: .now())
            let report = try await sync.pull(from: stored, now: { .now() })
            try await peer.verify()
            await peer.stop()
            return report
        } catch {
            await peer.stop()
            throw error
        }
    }

    @Test func aPulledPageIsJudgedLineByLineAsEveryOtherPathJudgesIt() async throws {
        let report = try await pullTable("pull-table")
        #expect(report.verdicts.map(\.code) == AcceptanceCase.table().map(\.verdict))
    }

    /// A catch-up of millions of events must not keep a verdict for each: a report keeps the
    /// first few one by one and counts them all.
    @Test func aPullKeepsTheFirstVerdictsAndRefusalsAndCountsThemAll() async throws {
        let report = try await pullTable("pull-kept") { $0.kept = 2 }
        let table = AcceptanceCase.table()
        let refused = table.filter { !["stored", "duplicate", "pending", "record"].contains($0.verdict) }.count
        #expect(refused > 2, "the table refuses more events than are kept")
        #expect(report.verdicts.map(\.code) == Array(table.map(\.verdict).prefix(2)))
        #expect(report.rejected.count == 2 && report.rejectedCount == refused)
        #expect(report.summary.contains("\(refused) rejected"))
    }
}
