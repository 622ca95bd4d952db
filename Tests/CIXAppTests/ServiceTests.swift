import CIXApp
import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXNode
import CIXServer
import CIXStore
import CIXTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The daemon's services, run by the application itself in-process: the
/// push, pull and checkpoint loops against a scripted peer and a real store.
@Suite("Daemon services in-process", .serialized)
struct ServiceTests {
    /// Waits until `condition` holds, for at most `seconds`.
    func eventually(_ seconds: Double = 60, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    /// A council node's data directory in `folder`.
    static func council(in folder: TemporaryDirectory, allowPrivateAddresses: Bool) throws -> NodeDirectory {
        let directory = NodeDirectory(path: folder.file("council").path)
        _ = try LocalNode.create(
            in: directory,
            name: "Council",
            kind: .council,
            url: "https://127.0.0.1:1",
            listen: nil,
            allowPrivateAddresses: allowPrivateAddresses,
            now: .now()
        )
        return directory
    }

    @Test func waitingEventsExpireAfterTheConfiguredDays() async throws {
        let folder = TemporaryDirectory("pending-days")
        defer { folder.remove() }
        let directory = try Self.council(in: folder, allowPrivateAddresses: false)
        let config = try String(contentsOf: directory.config, encoding: .utf8)
        try (config + "\n[federation]\npending_days = 0\n").write(
            to: directory.config,
            atomically: true,
            encoding: .utf8
        )
        #expect {
            _ = try LocalNode.open(directory)
        } throws: {
            "\($0)".contains("[federation] pending_days must be 1 to 90, not 0")
        }
        try (config + "\n[federation]\npending_days = 2\n").write(
            to: directory.config,
            atomically: true,
            encoding: .utf8
        )
        let node = try LocalNode.open(directory)
        var factory = EventFactory()
        let report = factory.report(by: FixedKeys.council)
        let old = factory.event(.comment(TextBody(text: "old")), by: FixedKeys.police, on: report.id, after: [report])
        let recent = factory.event(
            .comment(TextBody(text: "recent")),
            by: FixedKeys.police,
            on: report.id,
            after: [report]
        )
        let now = Timestamp.now().secondsSinceEpoch
        _ = try node.store.ingestNow([old], source: "test", now: Timestamp(secondsSinceEpoch: now - 3 * 86_400))
        _ = try node.store.ingestNow([recent], source: "test", now: Timestamp(secondsSinceEpoch: now - 86_400))
        #expect(try node.store.counts().pending == 2)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        UpkeepService(node: node, logger: logger, metrics: NodeMetrics()).expireWaitingEvents()
        #expect(try node.store.counts().pending == 1, "only the event older than two days is dropped")
        _ = try node.store.ingestNow([report], source: "test", now: .now())
        #expect(try node.store.event(recent.id) != nil && node.store.event(old.id) == nil)
    }

    func withDaemon(
        pullInterval: Double = 3_600,
        _ body: @Sendable (LocalNode, FakePeer) async throws -> Void
    ) async throws {
        let folder = TemporaryDirectory("services")
        defer { folder.remove() }
        let directory = try Self.council(in: folder, allowPrivateAddresses: true)
        let node = try LocalNode.open(directory, backgroundCheckpoints: true)
        let peer = try await FakePeer.start()
        do {
            try await peer.servesNodeDocument()
            _ = try await PeerSync(node: node).addPeer(url: peer.url, caPEM: peer.caPEM, now: .now())
            var settings = try ServerSettings(node: node, listen: "127.0.0.1:0")
            settings.pullInterval = pullInterval
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let app = try NodeApplication.build(node: node, settings: settings, logger: logger, transport: .plain)
            try await app.test(.router) { _ in try await body(node, peer) }
        } catch {
            await peer.stop()
            throw error
        }
        await peer.stop()
    }

    /// The pull service pulls once as it starts: an empty page for it.
    func answerPullsWithNothing(_ peer: FakePeer) async {
        await peer.expect("GET", "/federation/v1/events", times: 0...Int.max) { _ in
            .ndjson([Array("{\"cursor\":0}".utf8)])
        }
    }

    @Test func thePushServiceDeliversANewReportToThePeer() async throws {
        try await withDaemon { node, peer in
            await answerPullsWithNothing(peer)
            await peer.expect("POST", "/federation/v1/events") { request in
                let answer = PushAnswer(
                    results: request.lines.enumerated().map { index, line in
                        .init(line: index + 1, id: (try? Event.decode(line))?.id, outcome: .stored)
                    }
                )
                return .json((try? JSONValue.object(answer.json).canonicalBytes()) ?? [])
            }
            let report = try node.report(
                ReportSubmission(
                    title: "Dark street by the school",
                    category: "street_lighting",
                    latitude: 52.2,
                    longitude: 0.12
                ),
                now: .now()
            )
            #expect(try await eventually { await !peer.received.filter { $0.method == "POST" }.isEmpty })
            let pushed = await peer.received.filter { $0.method == "POST" }
            #expect(pushed.first?.lines == [report.bytes] && pushed.first?.signer == node.id)
            #expect(
                try await eventually { try node.store.peer(peer.id)?.pushedThrough ?? 0 >= node.store.lastSequence() }
            )
            try await peer.verify()
        }
    }

    @Test func theDaemonMakesItsSealKeyAndSealsAConsentingResidentsDetailsToTheBodyItRoutesTo() async throws {
        let folder = TemporaryDirectory("services-contact")
        defer { folder.remove() }
        let directory = try Self.council(in: folder, allowPrivateAddresses: true)
        // A node made before seal keys existed: the daemon makes one, and publishes it, as it starts.
        try FileManager.default.removeItem(at: directory.sealKeyFile)
        let node = try LocalNode.open(directory, backgroundCheckpoints: true)
        #expect(try node.sealKey() == nil)
        let police = SealKey()
        let peer = try await FakePeer.start()
        do {
            let square: JSONValue = .array(
                [[0.10, 52.19], [0.14, 52.19], [0.14, 52.22], [0.10, 52.22], [0.10, 52.19]].map { corner in
                    .array(corner.map { .number($0) })
                }
            )
            try await peer.servesNodeDocument(
                categories: ["antisocial_behaviour"],
                area: JSONObject(["type": "Polygon", "coordinates": .array([square])]),
                sealKey: police.publicHex
            )
            _ = try await PeerSync(node: node).addPeer(url: peer.url, caPEM: peer.caPEM, now: .now())
            await answerPullsWithNothing(peer)
            await peer.expect("POST", "/federation/v1/events", times: 1...Int.max) { request in
                let answer = PushAnswer(
                    results: request.lines.enumerated().map { index, line in
                        .init(line: index + 1, id: (try? Event.decode(line))?.id, outcome: .stored)
                    }
                )
                return .json((try? JSONValue.object(answer.json).canonicalBytes()) ?? [])
            }
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let settings = try ServerSettings(node: node, listen: "127.0.0.1:0")
            let app = try NodeApplication.build(node: node, settings: settings, logger: logger, transport: .plain)
            try await app.test(.router) { _ in
                #expect(try await eventually { try node.sealKey() != nil })
                let sealKey = try #require(try node.sealKey())
                #expect(try await eventually { try node.ownDescriptor()?.sealKey == sealKey.publicHex })
                var submission = ReportSubmission(
                    title: "Threats shouted at the bus stop",
                    category: "antisocial_behaviour",
                    latitude: 52.2,
                    longitude: 0.12
                )
                submission.reporterEmail = "eve.resident@example.org"
                submission.sharesContact = true
                let report = try node.intake.report(submission, now: .now())
                #expect(report.recipients.map(\.node) == [peer.id])
                func pushedContact() async -> Event? {
                    await peer.received.filter { $0.method == "POST" }.flatMap(\.lines)
                        .compactMap { try? Event.decode($0) }.first { $0.kind == .contact }
                }
                #expect(try await eventually { await pushedContact() != nil })
                let contact = try #require(await pushedContact())
                guard case .contact(let body)? = contact.content else { throw TestFailure("no sealed body") }
                #expect(contact.audience == .partners([peer.id]) && contact.issue == report.id)
                #expect(
                    try SealedContact.open(body, issue: report.id, with: police).email == "eve.resident@example.org"
                )
            }
        } catch {
            await peer.stop()
            throw error
        }
        await peer.stop()
    }

    @Test func thePullServiceBringsThePeersNewEvents() async throws {
        var factory = EventFactory()
        let report = factory.report(by: FixedKeys.police, title: "Shed fire on the allotments", category: "other")
        try await withDaemon(pullInterval: 0.2) { node, peer in
            await peer.expect("GET", "/federation/v1/events") { _ in
                .ndjson([report.bytes, Array("{\"cursor\":1}".utf8)])
            }
            await peer.expect("GET", "/federation/v1/events", times: 0...Int.max) { _ in
                .ndjson([Array("{\"cursor\":1}".utf8)])
            }
            #expect(try await eventually { try node.store.event(report.id) != nil })
            #expect(try await eventually { try node.store.peer(peer.id)?.cursor == 1 })
            try await peer.verify()
        }
    }

    @Test func theCheckpointServiceCopiesTheLogIntoTheDatabaseFile() async throws {
        try await withDaemon { node, peer in
            let file = node.directory.store.path
            let size = { ((try? FileManager.default.attributesOfItem(atPath: file)[.size]) as? Int) ?? 0 }
            await peer.expect("POST", "/federation/v1/events", times: 0...Int.max) { request in
                let answer = PushAnswer(
                    results: request.lines.enumerated().map { .init(line: $0.offset + 1, id: nil, outcome: .stored) }
                )
                return .json((try? JSONValue.object(answer.json).canonicalBytes()) ?? [])
            }
            await answerPullsWithNothing(peer)
            let before = size()
            for number in 0..<40 {
                try node.report(
                    ReportSubmission(
                        title: "Report \(number)",
                        description: String(repeating: "words ", count: 300),
                        category: "litter",
                        latitude: 52.2,
                        longitude: 0.12
                    ),
                    now: .now()
                )
            }
            // Commits go to the WAL alone (no automatic checkpoints in the daemon); the service copies them over.
            #expect(try await eventually(10) { size() > before + 100_000 }, "database file stayed at \(size()) bytes")
            try await peer.verify()
        }
    }
}
