import CIXCore
import CIXNode
import CIXSQLite
import CIXStore
import CIXTesting
import Foundation

/// Times the phases of ingest separately: decode+verify on all cores, decode
/// without signatures on one core, and storing already-verified events.
struct PhaseBenchmark {
    let events: Int

    func run() async throws {
        let folder = TemporaryDirectory("cix-phases")
        defer { folder.remove() }
        var generated: [Event] = []
        Workload(issues: events / 10, eventsPerIssue: 10).generate { generated.append($0) }
        let lines = generated.map(\.bytes)

        var started = Date()
        for line in lines { _ = try Event.decodeStored(line) }
        report("decode without signature, 1 core", started)

        started = Date()
        let slices = 2
        let size = (lines.count + 1) / slices
        await withTaskGroup(of: Void.self) { group in
            for slice in 0..<slices {
                let part = Array(lines[slice * size..<min(lines.count, (slice + 1) * size)])
                group.addTask { for line in part { _ = try? Event.decode(line) } }
            }
        }
        report("full decode and verify, 2 cores", started)

        let store = try SQLiteStore(path: folder.file("s.sqlite").path)
        started = Date()
        for chunk in stride(from: 0, to: generated.count, by: 4_096) {
            _ = try await store.ingest(
                Array(generated[chunk..<min(generated.count, chunk + 4_096)]),
                source: "b",
                now: .now()
            )
        }
        report("store verified events (with projections), 1 core", started)
    }

    func report(_ what: String, _ started: Date) {
        let seconds = Date().timeIntervalSince(started)
        print(String(format: "%@: %.2f s = %.0f events/s", what, seconds, Double(events) / seconds))
    }
}
