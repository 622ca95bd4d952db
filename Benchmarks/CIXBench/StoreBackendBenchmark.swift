import CIXCore
import CIXPostgres
import CIXSQLite
import CIXStore
import CIXTesting
import Foundation

/// The same signed events appended, by the same ingest plan and projection, to
/// SQLite and to PostgreSQL (a cluster of its own, started on loopback), in
/// batches of 1,000 as a pull page brings them, beside the raw two-core
/// Ed25519 verify rate measured in the same run. Events are decoded and
/// verified once before the clock starts: what is timed is each backend.
struct StoreBackendBenchmark {
    let events: Int

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

        let sqlite = try SQLiteStore(path: folder.file("store.sqlite").path)
        var started = Date()
        for batch in batches { _ = try sqlite.ingestNow(batch, source: "bench", now: .now()) }
        let sqliteRate = Double(workload.count) / Date().timeIntervalSince(started)
        print(String(format: "SQLite ingest (plan, append, fold, projections): %.0f events/s", sqliteRate))

        guard let server = try await PostgresServer.start(in: folder) else {
            print("PostgreSQL is not installed: apt-get install postgresql")
            return
        }
        do {
            let postgres = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            started = Date()
            for batch in batches { _ = try await postgres.ingest(batch, source: "bench", now: .now()) }
            let postgresRate = Double(workload.count) / Date().timeIntervalSince(started)
            print(String(format: "PostgreSQL ingest (plan, append, fold, projections): %.0f events/s", postgresRate))
            let counts = try postgres.counts()
            print("PostgreSQL holds \(counts.events) events, \(counts.issues) issues, \(counts.pending) waiting")
            print(
                String(
                    format: "ratios to raw verify: SQLite %.2f, PostgreSQL %.2f; PostgreSQL to SQLite %.2f",
                    sqliteRate / raw,
                    postgresRate / raw,
                    postgresRate / sqliteRate
                )
            )
            postgres.close()
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
