import CIXCore
import CIXNode
import CIXPostgres
import CIXStore
import CIXTesting
import Foundation
import Testing

/// A read that runs past `[store] request_query_seconds` is cancelled by the
/// PostgreSQL server itself and the client told so at once (503 `timed_out`),
/// instead of the query running on after its client has gone; federation is
/// not bounded by it. A real cluster, a real daemon over HTTPS, and a lock held
/// by a session of the test's own, which makes every read of a table wait.
@Suite("PostgreSQL reads bounded by a request's time", .serialized)
struct PostgresRequestBudgetTests {
    @Test func aReadPastTheRequestsTimeIsCancelledAndFederationWaits() async throws {
        let folder = TemporaryDirectory("pg-budget")
        defer { folder.remove() }
        try await PostgresServer.with(in: folder) { server in
            var store = NodeConfig.Store(url: server.url, password_file: server.passwordFile)
            store.request_query_seconds = 1
            let mirror = try await LiveNode.start("mirror", kind: .mirror, in: folder, store: store)
            let session = try server.session()
            do {
                let postgres = try #require(mirror.node.store as? PostgresStore)
                #expect(try await WebClient(node: mirror).get("/issues").status == 200)
                func waitingOnLocks() throws -> Int64 {
                    try postgres.integers(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query NOT LIKE 'LOCK%'"
                    ).first ?? -1
                }
                try session.send("BEGIN; LOCK TABLE issue, event IN ACCESS EXCLUSIVE MODE;")
                try await PostgresDaemonsTests.until("the test's session holds the lock") {
                    try postgres.integers(
                        "SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation = 'issue'::regclass"
                    ).first == 1
                }

                // Pages, the API and Open311 are answered within about their second, saying why.
                let started = ContinuousClock.now
                let page = try await WebClient(node: mirror).get("/issues?q=pothole")
                let api = try await WebClient(node: mirror).get("/api/v1/issues?status=open")
                let open311 = try await WebClient(node: mirror).get("/open311/v2/requests.json")
                #expect(ContinuousClock.now - started < .seconds(20))
                for answer in [page, api, open311] {
                    #expect(answer.status == 503, "\(answer.status) \(answer.text.prefix(300))")
                    #expect(answer.header("Retry-After") == "30")
                }
                #expect(api.text.contains("\"timed_out\"") && api.text.contains("longer than the 1 s"), "\(api.text)")
                #expect(page.text.contains("longer than the 1 s"), "\(page.text.prefix(2_000))")
                // The server cancelled them: none still waits for the lock.
                #expect(try waitingOnLocks() == 0)

                // A peer's pull is not bounded: it waits for the lock and is answered once it is released.
                let pull = Task { try await WebClient(node: mirror).get("/federation/v1/events?after=0") }
                try await PostgresDaemonsTests.until("the pull waits for the lock") { try waitingOnLocks() >= 1 }
                try await Task.sleep(for: .seconds(2))
                #expect(try waitingOnLocks() >= 1)
                session.close()
                #expect(try await pull.value.status == 200)

                // The connections the cancelled reads used serve again.
                for _ in 0..<10 { #expect(try await WebClient(node: mirror).get("/issues?q=pothole").status == 200) }
                #expect(try await WebClient(node: mirror).get("/api/v1/issues?status=open").status == 200)
            } catch {
                session.close()
                await mirror.stop()
                throw error
            }
            await mirror.stop()
        }
    }
}
