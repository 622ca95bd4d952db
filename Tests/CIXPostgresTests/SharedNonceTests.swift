import CIXFederation
import CIXPostgres
import CIXSQLite
import CIXStore
import CIXTesting
import Foundation
import Testing

/// Replay protection shared by the daemons of a node: a nonce claimed through one
/// daemon's store is refused through another's until it expires, and of many
/// daemons claiming one nonce at once exactly one wins.
@Suite("Request nonces shared by daemons")
struct SharedNonceTests {
    /// The claim rules every nonce log keeps: new → taken; seen and unexpired → refused; expired → taken again.
    func expectClaimRules(_ first: any NonceLog, _ second: any NonceLog) throws {
        #expect(try first.claim("n-1", expires: 1_060, now: 1_000))
        #expect(try !second.claim("n-1", expires: 1_065, now: 1_005), "a replay through the other daemon")
        #expect(try !first.claim("n-1", expires: 1_065, now: 1_060), "still unexpired at its last second")
        #expect(try second.claim("n-1", expires: 1_120, now: 1_061), "taken again once expired")
        #expect(try first.claim("n-2", expires: 1_070, now: 1_010))
        #expect(try second.unexpired(now: 1_065) == ["n-1": 1_120, "n-2": 1_070])
        try first.prune(now: 1_100)
        #expect(try second.unexpired(now: 0) == ["n-1": 1_120])
    }

    @Test func twoStoresOfOnePostgreSQLDatabaseShareTheirNonces() async throws {
        let folder = TemporaryDirectory("pg-nonces")
        defer { folder.remove() }
        try await PostgresServer.with(in: folder) { server in
            let one = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            let other = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            defer {
                one.close()
                other.close()
            }
            try await onOwnThread { try self.expectClaimRules(one, other) }
            // Forty claims of one nonce at once through two stores: one is taken.
            let taken = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<40 {
                    let store = index % 2 == 0 ? one : other
                    group.addTask { try await onOwnThread { try store.claim("raced", expires: 2_000, now: 1_500) } }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(taken == 1)
            // Two daemons' caches over the two stores: what one admits, the other refuses.
            let first = NonceCache(log: one, now: 1_500)
            let second = NonceCache(log: other, now: 1_500)
            #expect(await first.admit("signed-once", expires: 1_560, now: 1_501))
            #expect(await !second.admit("signed-once", expires: 1_560, now: 1_502))
            #expect(await !first.admit("signed-once", expires: 1_560, now: 1_503))
        }
    }

    @Test func aDaemonsOwnLogKeepsTheSameRules() throws {
        let folder = TemporaryDirectory("sqlite-nonces")
        defer { folder.remove() }
        let log = try SQLiteNonceLog(path: folder.file("replay.sqlite").path)
        try expectClaimRules(log, try SQLiteNonceLog(path: folder.file("replay.sqlite").path))
    }
}
