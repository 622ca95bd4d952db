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
    let eventsPerIssue: Int
    /// Keep the mirror and its (stopped) cluster afterwards, for `pg-read-bench.sh` to read.
    let keep: Bool
    /// Where the bodies live when they are to outlast the run: filled the first time, served
    /// as they are after that (a national-size catch-up's bodies take an hour to prepare).
    let bodiesFolder: URL?
    /// Fill the bodies (in `bodiesFolder`) and stop, leaving the catch-up for a later run.
    let onlyPrepare: Bool

    func run() async throws {
        let folder = TemporaryDirectory("cix-catchup-bench")
        defer { if !keep || onlyPrepare { folder.remove() } }
        if let bodiesFolder { try checkWorkload(of: bodiesFolder) }
        let perPeer = max(eventsPerIssue, events / peers)
        try await Self.measure(
            in: folder,
            bodies: peers,
            concurrency: concurrency,
            keep: keep,
            bodiesFolder: bodiesFolder,
            onlyPrepare: onlyPrepare
        ) { number, body in
            let input = folder.file("body-\(number).ndjson")
            try Workload(issues: perPeer / eventsPerIssue, eventsPerIssue: eventsPerIssue, seed: UInt64(number + 1))
                .write(to: input)
            return try await Self.importAndRemove(input, into: body)
        }
    }

    /// Kept bodies serve the workload they were filled with: the folder records it the first
    /// time and refuses a run that asks for another.
    func checkWorkload(of bodiesFolder: URL) throws {
        let described = "\(events) events, \(peers) peers, \(eventsPerIssue) events per issue\n"
        let file = bodiesFolder.appendingPathComponent("workload")
        if let recorded = try? String(contentsOf: file, encoding: .utf8) {
            guard recorded == described else {
                throw NodeError(
                    .io,
                    "the bodies in \(bodiesFolder.path) were filled with \(recorded.dropLast()), not \(described.dropLast()): give the same numbers or another folder"
                )
            }
        } else {
            try FileManager.default.createDirectory(at: bodiesFolder, withIntermediateDirectories: true)
            try Data(described.utf8).write(to: file)
        }
    }

    /// Imports a file of events into a body (verifying each), removes the file and
    /// returns its size: the bytes of the records the body holds.
    static func importAndRemove(_ input: URL, into body: LocalNode) async throws -> Int {
        let size = (try FileManager.default.attributesOfItem(atPath: input.path)[.size] as? Int) ?? 0
        let imported = try await EventImporter(node: body).importFile(input, source: "bench", now: { .now() })
        if !imported.rejected.isEmpty || imported.pending > 0 {
            print("\(body.config.node.name): \(imported.summary); first: \(imported.rejected.first?.reason ?? "")")
        }
        try FileManager.default.removeItem(at: input)
        return size
    }

    /// Makes `bodies` nodes and fills each with `fill`, which returns the bytes of the records
    /// it put there (two bodies at once: one import keeps about one core busy); serves each
    /// from a `cix serve` process (started twenty at a time), then times a fresh mirror on
    /// PostgreSQL pulling from all of them with `cix sync --concurrency`, and prints what it
    /// cost. With `keep`, the bodies are removed afterwards (unless kept in `bodiesFolder`, where
    /// they are filled once and served as they are by later runs) and the mirror (`mirror/`) and
    /// its stopped cluster (`postgres/`) stay.
    static func measure(
        in folder: TemporaryDirectory,
        bodies count: Int,
        concurrency: Int,
        kinds: [NodeKind] = [],
        keep: Bool = false,
        bodiesFolder: URL? = nil,
        onlyPrepare: Bool = false,
        fill: @escaping @Sendable (Int, LocalNode) async throws -> Int
    ) async throws {
        guard let cix = FederationBenchmark.cixExecutable() else { return }
        guard let server = try await PostgresServer.start(in: folder) else {
            print("PostgreSQL is not installed: apt-get install postgresql")
            return
        }
        var serving: [Process] = []
        do {
            // Both exist by now: the run's own folder, or the kept one `checkWorkload` made.
            let bodiesRoot = bodiesFolder ?? folder.url
            // Written once every body is filled: the bytes of the records they hold.
            let prepared = bodiesRoot.appendingPathComponent("prepared")
            let preparedRecords = (try? String(contentsOf: prepared, encoding: .utf8)).flatMap {
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            var bodies: [LocalNode] = []
            for number in 0..<count {
                let port = 18_700 + number
                let directory = NodeDirectory(path: bodiesRoot.appendingPathComponent("body-\(number)").path)
                if preparedRecords != nil {
                    bodies.append(try LocalNode.open(directory))
                    continue
                }
                let body = try LocalNode.create(
                    in: directory,
                    name: "Body \(number)",
                    kind: number < kinds.count ? kinds[number] : .council,
                    url: "https://127.0.0.1:\(port)",
                    listen: "127.0.0.1:\(port)",
                    allowPrivateAddresses: true,
                    now: .now()
                )
                bodies.append(body)
            }
            let records: Int
            if let preparedRecords {
                records = preparedRecords
                print("\(count) bodies as prepared before, in \(bodiesRoot.path)")
            } else {
                let preparing = Date()
                records = try await Self.prepare(bodies, fill: fill)
                print(String(format: "bodies prepared in %.0f s", Date().timeIntervalSince(preparing)))
                if bodiesFolder != nil { try Data("\(records)\n".utf8).write(to: prepared) }
            }
            if onlyPrepare {
                print("the bodies are ready in \(bodiesRoot.path); run again without --only-prepare to catch up")
                await server.stop()
                return
            }
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
            let resident = serving.map { Memory.resident(pid: $0.processIdentifier) }.reduce(0, +)
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
            _ = FileManager.default.createFile(atPath: said.path, contents: nil)
            catchUp.standardOutput = try FileHandle(forWritingTo: said)
            catchUp.standardError = FileHandle.nullDevice
            let benchResident = Memory.resident(pid: getpid())
            try catchUp.run()
            // Its own high-water mark, read while it runs. Not `getrusage`: a child spawned by this
            // process reports this process's resident size as its own peak (Linux keeps the larger
            // of the two across the spawn), which is what the figures before this said.
            var peak = 0
            while catchUp.isRunning {
                peak = max(peak, Memory.peak(pid: catchUp.processIdentifier))
                try await Task.sleep(for: .milliseconds(200))
            }
            catchUp.waitUntilExit()
            let seconds = Date().timeIntervalSince(started)
            let wire = zip(serving, written).map { Self.bytesWritten(pid: $0.processIdentifier) - $1 }.reduce(0, +)
            let held = try mirror.store.counts()
            let size =
                try (mirror.store as? PostgresStore)?.integers("SELECT pg_database_size(current_database())").first ?? 0
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
            print(
                "peak resident memory of cix sync (its VmHWM, read every 0.2 s): \(peak) MB; "
                    + "this benchmark was \(benchResident) MB resident when it started cix sync"
            )
            print(
                String(
                    format: "PostgreSQL database: %.2f GB, %.2f KB an event",
                    Double(size) / 1e9,
                    Double(size) / Double(max(held.events, 1)) / 1e3
                )
            )
            if keep {
                // The bodies go: a kept mirror's daemons would otherwise keep trying to pull
                // from and reconcile with them while its pages are measured.
                for peer in try mirror.peers() { _ = try mirror.removePeer(peer.node) }
            }
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
        if keep {
            if bodiesFolder == nil {
                for number in 0..<count { try? FileManager.default.removeItem(at: folder.file("body-\(number)")) }
            }
            print(
                "kept: the mirror (its peers removed) in \(folder.file("mirror").path), its cluster (stopped) in \(server.data)"
            )
            print("read it: CIX_BENCH_FROM=\(folder.path) bash Benchmarks/pg-read-bench.sh")
        }
    }

    /// Fills the bodies, two at once, printing progress; returns the sum of what `fill` returned.
    static func prepare(
        _ bodies: [LocalNode],
        fill: @escaping @Sendable (Int, LocalNode) async throws -> Int
    ) async throws -> Int {
        try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            var next = 0
            var total = 0
            var done = 0
            while next < min(2, bodies.count) {
                let number = next
                group.addTask { (number, try await fill(number, bodies[number])) }
                next += 1
            }
            while let (number, bytes) = try await group.next() {
                total += bytes
                done += 1
                if done % max(1, bodies.count / 20) == 0 || done == bodies.count {
                    print(
                        "\(done)/\(bodies.count) bodies filled; body \(number) holds \(try bodies[number].store.counts().events) events"
                    )
                }
                if next < bodies.count {
                    let number = next
                    group.addTask { (number, try await fill(number, bodies[number])) }
                    next += 1
                }
            }
            return total
        }
    }

    /// The sum over `lines` of the number before `word` ("12 stored, …").
    static func total(_ word: String, _ lines: [Substring]) -> Int {
        lines.map { line in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "," })
            return zip(words, words.dropFirst()).first { $0.1 == word }.flatMap { Int($0.0) } ?? 0
        }.reduce(0, +)
    }

    /// Bytes a process has written through system calls (sockets included): `/proc/PID/io` `wchar`.
    static func bytesWritten(pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("wchar:") })
        else { return 0 }
        return Int(line.split(separator: " ").last ?? "0") ?? 0
    }
}
