import CIXPostgres
import CIXStore
import CIXTesting
import Foundation
import Testing

/// The database goes away under an open store and comes back.
@Suite("PostgreSQL outage")
struct PostgresOutageTests {
    @Test func aStoreWhoseServerGoesAwayFailsAtOnceAndRecoversWhenItReturns() async throws {
        let folder = TemporaryDirectory("pg-outage")
        defer { folder.remove() }
        try await PostgresServer.with(in: folder) { server in
            let store = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            defer { store.close() }
            var factory = EventFactory()
            let report = factory.report(by: FixedKeys.council)
            _ = try store.ingestNow([report], source: "test", now: .now())
            await server.stop()
            // The pooled connections the server closed are not used (the driver would wait for ever
            // on one): a read and a write fail as unavailable, at once rather than at the deadline.
            for attempt in [
                { _ = try store.counts() }, { _ = try store.ingestNow([report], source: "x", now: .now()) },
            ] {
                #expect {
                    try attempt()
                } throws: { error in
                    guard let error = error as? StoreError else { return false }
                    return error.code == .unavailable && !"\(error)".contains("no answer from the PostgreSQL server")
                }
            }
            #expect(store.writeHealth.failure != nil)
            try await server.resume()
            #expect(try store.counts().events == 1)
            #expect(try store.ingestNow([report], source: "test", now: .now()).map(\.isStored) == [false])
        }
    }
}
