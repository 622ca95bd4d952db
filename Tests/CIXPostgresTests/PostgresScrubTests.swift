import CIXCore
import CIXPostgres
import CIXStore
import CIXTesting
import Foundation
import Testing

/// A redaction on PostgreSQL is gone from the cluster's files once scrubbed: tables and WAL.
@Suite("PostgreSQL scrub after redactions")
struct PostgresScrubTests {
    static let canary = "Canary-PG-5531"

    /// Stores a report naming the canary, checkpoints so that its rows reach the tables' files,
    /// runs `beforeRedacting`, then redacts it; returns the files of the cluster that held the
    /// canary before the redaction.
    func reportAndRedact(
        into store: PostgresStore,
        on server: PostgresServer,
        beforeRedacting: () async throws -> Void = {}
    ) async throws -> [String] {
        var factory = EventFactory()
        let report = factory.report(
            by: FixedKeys.council,
            title: "Abandoned car, \(Self.canary)",
            description: "The owner is \(Self.canary) at number 14."
        )
        // Among other rows, as in a real store: a page's live rows need not move over a dead one.
        let others = (0..<300).map { factory.report(by: FixedKeys.council, title: "Pothole \($0) on Mill Lane") }
        _ = try store.ingestNow([report] + others, source: "test", now: .now())
        try await server.runSQL("CHECKPOINT")
        let held = try Canary.filesHolding(Self.canary, under: URL(fileURLWithPath: server.data))
        try await beforeRedacting()
        let redaction = factory.event(
            .redact,
            by: FixedKeys.council,
            on: report.id,
            after: [report],
            body: Bodies.redact(report.id)
        )
        #expect(try store.ingestNow([redaction], source: "test", now: .now()).map(\.isStored) == [true])
        #expect(try store.issueState(report.id)?.report?.title.contains(Self.canary) != true)
        #expect(
            try store.event(report.id).map { String(decoding: $0.bytes, as: UTF8.self) }?.contains(Self.canary) == false
        )
        return held
    }

    /// Runs `sql` as `application` on a connection of its own, and returns once PostgreSQL shows
    /// it holding `column` (`backend_xmin`: a snapshot; `backend_xid`: a transaction id).
    func holdOpen(
        _ sql: String,
        as application: String,
        in database: String = "postgres",
        holding column: String,
        on server: PostgresServer,
        seenBy store: PostgresStore
    ) async throws -> Task<Void, Never> {
        let holder = Task {
            _ = try? await server.runSQL("SET application_name = '\(application)'; " + sql, in: database)
        }
        for _ in 0..<200 {
            let open = try store.integers(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = '\(application)' AND \(column) IS NOT NULL"
            )
            if open == [1] { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return holder
    }

    @Test func aRedactionIsGoneFromEveryFileOfTheClusterOnceScrubbed() async throws {
        let folder = TemporaryDirectory("pg-scrub")
        defer { folder.remove() }
        try await PostgresServer.with(in: folder, settings: ["wal_recycle=off"]) { server in
            let store = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            defer { store.close() }
            let held = try await reportAndRedact(into: store, on: server)
            #expect(held.contains { $0.hasPrefix("base/") }, "the report reached the tables' files: \(held)")
            #expect(held.contains { $0.hasPrefix("pg_wal/") }, "and the WAL: \(held)")
            // The redacted row's old version stays in its page until the table is rewritten.
            #expect(try Canary.filesHolding(Self.canary, under: URL(fileURLWithPath: server.data)) != [])

            #expect(try store.scrubIfOwed())
            #expect(try Canary.filesHolding(Self.canary, under: URL(fileURLWithPath: server.data)) == [])
            // Done once: the next look finds nothing new, and the store is whole.
            #expect(try !store.scrubIfOwed())
            #expect(try store.checkStorage().isEmpty)
            #expect(try store.counts().events == 302)
        }
    }

    /// `VACUUM FULL` keeps an old row version while any transaction of the database that began
    /// before the redaction is open, even one that read none of the store's tables: the scrub
    /// waits for it to end, and names it if it does not.
    @Test func aTransactionOlderThanTheRedactionIsWaitedForAndNamedIfItDoesNotEnd() async throws {
        let folder = TemporaryDirectory("pg-scrub-older")
        defer { folder.remove() }
        try await PostgresServer.with(in: folder, settings: ["wal_recycle=off"]) { server in
            let store = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            defer { store.close() }
            let reader = "cix-test-older-reader"
            var holder: Task<Void, Never>?
            _ = try await reportAndRedact(into: store, on: server) {
                // A reader that reads nothing of the store for six seconds, its snapshot taken
                // before the redaction commits, then ends by itself.
                holder = try await holdOpen(
                    "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1; SELECT pg_sleep(6); COMMIT",
                    as: reader,
                    holding: "backend_xmin",
                    on: server,
                    seenBy: store
                )
            }
            // Scrubs wait on threads of their own, not on the few every test's tasks share.
            await #expect {
                try await onOwnThread { try store.scrub(snapshotWait: 1) }
            } throws: { error in
                "\(error)".contains("a transaction (process ") && "\(error)".contains(reader)
                    && "\(error)".contains("run `cix store scrub`")
            }
            // Nothing was rewritten: the rows as they were are still on disk.
            #expect(try Canary.filesHolding(Self.canary, under: URL(fileURLWithPath: server.data)) != [])

            // The reader ends while the scrub waits; the rewrite then keeps nothing of the report.
            try await onOwnThread { try store.scrub() }
            await holder?.value
            #expect(try Canary.filesHolding(Self.canary, under: URL(fileURLWithPath: server.data)) == [])
            #expect(try store.checkStorage().isEmpty)
        }
    }

    /// A transaction that wrote in another database of the cluster and began before the
    /// redaction holds back the scrub too: while its id is running, the rewrite's own snapshot
    /// (and any other in the store's database) counts it, so the rewrite keeps the rows as they
    /// were (seen in CI, where every test's database shares one cluster). The scrub waits for it.
    @Test func aWriterInAnotherDatabaseOlderThanTheRedactionIsWaitedForToo() async throws {
        let folder = TemporaryDirectory("pg-scrub-elsewhere")
        defer { folder.remove() }
        try await PostgresServer.with(in: folder, settings: ["wal_recycle=off"]) { server in
            let store = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            defer { store.close() }
            try await server.runSQL("CREATE DATABASE elsewhere")
            let writer = "cix-test-writer-elsewhere"
            var holder: Task<Void, Never>?
            _ = try await reportAndRedact(into: store, on: server) {
                // A writer in the other database for six seconds, then it ends by itself.
                holder = try await holdOpen(
                    "BEGIN; SELECT txid_current(); SELECT pg_sleep(6); COMMIT",
                    as: writer,
                    in: "elsewhere",
                    holding: "backend_xid",
                    on: server,
                    seenBy: store
                )
            }
            await #expect {
                try await onOwnThread { try store.scrub(snapshotWait: 1) }
            } throws: { error in
                "\(error)".contains(writer) && "\(error)".contains("database elsewhere")
            }
            #expect(try Canary.filesHolding(Self.canary, under: URL(fileURLWithPath: server.data)) != [])

            try await onOwnThread { try store.scrub() }
            await holder?.value
            #expect(try Canary.filesHolding(Self.canary, under: URL(fileURLWithPath: server.data)) == [])
        }
    }

    @Test func whatKeepsTheWALFromBeingClearedIsNamedWithItsRemedy() async throws {
        let folder = TemporaryDirectory("pg-scrub-wal")
        defer { folder.remove() }
        // The server's default: WAL segments are recycled, keeping their bytes.
        try await PostgresServer.with(in: folder) { server in
            // A role that owns its database but is no superuser, as in production.
            try await server.runSQL("CREATE ROLE clerk LOGIN PASSWORD 'a clerk password'")
            try await server.runSQL("CREATE DATABASE clerkdb OWNER clerk")
            let password = folder.file("clerk.password").path
            try Data("a clerk password\n".utf8).write(to: URL(fileURLWithPath: password))
            let url = "postgresql://clerk@127.0.0.1:\(server.port)/clerkdb?sslmode=disable"
            let store = try PostgresStore.open(url: url, passwordFile: password)
            defer { store.close() }
            _ = try await reportAndRedact(into: store, on: server)

            #expect {
                try store.scrubIfOwed()
            } throws: { error in
                "\(error)".contains("GRANT EXECUTE ON FUNCTION pg_switch_wal() TO clerk; GRANT pg_checkpoint TO clerk")
            }
            // The tables were rewritten all the same.
            let tables = URL(fileURLWithPath: server.data).appendingPathComponent("base")
            #expect(try Canary.filesHolding(Self.canary, under: tables) == [])

            try await server.runSQL("GRANT EXECUTE ON FUNCTION pg_switch_wal() TO clerk", in: "clerkdb")
            try await server.runSQL("GRANT pg_checkpoint TO clerk")
            #expect {
                try store.scrub()
            } throws: { error in
                "\(error)".contains("wal_recycle = on") && "\(error)".contains("set wal_recycle = off")
            }
        }
    }
}
