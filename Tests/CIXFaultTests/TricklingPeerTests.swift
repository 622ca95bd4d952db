import CIXApp
import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXNode
import CIXServer
import CIXTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

extension FaultRun {
    /// One peer that trickles its answers must not hold up another.
    @Suite("Peers in isolation")
    struct PeerIsolationTests {
        /// What the healthy peer serves; the test adds an event to it while the daemon runs.
        final class Shelf: @unchecked Sendable {
            // Invariant: `lines` is only touched while `lock` is held.
            private let lock = NSLock()
            private var lines: [[UInt8]] = []
            func put(_ line: [UInt8]) { lock.withLock { lines.append(line) } }
            var page: [[UInt8]] { lock.withLock { lines + [Array("{\"cursor\":\(lines.count)}".utf8)] } }
        }

        @Test func aTricklingPeerDelaysAHealthyPeersEventByNoMoreThanAPullInterval() async throws {
            let folder = TemporaryDirectory("isolation")
            defer { folder.remove() }
            let directory = NodeDirectory(path: folder.file("council").path)
            let node = try LocalNode.create(
                in: directory,
                name: "Council",
                kind: .council,
                url: "https://127.0.0.1:1",
                listen: nil,
                allowPrivateAddresses: true,
                now: .now()
            )
            let trickler = try await FakePeer.start(name: "Trickling Trust", kind: .health)
            let healthy = try await FakePeer.start(name: "Healthy Police", kind: .police)
            let shelf = Shelf()
            do {
                try await trickler.servesNodeDocument()
                try await healthy.servesNodeDocument()
                // The trickler answers every pull one byte every five seconds.
                await trickler.expect("GET", "/federation/v1/events", times: 0...Int.max) { _ in
                    var answer = FakeResponse.ndjson([Array("{\"cursor\":0}".utf8)])
                    answer.byteDelay = .seconds(5)
                    return answer
                }
                await healthy.expect("GET", "/federation/v1/events", times: 0...Int.max) { _ in .ndjson(shelf.page) }
                // What the node takes from one peer it passes on to the other.
                await trickler.expect("POST", "/federation/v1/events", times: 0...Int.max) { request in
                    let answer = PushAnswer(
                        results: request.lines.enumerated().map {
                            .init(line: $0.offset + 1, id: nil, outcome: .stored)
                        }
                    )
                    return .json((try? JSONValue.object(answer.json).canonicalBytes()) ?? [])
                }
                for peer in [trickler, healthy] {
                    _ = try await PeerSync(node: node).addPeer(url: peer.url, caPEM: peer.caPEM, now: .now())
                }
                var settings = try ServerSettings(node: node, listen: "127.0.0.1:0")
                settings.pullInterval = 1
                var logger = Logger(label: "test")
                logger.logLevel = .critical
                let app = try NodeApplication.build(node: node, settings: settings, logger: logger, transport: .plain)
                try await app.test(.router) { _ in
                    // Let the trickler's first pull begin, then publish an event at the healthy peer.
                    try await Task.sleep(for: .seconds(1.5))
                    var factory = EventFactory()
                    let report = factory.report(
                        by: FixedKeys.police,
                        title: "Car broken into on Mill Lane",
                        category: "other"
                    )
                    let published = ContinuousClock.now
                    shelf.put(report.bytes)
                    var arrived = false
                    while ContinuousClock.now - published < .seconds(10) {
                        if try node.store.event(report.id) != nil {
                            arrived = true
                            break
                        }
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    let delay = ContinuousClock.now - published
                    print(
                        "isolation: the healthy peer's event arrived \(delay) after it was published, with a peer trickling"
                    )
                    #expect(arrived && delay < .seconds(2.5), "one pull interval is 1 s; it took \(delay)")
                }
                try await trickler.verify()
                try await healthy.verify()
            } catch {
                await trickler.stop()
                await healthy.stop()
                throw error
            }
            await trickler.stop()
            await healthy.stop()
        }
    }
}

extension FaultRun {
    /// `cix sync` says what became of each peer, and gives up on one that stalls.
    @Suite("cix sync with a stalled peer")
    struct SyncStallTests {
        @Test func syncReportsEachPeerAndGivesUpOnATricklingOne() async throws {
            let folder = TemporaryDirectory("sync-stall")
            defer { folder.remove() }
            let cli = CLI(data: folder.file("council").path)
            let created = try await cli.runAsync([
                "init", "--name", "Council", "--kind", "council", "--url", "https://127.0.0.1:8443",
                "--allow-private-addresses",
            ])
            #expect(created.status == 0)
            let trickler = try await FakePeer.start(name: "Trickling Trust", kind: .health)
            let healthy = try await FakePeer.start(name: "Healthy Police", kind: .police)
            do {
                for peer in [trickler, healthy] {
                    try await peer.servesNodeDocument()
                    let ca = folder.file("\(peer.id.short).pem")
                    try Data(peer.caPEM.utf8).write(to: ca)
                    let added = try await cli.runAsync(["peer", "add", peer.url, "--ca", ca.path])
                    #expect(added.status == 0, "\(added.stderr)")
                }
                await trickler.expect("GET", "/federation/v1/events", times: 0...Int.max) { _ in
                    var answer = FakeResponse.ndjson([Array("{\"cursor\":0}".utf8)])
                    answer.byteDelay = .seconds(5)
                    return answer
                }
                await healthy.expect("GET", "/federation/v1/events", times: 0...Int.max) { _ in
                    .ndjson([Array("{\"cursor\":0}".utf8)])
                }
                let started = Date()
                let sync = try await cli.runAsync(["sync"])
                let seconds = Date().timeIntervalSince(started)
                print("cix sync with a trickling peer: exit \(sync.status) after \(String(format: "%.1f", seconds)) s")
                #expect(sync.status == 1)
                #expect(sync.stdout.contains("Healthy Police: 0 received"), "\(sync.stdout)")
                #expect(sync.stderr.contains("Trickling Trust") && sync.stderr.contains("too slowly"), "\(sync.stderr)")
                #expect(seconds < 30)
            } catch {
                await trickler.stop()
                await healthy.stop()
                throw error
            }
            await trickler.stop()
            await healthy.stop()
        }
    }
}
