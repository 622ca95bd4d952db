import CIXCore
import CIXFederation
import CIXNode
import CIXStore
import CIXTesting
import Foundation

/// Catch-up of a new mirror from a node over loopback HTTPS, push latency
/// between two daemons, and an idle daemon's memory. The serving nodes run as
/// separate `cix serve` processes (the `cix` built beside this benchmark).
struct FederationBenchmark {
    let events: Int

    func run() async throws {
        let folder = TemporaryDirectory("cix-fed-bench")
        defer { folder.remove() }
        guard let cix = Self.cixExecutable() else { return }
        let council = try LocalNode.create(
            in: NodeDirectory(path: folder.file("council").path),
            name: "Council",
            kind: .council,
            url: "https://127.0.0.1:18601",
            listen: "127.0.0.1:18601",
            allowPrivateAddresses: true,
            now: .now()
        )
        let police = try LocalNode.create(
            in: NodeDirectory(path: folder.file("police").path),
            name: "Police",
            kind: .police,
            url: "https://127.0.0.1:18602",
            listen: "127.0.0.1:18602",
            allowPrivateAddresses: true,
            now: .now()
        )
        let input = folder.file("workload.ndjson")
        try Workload(issues: max(1, events / 10), eventsPerIssue: 10).write(to: input)
        let rawBytes = (try FileManager.default.attributesOfItem(atPath: input.path)[.size] as? Int) ?? 0
        _ = try await EventImporter(node: council).importFile(input, source: "bench", now: { .now() })
        print("council holds \(events) events (\(rawBytes) bytes of canonical records)")

        let councilServer = try start(cix, council)
        let policeServer = try start(cix, police)
        defer {
            councilServer.terminate()
            policeServer.terminate()
            councilServer.waitUntilExit()
            policeServer.waitUntilExit()
        }
        try await waitHealthy(council, "https://127.0.0.1:18601")
        try await waitHealthy(police, "https://127.0.0.1:18602")
        try await Task.sleep(for: .seconds(1))
        print(
            "idle daemon resident memory: \(Memory.resident(pid: policeServer.processIdentifier)) MB (police, empty store)"
        )

        // Catch-up: a new mirror (this process) pulls everything from the council.
        let mirror = try LocalNode.create(
            in: NodeDirectory(path: folder.file("mirror").path),
            name: "Mirror",
            kind: .mirror,
            url: "https://127.0.0.1:1",
            listen: nil,
            allowPrivateAddresses: true,
            now: .now()
        )
        let sync = PeerSync(node: mirror)
        let (peer, _) = try await sync.addPeer(
            url: "https://127.0.0.1:18601",
            caPEM: council.certificatePEM,
            now: .now()
        )
        let started = Date()
        let report = try await sync.pull(from: peer, now: { .now() })
        let seconds = Date().timeIntervalSince(started)
        print(
            String(
                format: "catch-up: %d events in %.1f s = %.0f events/s (%@)",
                report.stored,
                seconds,
                Double(report.stored) / seconds,
                report.summary
            )
        )
        print(
            String(
                format: "bytes on the wire (HTTP bodies): %d = %.3f × the raw records",
                report.bodyBytes,
                Double(report.bodyBytes) / Double(max(rawBytes, 1))
            )
        )
        print(
            "peak resident memory: mirror (this process) \(Memory.peakMegabytes()) MB, serving council \(Memory.peak(pid: councilServer.processIdentifier)) MB"
        )

        // Push latency: the council's daemon pushes to the police's daemon.
        _ = try await PeerSync(node: police)
            .addPeer(url: "https://127.0.0.1:18601", caPEM: council.certificatePEM, now: .now())
        _ = try await PeerSync(node: council)
            .addPeer(url: "https://127.0.0.1:18602", caPEM: police.certificatePEM, now: .now())
        // Let the first push (the whole backlog) finish before timing single reports.
        let backlog = try council.store.lastSequence()
        while (try council.store.peer(police.id)?.pushedThrough ?? 0) < backlog {
            try await Task.sleep(for: .milliseconds(200))
        }
        var latencies: [Double] = []
        var slowestWrite = 0.0
        for number in 0..<100 {
            let sent = Date()
            let event = try council.report(
                ReportSubmission(title: "Latency probe \(number)", category: "litter", latitude: 1, longitude: 2),
                now: .now()
            )
            slowestWrite = max(slowestWrite, Date().timeIntervalSince(sent) * 1_000)
            while try police.store.event(event.id) == nil {
                if Date().timeIntervalSince(sent) > 10 { break }
                try await Task.sleep(for: .milliseconds(1))
            }
            latencies.append(Date().timeIntervalSince(sent) * 1_000)
        }
        latencies.sort()
        print(
            String(
                format:
                    "push latency, report to arrival (100 reports): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; over 100 ms: %d",
                latencies[49],
                latencies[89],
                latencies[98],
                latencies[99],
                latencies.filter { $0 > 100 }.count
            )
        )
        print(String(format: "slowest local write of a probe report (included above): %.1f ms", slowestWrite))
    }

    /// The `cix` built beside this benchmark, or nil (having said how to build it).
    static func cixExecutable() -> URL? {
        let cix = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "cix"
        )
        guard FileManager.default.isExecutableFile(atPath: cix.path) else {
            print("build cix first: swift build -c release")
            return nil
        }
        return cix
    }

    func start(_ cix: URL, _ node: LocalNode) throws -> Process {
        let process = Process()
        process.executableURL = cix
        process.arguments = ["serve", "--data", node.directory.root.path, "--pull-interval", "3600"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func waitHealthy(_ node: LocalNode, _ url: String) async throws {
        for _ in 0..<100 {
            if (try? await PeerClient.with(caPEM: node.certificatePEM, signer: nil) { try await $0.health(at: url) })
                == true
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw NodeError(.io, "\(url) did not start")
    }
}

extension Memory {
    static func status(pid: Int32, field: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field) })
        else { return -1 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }
    static func peak(pid: Int32) -> Int { status(pid: pid, field: "VmHWM:") }
    static func resident(pid: Int32) -> Int { status(pid: pid, field: "VmRSS:") }
}
