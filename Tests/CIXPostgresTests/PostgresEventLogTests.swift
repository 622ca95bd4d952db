import CIXCanonicalJSON
import CIXCore
import CIXPostgres
import CIXSQLite
import CIXStore
import CIXTesting
import Foundation
import Testing

/// The PostgreSQL event log against a real PostgreSQL 15 cluster started on
/// loopback for the suite: the same events, in the same order, fold to the
/// same bytes as in SQLite; several writers at once lose nothing; a bad URL,
/// an unreachable server or a wrong password is refused with the reason.
@Suite("PostgreSQL event log", .serialized)
struct PostgresEventLogTests {
    /// Runs `body` with a fresh cluster and a SQLite store beside it; both removed after.
    func withBoth(_ label: String, _ body: (PostgresServer, SQLiteStore) async throws -> Void) async throws {
        let folder = TemporaryDirectory(label)
        defer { folder.remove() }
        try await PostgresServer.with(in: folder) { server in
            try await body(server, try SQLiteStore(path: folder.file("store.sqlite").path))
        }
    }

    static func bytes(_ value: JSONValue?) -> [UInt8] { Array((value?.stringValue ?? "").utf8) }

    /// Offers `events` to both stores in shuffled batches (so children often come before their
    /// parents, and wait), and checks that every issue's state has the same bytes in both.
    func expectSameState(
        _ events: [Event],
        _ sqlite: SQLiteStore,
        _ postgres: PostgresStore,
        seed: UInt64
    ) async throws {
        var random = SeededGenerator(seed: seed)
        let shuffled = events.shuffled(using: &random)
        var start = 0
        while start < shuffled.count {
            let size = Int.random(in: 1...40, using: &random)
            let batch = Array(shuffled[start..<min(start + size, shuffled.count)])
            let now = Timestamp.now()
            let inSQLite = try sqlite.ingestNow(batch, source: "test", now: now)
            let inPostgres = try await postgres.ingest(batch, source: "test", now: now)
            #expect(inSQLite.map(\.result) == inPostgres.map(\.result))
            start += size
        }
        let issues = Set(events.map(\.issue))
        let states = try postgres.projectedStates()
        for issue in issues.sorted() {
            let expected = try sqlite.issueState(issue)?.canonicalBytes()
            #expect(expected != nil)
            #expect(states[issue.hex] == expected, "issue \(issue.hex.prefix(12))")
        }
        let counts = try postgres.counts()
        let local = try sqlite.counts()
        #expect(counts.events == local.events && counts.pending == local.pending && counts.issues == local.issues)
    }

    @Test func theVectorsAndARandomWorkloadFoldToTheSameBytesInBothBackends() async throws {
        try await withBoth("pg-fold") { server, sqlite in
            let postgres = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            defer { postgres.close() }
            // Each fold vector set, its key statements first.
            let fold = try #require(
                try JSONParser().parse(
                    Data(
                        contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                            .deletingLastPathComponent().deletingLastPathComponent()
                            .appendingPathComponent("Protocol/vectors/fold.json")
                    )
                ).objectValue
            )
            var seen = Set<EventID>()
            for (index, item) in (fold["sets"]?.arrayValue ?? []).enumerated() {
                let set = try #require(item.objectValue)
                for value in set["key_statements"]?.arrayValue ?? [] {
                    let record = try #require(try JSONParser().parse(Self.bytes(value)).objectValue)
                    let statement = try KeyStatement(record: record)
                    try sqlite.addKeyStatement(statement)
                    try postgres.addKeyStatement(statement)
                    try postgres.addKeyStatement(statement)
                }
                let events = try (set["events"]?.arrayValue ?? []).map { try Event.decode(Self.bytes($0)) }
                try await expectSameState(events, sqlite, postgres, seed: UInt64(index + 1))
                // A set of public events on an issue of its own gives the vector's own state.
                if events.allSatisfy(\.audience.isPublic), let issue = events.first?.issue,
                    seen.insert(issue).inserted
                {
                    #expect(try postgres.projectedStates()[issue.hex] == Self.bytes(set["state"]), "set \(index)")
                }
            }
            // A hundred and fifty issues of every kind of event, redactions among them.
            let workload = RandomIssue.events(count: 1_500, seed: 7)
            try await expectSameState(workload, sqlite, postgres, seed: 99)
            // Offered again: duplicates, and the events refused the first time for the pending limit
            // (over 1,000 waiting from one source) taken now, alike in both.
            let again = try await postgres.ingest(Array(workload.prefix(200)), source: "test", now: .now())
            let sameInSQLite = try sqlite.ingestNow(Array(workload.prefix(200)), source: "test", now: .now())
            #expect(again.map(\.result) == sameInSQLite.map(\.result))
            #expect(again.contains { $0.result == .duplicate })
        }
    }

    @Test func severalWritersAtOnceAreAppliedOneBatchAfterAnotherAndLoseNothing() async throws {
        try await withBoth("pg-writers") { server, sqlite in
            let events = RandomIssue.events(count: 600, seed: 3)
            let writers = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Three daemons, each offered every event in its own order and batches, all at once.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, writer) in writers.enumerated() {
                    group.addTask {
                        var random = SeededGenerator(seed: UInt64(10 + index))
                        let order = events.shuffled(using: &random)
                        var start = 0
                        while start < order.count {
                            let end = min(start + Int.random(in: 1...60, using: &random), order.count)
                            _ = try await writer.ingest(Array(order[start..<end]), source: "peer-\(index)", now: .now())
                            start = end
                        }
                    }
                }
                try await group.waitForAll()
            }
            _ = try sqlite.ingestNow(events, source: "test", now: .now())
            let counts = try writers[0].counts()
            #expect(counts.events == events.count && counts.pending == 0)
            for issue in Set(events.map(\.issue)).sorted() {
                #expect(try writers[1].projectedStates()[issue.hex] == sqlite.issueState(issue)?.canonicalBytes())
            }
            for writer in writers { writer.close() }
        }
    }

    /// Events are streamed into the log with COPY in its text format: every byte of every
    /// column must come back as it was given, whatever characters a source holds.
    @Test func theLogHoldsEveryEventByteForByteAsIngestedOrCopied() async throws {
        try await withBoth("pg-copy") { server, sqlite in
            let postgres = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            defer { postgres.close() }
            let events = RandomIssue.events(count: 300, seed: 11)
            let source = "peer\twith\\odd\ncharacters\r and ünïcode 🚲"
            let now = Timestamp(secondsSinceEpoch: 1_800_000_000)
            let outcomes = try await postgres.ingest(events, source: source, now: now)
            _ = try sqlite.ingestNow(events, source: source, now: now)
            let stored = outcomes.filter(\.isStored).count
            #expect(stored > 250, "\(stored) of 300 stored")
            let held = try postgres.events(after: 0, limit: 1_000)
            #expect(held.count == stored)
            #expect(held.map(\.seq) == Array(1...Int64(stored)), "numbered in the order appended")
            // Each as SQLite holds it (a redacted event's bytes without its body, in both).
            let inSQLite = try sqlite.events(after: 0, limit: 1_000)
            #expect(held.map(\.id) == inSQLite.map(\.id) && held.map(\.seq) == inSQLite.map(\.seq))
            #expect(held.map(\.bytes) == inSQLite.map(\.bytes))
            let given = Dictionary(uniqueKeysWithValues: events.map { ($0.id.hex, $0) })
            for event in held {
                let original = try #require(given[event.id])
                #expect(event.issue == original.issue.hex && event.author == original.author.hex)
                #expect(event.isPublic == original.audience.isPublic)
                #expect(event.source == source && event.firstSeen == now)
            }
            #expect(held.filter { $0.bytes == given[$0.id]?.bytes }.count > 250)
            // Copied into a second store (as `cix store migrate` does), numbers kept: the same rows.
            let copy = try PostgresStore.open(
                url: try await server.createDatabase("copied"),
                passwordFile: server.passwordFile
            )
            defer { copy.close() }
            try copy.appendCopied(held)
            let copied = try copy.events(after: 0, limit: 1_000)
            #expect(copied.map(\.seq) == held.map(\.seq) && copied.map(\.id) == held.map(\.id))
            #expect(copied.map(\.bytes) == held.map(\.bytes) && copied.map(\.source) == held.map(\.source))
            #expect(copied.map(\.firstSeen) == held.map(\.firstSeen))
            // New events follow the copied ones.
            let more = RandomIssue.events(count: 20, seed: 12)
            _ = try copy.ingestNow(more, source: "local", now: now)
            #expect(try copy.events(after: Int64(stored), limit: 100).first?.seq == Int64(stored) + 1)
        }
    }

    @Test func aBadURLAnUnreachableServerOrAWrongPasswordIsRefusedWithTheReason() async throws {
        try await withBoth("pg-refusals") { server, _ in
            func refusal(_ url: String, passwordFile: String?) async -> String {
                do {
                    let log = try PostgresStore.open(url: url, passwordFile: passwordFile)
                    log.close()
                    return "opened"
                } catch {
                    #expect(error.code == .cannotOpen)
                    return error.message
                }
            }
            let wrong = server.passwordFile + ".wrong"
            try Data("not the password\n".utf8).write(to: URL(fileURLWithPath: wrong))
            #expect(await refusal(server.url, passwordFile: wrong).contains("password authentication failed"))
            let closed = "postgresql://cix@127.0.0.1:\(try PostgresServer.freePort())/postgres?sslmode=disable"
            #expect(
                await refusal(closed, passwordFile: server.passwordFile).contains("cannot open the PostgreSQL store")
            )
            #expect(
                await refusal("postgresql://cix:secret@127.0.0.1/postgres", passwordFile: nil)
                    .contains("must not hold the password")
            )
            #expect(
                await refusal("postgresql://cix@db.example/cix?sslmode=disable", passwordFile: nil)
                    .contains("only for a server on loopback")
            )
            #expect(await refusal("mysql://cix@127.0.0.1/cix", passwordFile: nil).contains("postgresql://"))
            #expect(await refusal(server.url, passwordFile: "/nonexistent/password").contains("cannot be read"))
            // The right one opens, twice (the schema is applied once).
            #expect(await refusal(server.url, passwordFile: server.passwordFile) == "opened")
            #expect(await refusal(server.url, passwordFile: server.passwordFile) == "opened")
        }
    }

    /// The store's statements are many small ones: its sessions compile none to machine code and
    /// start no parallel workers, whatever the server's defaults (which here are PostgreSQL's own).
    @Test func everySessionOfTheStoreRunsWithoutJITOrParallelWorkers() async throws {
        let folder = TemporaryDirectory("pg-session-settings")
        defer { folder.remove() }
        try await PostgresServer.with(in: folder, settings: ["jit=on", "max_parallel_workers_per_gather=2"]) { server in
            let store = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            defer { store.close() }
            #expect(try store.texts("SHOW jit") == ["off"])
            #expect(try store.texts("SHOW max_parallel_workers_per_gather") == ["0"])
            #expect(try store.texts("SELECT boot_val FROM pg_settings WHERE name = 'jit'") == ["on"])
        }
    }
}
