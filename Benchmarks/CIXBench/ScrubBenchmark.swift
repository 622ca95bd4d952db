import CIXNode
import CIXSQLite
import Foundation

/// What a redaction's clean-up costs on a node of `issues` issues (built as for
/// the web benchmark): the search index merge and the WAL truncation that
/// `scrub` runs, and the change-counter read that every cached page pays.
struct ScrubBenchmark {
    let issues: Int
    let folder: URL

    func run() async throws {
        try await WebStore(issues: issues, folder: folder, port: 1).run()
        let path = NodeDirectory(path: folder.appendingPathComponent("node").path).store.path
        let store = try SQLiteStore(path: path)
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("store: \(bytes >> 20) MiB")
        try store.scrub()
        for round in 1...3 {
            // As a redaction does: one issue's search text deleted (and written again without the body).
            try store.execute("DELETE FROM issue_text WHERE rowid = (SELECT max(rowid) - \(round) FROM issue_text)")
            let started = Date()
            try store.scrub()
            print("scrub after one redaction \(round): \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        }
        let reads = 100_000
        let started = Date()
        for _ in 0..<reads { _ = try store.changeCounter() }
        let micros = Date().timeIntervalSince(started) / Double(reads) * 1e6
        print("change counter: \(String(format: "%.1f", micros)) µs a read (\(reads) reads)")
    }
}
