import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXNode
import CIXStore
import CIXTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A store that cannot grow (SQLite's own `max_page_count`, which fails a
/// write exactly as a full disk does: SQLITE_FULL) is answered as what it is.
@Suite("Storage faults")
struct StorageFaultTests {
    @Test func aFullStoreAnswers503UntilAWriteSucceedsAgain() async throws {
        let node = try InProcessNode.make("store-full")
        defer { node.remove() }
        let pusher = TestNode(name: "pusher", seedStart: 0xB0)
        try node.addPeer(pusher)
        var factory = EventFactory(start: .now())
        let first = (0..<5).map { factory.report(by: pusher, title: "Report \($0)") }
        let refused = (0..<200).map {
            factory.report(by: pusher, title: "Refused \($0)", description: String(repeating: "long ", count: 300))
        }
        try await node.test { client in
            func push(_ events: [Event]) async throws -> TestResponse {
                let (headers, body) = InProcessNode.signedPush(events.map(\.bytes), as: pusher)
                return try await client.execute(
                    uri: "/federation/v1/events",
                    method: .post,
                    headers: headers,
                    body: body
                )
            }
            #expect(try await push(first).status == .ok)
            #expect(try await client.execute(uri: "/healthz", method: .get).text == "ok\n")

            // The store may not grow past its present size: the next batch fails as on a full disk.
            try node.node.backend.execute("PRAGMA max_page_count = 1")
            let full = try await push(refused)
            #expect(full.status == .serviceUnavailable)
            #expect(full.headers[.retryAfter] == "30")
            let answer = try #require(try JSONParser().parse(Array(buffer: full.body)).objectValue)
            #expect(answer["error"]?.stringValue == "storage_unavailable")
            for leak in ["SQLite", "disk is full", "error 13", "store.sqlite", "INSERT"] {
                #expect(!full.text.contains(leak), "the answer leaks “\(leak)”: \(full.text)")
            }
            let degraded = try await client.execute(uri: "/healthz", method: .get)
            #expect(degraded.status == .serviceUnavailable)
            #expect(degraded.text.hasPrefix("degraded: writes have failed since "), "\(degraded.text)")
            #expect(degraded.text.contains("the disk is full"))
            let metrics = try await client.execute(uri: "/metrics", method: .get).text
            #expect(!metrics.contains("cix_store_writes_failing_since_seconds 0.0\n"))
            // Reads go on: the public list still answers, with what was stored.
            let list = try await client.execute(uri: "/api/v1/issues?limit=200", method: .get)
            #expect(list.status == .ok)
            #expect(try JSONParser().parse(Array(buffer: list.body))["issues"]?.arrayValue?.count == 5)

            // Room again: the same batch is stored, and health returns, without a restart.
            try node.node.backend.execute("PRAGMA max_page_count = 1073741823")
            #expect(try await push(refused).status == .ok)
            let healthy = try await client.execute(uri: "/healthz", method: .get)
            #expect(healthy.status == .ok && healthy.text == "ok\n")
            let recoveredMetrics = try await client.execute(uri: "/metrics", method: .get).text
            #expect(recoveredMetrics.contains("cix_store_writes_failing_since_seconds 0.0\n"), "\(recoveredMetrics)")
        }
        #expect(try node.node.store.counts().issues == 205)
    }
}
