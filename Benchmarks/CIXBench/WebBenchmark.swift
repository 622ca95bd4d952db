import CIXCore
import CIXNode
import CIXStore
import CIXTesting
import Foundation

/// Prepares a node for the web benchmark (`Benchmarks/web-bench.sh`): a
/// mirror holding `issues` generated issues of five signed events each,
/// imported and verified as any pulled events would be. Prints the node's
/// directory; the script serves it and loads it with wrk. With `store`, the
/// mirror keeps its public store in that PostgreSQL database
/// (`Benchmarks/pg-read-bench.sh`).
struct WebStore {
    let issues: Int
    let folder: URL
    let port: Int
    var store: NodeConfig.Store? = nil

    func run() async throws {
        let directory = NodeDirectory(path: folder.appendingPathComponent("node").path)
        guard !directory.exists else {
            print("reusing \(directory.root.path)")
            return
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let node = try LocalNode.create(
            in: directory,
            name: "Greenfield benchmark mirror",
            kind: .mirror,
            url: "https://127.0.0.1:\(port)",
            listen: "127.0.0.1:\(port)",
            web: WebConfig(tiles: ""),
            store: store,
            now: .now()
        )
        let input = folder.appendingPathComponent("workload.ndjson")
        let workload = Workload(issues: issues, eventsPerIssue: 5, seed: 7)
        try workload.write(to: input)
        let started = Date()
        let report = try await EventImporter(node: node).importFile(input, source: "bench", now: { .now() })
        try? FileManager.default.removeItem(at: input)
        let seconds = Date().timeIntervalSince(started)
        let counts = try node.store.counts()
        print(
            "imported \(report.accepted) events (\(counts.issues) issues) in \(String(format: "%.1f", seconds)) s into \(directory.root.path)"
        )
    }
}
