import CIXCore
import CIXFederation
import CIXNode
import CIXPostgres
import CIXStore
import CIXTesting
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A fresh mirror on PostgreSQL catching up from many bodies at once over HTTPS:
/// `peers` nodes, each a `cix serve` process holding its share of `events`, and
/// `cix sync --concurrency N` (a process of its own, so its memory is its own)
/// pulling from all of them into a PostgreSQL cluster started on loopback.
/// Bytes on the wire are what the serving processes wrote (`/proc/PID/io`
/// `wchar`: TLS records, the responses' bytes as sent). `cix-bench country`
/// measures the same with a country-shaped federation (`CountryBenchmark`).
struct CatchUpBenchmark {
    let events: Int
    let peers: Int
    let concurrency: Int

    func run() async throws {
        let folder = TemporaryDirectory("cix-catchup-bench")
        defer { folder.remove() }
        let perPeer = max(10, events / peers)
        var rawBytes = 0
        try await Self.measure(in: folder, bodies: peers, concurrency: concurrency) { number, body in
            let input = folder.file("body-\(number).ndjson")
            try Workload(issues: perPeer / 10, eventsPerIssue: 10, seed: UInt64(number + 1)).write(to: input)
            rawBytes += (try FileManager.default.attributesOfItem(atPath: input.path)[.size] as? Int) ?? 0
            _ = try await EventImporter(node: body).importFile(input, source: "bench", now: { .now() })
            try FileManager.default.removeItem(at: input)
        } rawBytes: {
            rawBytes
        }
    }

    /// Makes `bodies` nodes, fills each with `fill`, serves each from a `cix serve` process
    /// (started twenty at a time), then times a fresh mirror on PostgreSQL pulling from all
    /// of them with `cix sync --concurrency`, and prints what it cost.
    static func measure(
        in folder: TemporaryDirectory,
        bodies count: Int,
        concurrency: Int,
        kinds: [NodeKind] = [],
        fill: (Int, LocalNode) async throws -> Void,
        rawBytes: () -> Int
    ) async throws {
        guard let cix = FederationBenchmark.cixExecutable() else { return }
        guard let server = try await PostgresServer.start(in: folder) else {
            print("PostgreSQL is not installed: apt-get install postgresql")
            return
        }
        var serving: [Process] = []
        do {
            var bodies: [LocalNode] = []
            let preparing = Date()
            for number in 0..<count {
                let port = 18_700 + number
                let body = try LocalNode.create(
                    in: NodeDirectory(path: folder.file("body-\(number)").path),
                    name: "Body \(number)",
                    kind: number < kinds.count ? kinds[number] : .council,
                    url: "https://127.0.0.1:\(port)",
                    listen: "127.0.0.1:\(port)",
                    allowPrivateAddresses: true,
                    now: .now()
                )
                try await fill(number, body)
                bodies.append(body)
                if number % max(1, count / 20) == 0 || number == count - 1 {
                    print("body \(number + 1)/\(count) holds \(try body.store.counts().events) events")
                }
            }
            print(String(format: "bodies prepared in %.0f s", Date().timeIntervalSince(preparing)))
            for start in stride(from: 0, to: count, by: 20) {
                let batch = start..<min(start + 20, count)
                for number in batch { serving.append(try FederationBenchmark(events: 0).start(cix, bodies[number])) }
                for number in batch {
                    try await FederationBenchmark(events: 0).waitHealthy(
                        bodies[number],
                        "https://127.0.0.1:\(18_700 + number)"
                    )
                }
            }
            let resident = serving.map { residentMegabytes(pid: $0.processIdentifier) }.reduce(0, +)
            print("\(count) bodies serving: \(resident) MB resident together")

            let mirrorDirectory = NodeDirectory(path: folder.file("mirror").path)
            let mirror = try LocalNode.create(
                in: mirrorDirectory,
                name: "National mirror",
                kind: .mirror,
                url: "https://127.0.0.1:1",
                listen: nil,
                allowPrivateAddresses: true,
                store: NodeConfig.Store(url: server.url, password_file: server.passwordFile),
                now: .now()
            )
            let sync = PeerSync(node: mirror)
            for (number, body) in bodies.enumerated() {
                _ = try await sync.addPeer(
                    url: "https://127.0.0.1:\(18_700 + number)",
                    caPEM: body.certificatePEM,
                    now: .now()
                )
            }
            let written = serving.map { Self.bytesWritten(pid: $0.processIdentifier) }
            let started = Date()
            let catchUp = Process()
            catchUp.executableURL = cix
            catchUp.arguments = ["sync", "--data", mirrorDirectory.root.path, "--concurrency", "\(concurrency)"]
            // What cix sync says of each peer ("… received, … stored, … duplicate, …"), kept to be totalled.
            let said = folder.file("sync.out")
            FileManager.default.createFile(atPath: said.path, contents: nil)
            catchUp.standardOutput = try FileHandle(forWritingTo: said)
            catchUp.standardError = FileHandle.nullDevice
            try catchUp.run()
            catchUp.waitUntilExit()
            let seconds = Date().timeIntervalSince(started)
            var usage = rusage()
            getrusage(RUSAGE_CHILDREN.rawValue, &usage)
            let wire = zip(serving, written).map { Self.bytesWritten(pid: $0.processIdentifier) - $1 }.reduce(0, +)
            let held = try mirror.store.counts()
            let size =
                try (mirror.store as? PostgresStore)?.integers("SELECT pg_database_size(current_database())").first ?? 0
            let records = rawBytes()
            print(
                String(
                    format: "catch-up from %d bodies, %d at once: %d events in %.1f s = %.0f events/s (exit %d)",
                    count,
                    concurrency,
                    held.events,
                    seconds,
                    Double(held.events) / seconds,
                    catchUp.terminationStatus
                )
            )
            print(
                String(
                    format:
                        "bytes on the wire (written by the bodies' daemons): %.1f MB = %.3f × the records the bodies hold (%.1f MB)",
                    Double(wire) / 1e6,
                    Double(wire) / Double(max(records, 1)),
                    Double(records) / 1e6
                )
            )
            let lines = (try? String(contentsOf: said, encoding: .utf8))?.split(separator: "\n") ?? []
            print(
                "cix sync said of \(lines.count) peers: \(Self.total("received", lines)) received, "
                    + "\(Self.total("stored", lines)) stored, \(Self.total("duplicate", lines)) duplicate; the first: "
                    + (lines.first.map(String.init) ?? "nothing")
            )
            print("peak resident memory of cix sync: \(usage.ru_maxrss / 1024) MB")
            print(
                String(
                    format: "PostgreSQL database: %.2f GB, %.2f KB an event",
                    Double(size) / 1e9,
                    Double(size) / Double(max(held.events, 1)) / 1e3
                )
            )
        } catch {
            for process in serving { process.terminate() }
            await server.stop()
            throw error
        }
        for process in serving {
            process.terminate()
            process.waitUntilExit()
        }
        await server.stop()
    }

    /// The sum over `lines` of the number before `word` ("12 stored, …").
    static func total(_ word: String, _ lines: [Substring]) -> Int {
        lines.map { line in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "," })
            return zip(words, words.dropFirst()).first { $0.1 == word }.flatMap { Int($0.0) } ?? 0
        }.reduce(0, +)
    }

    /// Resident memory of a process in MB (`/proc/PID/status` VmRSS).
    static func residentMegabytes(pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return (Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0) / 1024
    }

    /// Bytes a process has written through system calls (sockets included): `/proc/PID/io` `wchar`.
    static func bytesWritten(pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("wchar:") })
        else { return 0 }
        return Int(line.split(separator: " ").last ?? "0") ?? 0
    }
}
