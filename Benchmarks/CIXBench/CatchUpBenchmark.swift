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
/// `wchar`: TLS records, the responses' bytes as sent).
struct CatchUpBenchmark {
    let events: Int
    let peers: Int
    let concurrency: Int

    func run() async throws {
        let folder = TemporaryDirectory("cix-catchup-bench")
        defer { folder.remove() }
        guard let cix = FederationBenchmark.cixExecutable() else { return }
        guard let server = try await PostgresServer.start(in: folder) else {
            print("PostgreSQL is not installed: apt-get install postgresql")
            return
        }
        var serving: [Process] = []
        do {
            var bodies: [LocalNode] = []
            var rawBytes = 0
            let perPeer = max(10, events / peers)
            for number in 0..<peers {
                let port = 18_700 + number
                let body = try LocalNode.create(
                    in: NodeDirectory(path: folder.file("body-\(number)").path),
                    name: "Body \(number)",
                    kind: .council,
                    url: "https://127.0.0.1:\(port)",
                    listen: "127.0.0.1:\(port)",
                    allowPrivateAddresses: true,
                    now: .now()
                )
                let input = folder.file("body-\(number).ndjson")
                try Workload(issues: perPeer / 10, eventsPerIssue: 10, seed: UInt64(number + 1)).write(to: input)
                rawBytes += (try FileManager.default.attributesOfItem(atPath: input.path)[.size] as? Int) ?? 0
                _ = try await EventImporter(node: body).importFile(input, source: "bench", now: { .now() })
                try FileManager.default.removeItem(at: input)
                bodies.append(body)
                print("body \(number + 1)/\(peers) holds \(try body.store.counts().events) events")
            }
            for body in bodies { serving.append(try FederationBenchmark(events: 0).start(cix, body)) }
            for (number, body) in bodies.enumerated() {
                try await FederationBenchmark(events: 0).waitHealthy(body, "https://127.0.0.1:\(18_700 + number)")
            }

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
            catchUp.standardOutput = FileHandle.nullDevice
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
            print(
                String(
                    format: "catch-up from %d bodies, %d at once: %d events in %.1f s = %.0f events/s (exit %d)",
                    peers,
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
                        "bytes on the wire (written by the bodies' daemons): %.1f MB = %.3f × the raw records (%.1f MB)",
                    Double(wire) / 1e6,
                    Double(wire) / Double(max(rawBytes, 1)),
                    Double(rawBytes) / 1e6
                )
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

    /// Bytes a process has written through system calls (sockets included): `/proc/PID/io` `wchar`.
    static func bytesWritten(pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("wchar:") })
        else { return 0 }
        return Int(line.split(separator: " ").last ?? "0") ?? 0
    }
}
