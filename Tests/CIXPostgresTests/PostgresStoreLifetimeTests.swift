import CIXPostgres
import CIXStore
import CIXTesting
import Foundation
import NIOPosix
import Testing

/// A store's connections close when it goes, wherever its last reference is dropped.
@Suite("PostgreSQL store lifetime")
struct PostgresStoreLifetimeTests {
    /// Holds a store so that a closure can drop the last reference to it where it runs.
    final class Holder: @unchecked Sendable {
        var store: PostgresStore?
        init(_ store: PostgresStore) { self.store = store }
    }

    @Test func aStoreReleasedOnAnEventLoopClosesItsConnectionsWithoutStoppingTheProcess() async throws {
        let folder = TemporaryDirectory("pg-lifetime")
        defer { folder.remove() }
        try await PostgresServer.with(in: folder) { server in
            let watcher = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            defer { watcher.close() }
            let others =
                "SELECT count(*)::int8 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            let before = try watcher.integers(others).first ?? -1

            // A store with several connections open, as a server's would be.
            let holder = try Holder(PostgresStore.open(url: server.url, passwordFile: server.passwordFile))
            var factory = EventFactory()
            _ = try holder.store?.ingestNow([factory.report(by: FixedKeys.council)], source: "test", now: .now())
            await withTaskGroup(of: Void.self) { readers in
                for _ in 0..<4 { readers.addTask { _ = try? holder.store?.counts() } }
            }
            #expect(try (watcher.integers(others).first ?? 0) > before)

            // Its last reference goes on an event-loop thread, where waiting would stop the process.
            let dropped = try await MultiThreadedEventLoopGroup.singleton.next().submit {
                let wasOnLoop = MultiThreadedEventLoopGroup.currentEventLoop != nil
                holder.store = nil
                return wasOnLoop
            }.get()
            #expect(dropped)

            // Its connections close soon after, on a thread of their own.
            var open = try watcher.integers(others).first ?? -1
            for _ in 0..<100 where open != before {
                try await Task.sleep(for: .milliseconds(100))
                open = try watcher.integers(others).first ?? -1
            }
            #expect(open == before, "the released store's connections are still open after 10 s")
        }
    }
}
