import CIXCore
import CIXPostgres
import CIXSQLite
import CIXStore
import CIXTesting
import Foundation
import Synchronization

/// The same signed events, in batches of 1,000 as a pull page brings them,
/// each batch verified on every core and then stored, into SQLite and into
/// PostgreSQL (a cluster of its own, started on loopback), two ways each:
///
/// - ingest: the ingest plan, append, fold and every projection (what a node does);
/// - bound: the rows appended as they are (`appendCopied`: no plan, no fold, no
///   projection), the physical bound of that backend for verified events;
///
/// beside the raw verify rate on every core measured in the same run, which
/// bounds them all.
struct StoreBackendBenchmark {
    let events: Int
    /// Only PostgreSQL's two ways (to compare two builds of its store in half the time).
    var postgresOnly = false

    func run() async throws {
        let folder = TemporaryDirectory("cix-bench-stores")
        defer { folder.remove() }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var workload: [Event] = []
        Workload(issues: max(1, events / 10), eventsPerIssue: 10).generate { workload.append($0) }
        print("machine: \(cores) cores; workload: \(workload.count) events, 10 per issue, batches of 1,000")
        let raw = await RawVerifyRate.measure(cores: cores)
        print(String(format: "raw Ed25519 verify, %d cores: %.0f signatures/s", cores, raw))
        let batches = stride(from: 0, to: workload.count, by: 1_000).map {
            Array(workload[$0..<min($0 + 1_000, workload.count)])
        }

        /// Verifies each batch on every core and stores it with `store`; events a second.
        func timed(_ store: ([Event]) async throws -> Void) async throws -> Double {
            let started = Date()
            for batch in batches {
                let checked = await ParallelDecoder.decode(batch.enumerated().map { ($0.offset, $0.element.bytes) })
                let verified = try checked.map { try $0.result.get() }
                try await store(verified)
            }
            return Double(workload.count) / Date().timeIntervalSince(started)
        }
        /// Appends the rows as they are, numbered in order.
        func appendingRows(to store: any StoreCopy) -> ([Event]) async throws -> Void {
            let next = Counter()
            return { batch in
                try store.appendCopied(
                    batch.map { event in
                        StoredEvent(
                            seq: next.advance(),
                            id: event.id.hex,
                            issue: event.issue.hex,
                            author: event.author.hex,
                            firstSeen: .now(),
                            source: "bench",
                            isPublic: event.audience.isPublic,
                            bytes: event.bytes
                        )
                    }
                )
            }
        }

        var sqliteBound = Double.nan
        var sqliteRate = Double.nan
        if !postgresOnly {
            sqliteBound = try await timed(appendingRows(to: try SQLiteStore(path: folder.file("bound.sqlite").path)))
            print(String(format: "SQLite bound (verify, append raw rows): %.0f events/s", sqliteBound))
            let sqlite = try SQLiteStore(path: folder.file("store.sqlite").path)
            sqliteRate = try await timed { _ = try sqlite.ingestNow($0, source: "bench", now: .now()) }
            print(String(format: "SQLite ingest (verify, plan, append, fold, projections): %.0f events/s", sqliteRate))
        }

        // With WAL segments removed, not recycled, as a scrub after redactions needs.
        guard let server = try await PostgresServer.start(in: folder, settings: ["wal_recycle=off"]) else {
            print("PostgreSQL is not installed: apt-get install postgresql")
            return
        }
        do {
            let postgres = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            let postgresBound = try await timed(appendingRows(to: postgres))
            print(String(format: "PostgreSQL bound (verify, append raw rows): %.0f events/s", postgresBound))
            try postgres.execute("TRUNCATE event RESTART IDENTITY")
            let postgresRate = try await timed { _ = try await postgres.ingest($0, source: "bench", now: .now()) }
            print(
                String(
                    format: "PostgreSQL ingest (verify, plan, append, fold, projections): %.0f events/s",
                    postgresRate
                )
            )
            let counts = try postgres.counts()
            print("PostgreSQL holds \(counts.events) events, \(counts.issues) issues, \(counts.pending) waiting")
            print(
                String(
                    format: "PostgreSQL ingest to raw verify %.2f, to its bound %.2f",
                    postgresRate / raw,
                    postgresRate / postgresBound
                )
            )
            // What a redaction costs on PostgreSQL: every table rewritten, the WAL cleared.
            let bytes = try postgres.integers("SELECT pg_database_size(current_database())").first ?? 0
            let started = ContinuousClock.now
            try postgres.scrub()
            let took = (ContinuousClock.now - started).components
            let seconds = Double(took.seconds) + Double(took.attoseconds) / 1e18
            print(
                String(
                    format:
                        "PostgreSQL scrub (VACUUM FULL of every table, WAL switch, checkpoint) of %.2f GB: %.1f s = %.0f MB/s",
                    Double(bytes) / 1e9,
                    seconds,
                    Double(bytes) / 1e6 / seconds
                )
            )
            if !postgresOnly {
                print(
                    String(
                        format: "SQLite ingest to raw verify %.2f, to its bound %.2f; PostgreSQL to SQLite %.2f",
                        sqliteRate / raw,
                        sqliteRate / sqliteBound,
                        postgresRate / sqliteRate
                    )
                )
            }
            postgres.close()
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

/// A number that goes up by one each time it is asked for.
final class Counter: Sendable {
    private let value = Mutex<Int64>(0)
    func advance() -> Int64 {
        value.withLock {
            $0 += 1
            return $0
        }
    }
}
