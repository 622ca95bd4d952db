import CIXCore
import CIXNode
import CIXStore
import CIXTesting
import Foundation

/// Import of N generated signed events into a fresh node, beside the raw
/// Ed25519 verification rate of this machine measured in the same run.
struct IngestBenchmark {
    let events: Int
    let eventsPerIssue: Int

    func run() async throws {
        let folder = TemporaryDirectory("cix-bench")
        defer { folder.remove() }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("machine: \(cores) cores; workload: \(events) events, \(eventsPerIssue) per issue")

        let input = folder.file("workload.ndjson")
        var started = Date()
        try Workload(issues: max(1, events / eventsPerIssue), eventsPerIssue: eventsPerIssue).write(to: input)
        let size = (try FileManager.default.attributesOfItem(atPath: input.path)[.size] as? Int) ?? 0
        print(String(format: "generated %d bytes of NDJSON in %.1f s", size, Date().timeIntervalSince(started)))

        let rawRate = await RawVerifyRate.measure(cores: cores)
        print(String(format: "raw Ed25519 verify, %d cores: %.0f signatures/s", cores, rawRate))

        let node = try LocalNode.create(
            in: NodeDirectory(path: folder.file("node").path),
            name: "Bench",
            kind: .mirror,
            url: "https://127.0.0.1:1",
            listen: nil,
            now: .now()
        )
        started = Date()
        let report = try await EventImporter(node: node).importFile(input, source: "bench", now: { .now() })
        let seconds = Date().timeIntervalSince(started)
        let rate = Double(report.accepted) / seconds
        print(
            String(
                format: "import: %d events stored in %.1f s = %.0f verified events/s (%@)",
                report.accepted,
                seconds,
                rate,
                report.summary
            )
        )
        print(String(format: "ratio to raw verify rate: %.2f (target ≥ 0.80)", rate / rawRate))
        print("peak resident memory: \(Memory.peakMegabytes()) MB")

        started = Date()
        var issues = 0
        var folded = 0
        try node.store.forEachIssue { group in
            let decoded = group.compactMap { try? Event.decodeStored($0.bytes) }
            if IssueFold.fold(decoded) != nil { issues += 1 }
            folded += decoded.count
        }
        let foldSeconds = Date().timeIntervalSince(started)
        print(
            String(
                format: "fold from the log: %d issues (%d events) in %.1f s = %.0f events/s",
                issues,
                folded,
                foldSeconds,
                Double(folded) / foldSeconds
            )
        )

        let ids = try node.store.issues(IssueQuery(limit: 1_000)).compactMap { EventID($0.id) }
        started = Date()
        var reads = 0
        while Date().timeIntervalSince(started) < 2, !ids.isEmpty {
            _ = try node.store.issueState(ids[reads % ids.count])
            reads += 1
        }
        print(
            String(
                format: "issue read (load + fold one issue): %.0f reads/s",
                Double(reads) / Date().timeIntervalSince(started)
            )
        )
        started = Date()
        var lists = 0
        while Date().timeIntervalSince(started) < 2 {
            _ = try node.store.issues(IssueQuery(status: "in_progress", limit: 50))
            lists += 1
        }
        print(
            String(
                format: "issue list (50 by status): %.0f queries/s",
                Double(lists) / Date().timeIntervalSince(started)
            )
        )
    }
}

/// Ed25519 verification on every core, as fast as swift-crypto goes, for two seconds.
enum RawVerifyRate {
    static func measure(cores: Int) async -> Double {
        let key = FixedKeys.council.key
        let messages = (0..<256).map { Array("cix-event-v1:\(SHA256Hex.hash([UInt8($0)]))".utf8) }
        let signatures = messages.map { key.sign($0) }
        let publicKey = key.publicKey
        let started = Date()
        let total = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<cores {
                group.addTask {
                    var count = 0
                    while Date().timeIntervalSince(started) < 2 {
                        for index in 0..<64 where publicKey.isValidSignature(signatures[index], for: messages[index]) {
                            count += 1
                        }
                    }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        return Double(total) / Date().timeIntervalSince(started)
    }
}

enum Memory {
    /// VmHWM from /proc/self/status, in megabytes.
    static func peakMegabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return -1 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }
}
