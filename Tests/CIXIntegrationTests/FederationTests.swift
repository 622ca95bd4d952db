import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXStore
import CIXTesting
import Foundation
import NIOSSL
import Testing

@testable import CIXFederation

@Suite("Nodes exchanging events over HTTPS", .serialized)
struct FederationTests {
    /// Council, police and a mirror, each serving HTTPS on loopback with its own store.
    func withFederation(_ body: (LiveNode, LiveNode, LiveNode) async throws -> Void) async throws {
        let folder = TemporaryDirectory("federation")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        let police = try await LiveNode.start("police", kind: .police, in: folder)
        let mirror = try await LiveNode.start("mirror", kind: .mirror, in: folder)
        do {
            try await body(council, police, mirror)
        } catch {
            for node in [council, police, mirror] { await node.stop() }
            throw error
        }
        for node in [council, police, mirror] { await node.stop() }
    }

    func sync(_ node: LiveNode) -> PeerSync {
        PeerSync(node: node.node)
    }

    func peer(_ node: LiveNode, adds other: LiveNode) async throws -> Peer {
        try await sync(node).addPeer(url: other.url, caPEM: other.caPEM, now: .now()).0
    }

    func pull(_ node: LiveNode, from other: LiveNode) async throws -> PeerSync.Report {
        let peer = try #require(try node.node.store.peer(other.id))
        return try await sync(node).pull(from: peer, now: { .now() })
    }

    func state(_ node: LiveNode, _ issue: EventID) throws -> [UInt8]? {
        try node.node.store.projectedStates()[issue.hex]
    }

    @Test func eventsReachEveryNodeAndAllComputeTheSameState() async throws {
        try await withFederation { council, police, mirror in
            // Given the police and the council peered both ways, and a mirror peered only with the police…
            _ = try await peer(police, adds: council)
            _ = try await peer(council, adds: police)
            _ = try await peer(mirror, adds: police)
            // …when the council takes a report and routes it to both…
            let report = try council.node.report(
                ReportSubmission(
                    title: "Anti-social behaviour in Riverside Park",
                    category: "antisocial_behaviour",
                    latitude: 52.211,
                    longitude: 0.1355,
                    reporterEmail: "resident@example.org"
                ),
                now: .now()
            )
            let route = RouteBody(
                recipients: [council.id, police.id].map { .init(node: $0, reason: "area and category") }
            )
            _ = try council.node.act(.route(route), on: report.id, now: .now())
            let pushed = try await PeerPush(node: council.node)
                .push(to: try #require(try council.node.store.peer(police.id)), now: { .now() })
            #expect(pushed.sent == 2 && pushed.stored == 2)
            // …and the police answer, and everyone pulls…
            _ = try police.node.act(.accept(AcceptBody()), on: report.id, now: .now())
            _ = try police.node.act(.status(StatusBody(state: .inProgress)), on: report.id, now: .now())
            _ = try await pull(council, from: police)
            let mirrored = try await pull(mirror, from: police)
            #expect(mirrored.stored == 4 && mirrored.rejected.isEmpty)
            // …then all three hold the same four events and byte-identical state.
            let states = try [council, police, mirror].map { try #require(try state($0, report.id)) }
            #expect(states[0] == states[1] && states[1] == states[2])
            #expect(try mirror.node.store.issueState(report.id)?.overall == .inProgress)
            // The resident's contact details stayed on the council's node.
            for node in [police, mirror] {
                let exported = try node.node.store.events(after: 0, limit: 100).map {
                    String(decoding: $0.bytes, as: UTF8.self)
                }
                #expect(!exported.joined().contains("resident@example.org"))
                #expect(try node.node.contact(forIssue: report.id) == nil)
            }
            #expect(try council.node.contact(forIssue: report.id)?.email == "resident@example.org")
        }
    }

    @Test func partnerOnlyEventsNeverReachTheMirror() async throws {
        try await withFederation { council, police, mirror in
            _ = try await peer(police, adds: council)
            _ = try await peer(mirror, adds: police)
            _ = try await peer(mirror, adds: council)
            let report = try council.node.report(
                ReportSubmission(
                    title: "Drug dealing behind the garages",
                    category: "drug_dealing",
                    latitude: 52.19,
                    longitude: 0.16
                ),
                now: .now()
            )
            let secret = try council.node.act(
                .comment(TextBody(text: "CCTV footage held")),
                on: report.id,
                audience: .partners([police.id]),
                now: .now()
            )
            _ = try await pull(police, from: council)
            #expect(try police.node.store.event(secret.id) != nil)
            _ = try await pull(mirror, from: police)
            _ = try await pull(mirror, from: council)
            #expect(try mirror.node.store.event(report.id) != nil)
            #expect(try mirror.node.store.event(secret.id) == nil)
            // An unsigned pull sees public events only.
            let unsigned = try await PeerClient.with(caPEM: council.caPEM, signer: nil) { client in
                try await client.pull(from: council.url, after: 0)
            }
            #expect(unsigned.events.count == 1)
        }
    }

    @Test func badRequestsAreRefusedWith401() async throws {
        try await withFederation { council, police, _ in
            _ = try await peer(council, adds: police)
            let event = try police.node.report(
                ReportSubmission(title: "Graffiti", category: "graffiti", latitude: 1, longitude: 2),
                now: .now()
            )
            let body = event.bytes + [0x0A]
            let path = "/federation/v1/events"
            func post(_ headers: [(String, String)]) async throws -> Int {
                try await PeerClient.with(caPEM: council.caPEM, signer: nil) { client in
                    try await client.raw(.POST, base: council.url, path: path, headers: headers, body: body).status
                }
            }
            let now = Int64(Date().timeIntervalSince1970)
            let request = HTTPSignature.Request(method: "POST", path: path, query: "", body: body)
            // Unsigned.
            #expect(try await post([]) == 401)
            // Signed properly: accepted once, refused when replayed.
            let good = HTTPSignature.sign(
                request,
                node: police.id,
                key: police.node.key,
                created: now,
                nonce: "00112233445566778899aabbccddeeff"
            )
            #expect(try await post(good) == 200)
            #expect(try await post(good) == 401)
            // Expired.
            let old = HTTPSignature.sign(
                request,
                node: police.id,
                key: police.node.key,
                created: now - 600,
                nonce: "10112233445566778899aabbccddeeff"
            )
            #expect(try await post(old) == 401)
            // Signed by a key that is not the claimed node's.
            let wrong = HTTPSignature.sign(
                request,
                node: police.id,
                key: FixedKeys.stranger.key,
                created: now,
                nonce: "20112233445566778899aabbccddeeff"
            )
            #expect(try await post(wrong) == 401)
            // Body changed after signing.
            var tampered = good
            tampered[0] = ("Content-Digest", HTTPSignature.contentDigest(Array("x".utf8)))
            #expect(try await post(tampered) == 401)
            // A valid signature from a node that is not a peer.
            let stranger = HTTPSignature.sign(
                request,
                node: FixedKeys.stranger.id,
                key: FixedKeys.stranger.key,
                created: now,
                nonce: "30112233445566778899aabbccddeeff"
            )
            #expect(try await post(stranger) == 403)
        }
    }

    @Test func aBadEventInABatchIsRejectedAndTheRestLand() async throws {
        try await withFederation { council, police, _ in
            _ = try await peer(council, adds: police)
            var factory = EventFactory()
            let good = try police.node.report(
                ReportSubmission(title: "Bins missed", category: "bins", latitude: 1, longitude: 2),
                now: .now()
            )
            let tampered = Array(good.text.replacingOccurrences(of: "Bins missed", with: "Bins taken").utf8)
            // Claims the police as author but is signed by a stranger's key.
            let draft = EventDraft(
                .report(
                    ReportBody(
                        title: "Forged",
                        category: "litter",
                        location: Location(latitude: 1, longitude: 2),
                        reporter: "r-1"
                    )
                ),
                issue: nil,
                prev: [],
                depth: 1,
                at: .now()
            )
            let forged = try draft.sign(
                with: FixedKeys.stranger.key,
                author: police.id,
                salt: Array(repeating: 3, count: 16)
            )
            let other = factory.report(by: FixedKeys.volunteers)
            let signer = RequestSigner(node: police.id, key: police.node.key)
            let answer = try await PeerClient.with(caPEM: council.caPEM, signer: signer) { client in
                try await client.push(
                    [good.bytes, tampered, forged.bytes, Array("{oops".utf8), other.bytes],
                    to: council.url
                )
            }
            #expect(answer.status == 200)
            let results = try #require(try JSONParser().parse(answer.body).objectValue?["results"]?.arrayValue)
                .compactMap(\.objectValue)
            #expect(
                results.map { $0["result"]?.stringValue } == ["stored", "rejected", "rejected", "rejected", "stored"]
            )
            #expect(results[1]["reason"]?.stringValue?.hasPrefix("wrong_body_hash") == true)
            #expect(results[2]["reason"]?.stringValue?.hasPrefix("key_not_authorised") == true)
            #expect(results[3]["reason"]?.stringValue?.hasPrefix("malformed_json") == true)
            #expect(try council.node.store.counts().events == 2)
        }
    }

    @Test func aPeerThatWasDownReceivesEventsWhenItReturns() async throws {
        let folder = TemporaryDirectory("down")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        var police = try await LiveNode.start("police", kind: .police, in: folder)
        _ = try await peer(council, adds: police)
        _ = try await peer(police, adds: council)
        // Given the police node is down…
        await police.stop()
        let report = try council.node.report(
            ReportSubmission(title: "Flooded underpass", category: "flooding", latitude: 1, longitude: 2),
            now: .now()
        )
        let pusher = PeerPush(node: council.node)
        await #expect(throws: (any Error).self) {
            try await pusher.push(to: try #require(try council.node.store.peer(police.id)), now: { .now() })
        }
        // …when it comes back on another port and the council retries…
        police = try await LiveNode.serve(police.node)
        var moved = try #require(try council.node.store.peer(police.id))
        moved = Peer(
            node: moved.node,
            url: police.url,
            name: moved.name,
            kind: moved.kind,
            key: moved.key,
            caPEM: moved.caPEM,
            addedAt: moved.addedAt
        )
        try council.node.store.savePeer(moved)
        let report2 = try await pusher.push(to: try #require(try council.node.store.peer(police.id)), now: { .now() })
        // …it receives what it missed.
        #expect(report2.stored == 1)
        #expect(try police.node.store.event(report.id) != nil)
        await council.stop()
        await police.stop()
    }

    @Test func tls11IsRefused() async throws {
        try await withFederation { council, _, _ in
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.maximumTLSVersion = .tlsv11
            tls.minimumTLSVersion = .tlsv1
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(council.caPEM.utf8)))
            await #expect(throws: (any Error).self) {
                try await PeerClient.withTLS(tls) { client in
                    _ = try await client.raw(.GET, base: council.url, path: "/healthz", headers: [], body: [])
                }
            }
            // The same client with TLS 1.2 allowed gets through.
            tls.maximumTLSVersion = .tlsv13
            let status = try await PeerClient.withTLS(tls) { client in
                try await client.raw(.GET, base: council.url, path: "/healthz", headers: [], body: []).status
            }
            #expect(status == 200)
        }
    }

    @Test func aPeerAnsweringAsAnotherNodeIsRefused() async throws {
        try await withFederation { council, police, mirror in
            _ = try await peer(mirror, adds: police)
            // The police URL now answers as the council (say, a hijacked DNS name).
            let pinned = try #require(try mirror.node.store.peer(police.id))
            try mirror.node.store.savePeer(
                Peer(
                    node: pinned.node,
                    url: council.url,
                    name: pinned.name,
                    kind: pinned.kind,
                    key: pinned.key,
                    caPEM: council.caPEM,
                    addedAt: pinned.addedAt
                )
            )
            await #expect(throws: FederationError.self) { try await pull(mirror, from: police) }
            #expect(try mirror.node.store.peer(police.id)?.lastError?.contains("refusing") == true)
        }
    }
}
