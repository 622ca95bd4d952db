import CIXCore
import CIXFederation
import CIXNode
import CIXTesting
import Foundation

/// Repair by set reconciliation of a mirror missing 1% of a council's events,
/// over loopback HTTPS against a `cix serve` process (its store SQLite, or
/// PostgreSQL with `--postgres`), beside a full re-pull of the same store from
/// cursor 0 by a fresh node.
struct RepairBenchmark {
    let events: Int
    var postgres = false
    var fullPull = true
    /// How the repair fingerprints its ranges (`sha256` is how every repair did before `sum`).
    var scheme = Reconciliation.Scheme.sum
    /// Whether the set is narrowed to the events of one of the workload's three authors, as a
    /// mirror narrows it to a body's own events (else every event, whoever wrote it).
    var narrowed = false
    var scope: PeerSync.RepairScope { narrowed ? .authors([FixedKeys.council.id]) : .everything }
    var authors: [NodeID]? { narrowed ? [FixedKeys.council.id] : nil }

    func run() async throws {
        let folder = TemporaryDirectory("cix-repair-bench")
        defer { folder.remove() }
        guard let cix = FederationBenchmark.cixExecutable() else { return }
        var cluster: PostgresServer?
        if postgres {
            guard let server = try await PostgresServer.start(in: folder) else {
                print("PostgreSQL is not installed: apt-get install postgresql")
                return
            }
            cluster = server
        }
        do {
            try await measure(cix, in: folder, council: cluster)
        } catch {
            await cluster?.stop()
            throw error
        }
        await cluster?.stop()
    }

    /// The council's store is `cluster`'s database when there is one, else SQLite.
    func measure(_ cix: URL, in folder: TemporaryDirectory, council cluster: PostgresServer?) async throws {
        func node(_ name: String, _ kind: NodeKind, port: Int?, store: NodeConfig.Store? = nil) throws -> LocalNode {
            try LocalNode.create(
                in: NodeDirectory(path: folder.file(name).path),
                name: name,
                kind: kind,
                url: "https://127.0.0.1:\(port ?? 1)",
                listen: port.map { "127.0.0.1:\($0)" },
                allowPrivateAddresses: true,
                store: store,
                now: .now()
            )
        }
        let council = try node(
            "council",
            .council,
            port: 18_611,
            store: cluster.map { NodeConfig.Store(url: $0.url, password_file: $0.passwordFile) }
        )
        let mirror = try node("mirror", .mirror, port: nil)
        let fresh = try node("fresh", .mirror, port: nil)

        // The mirror lacks the last event of every tenth issue: 1% of the events, none a parent.
        let workload = Workload(issues: max(1, events / 10), eventsPerIssue: 10)
        var all = Data()
        var partial = Data()
        var issueNumber: [EventID: Int] = [:]
        var last: [EventID: EventID] = [:]
        var generated: [Event] = []
        workload.generate { event in
            generated.append(event)
            if issueNumber[event.issue] == nil { issueNumber[event.issue] = issueNumber.count }
            last[event.issue] = event.id
        }
        let missing = Set(last.filter { (issueNumber[$0.key] ?? 1) % 10 == 0 }.map(\.value))
        for event in generated {
            all.append(contentsOf: event.bytes + [0x0A])
            if !missing.contains(event.id) { partial.append(contentsOf: event.bytes + [0x0A]) }
        }
        let (allFile, partialFile) = (folder.file("all.ndjson"), folder.file("partial.ndjson"))
        try all.write(to: allFile)
        try partial.write(to: partialFile)
        _ = try await EventImporter(node: council).importFile(allFile, source: "bench", now: { .now() })
        _ = try await EventImporter(node: mirror).importFile(partialFile, source: "bench", now: { .now() })
        print("council holds \(generated.count) events (\(all.count) bytes); the mirror lacks \(missing.count)")

        let helper = FederationBenchmark(events: events)
        let server = try helper.start(cix, council)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        try await helper.waitHealthy(council, "https://127.0.0.1:18611")

        let sync = PeerSync(node: mirror)
        let (peer, _) = try await sync.addPeer(
            url: "https://127.0.0.1:18611",
            caPEM: council.certificatePEM,
            now: .now()
        )
        let residentBefore = Memory.resident(pid: server.processIdentifier)
        var started = Date()
        let repair = try await sync.repair(with: peer, scheme: scheme, scope: scope, now: { .now() })
        var seconds = Date().timeIntervalSince(started)
        print(
            String(
                format:
                    "repair (%@ fingerprints, %@): %.1f s, %d bytes (reconciliation %d in %d rounds, events %d): %@",
                scheme.rawValue,
                narrowed ? "one author's events" : "every event",
                seconds,
                repair.messageBytes + repair.eventBytes,
                repair.messageBytes,
                repair.rounds,
                repair.eventBytes,
                repair.summary
            )
        )

        // The answering daemon reads each request's ranges a page at a time: its memory should not
        // grow with the log. A whole-range request costs one pass over the set, timed here alone.
        print(
            "answering cix serve: resident \(residentBefore) MB before the repair, peak \(Memory.peak(pid: server.processIdentifier)) MB after"
        )
        // Once equal, the periodic repair: one whole-range request, answered `same`.
        started = Date()
        let again = try await sync.repair(with: peer, scheme: scheme, scope: scope, now: { .now() })
        print(
            String(
                format: "repair again, nothing missing: %.2f s, %d rounds, %d bytes",
                Date().timeIntervalSince(started),
                again.rounds,
                again.messageBytes
            )
        )
        // What that request costs each side: the whole set's fingerprint, by a pass over its ids
        // (`sha256`, or `sum` without kept sums) and by the store's kept sums where it keeps them.
        for (label, set) in [
            ("council", StoredReconcilableSet(council.store, sharedWith: nil, holder: council.id, authors: authors)),
            ("mirror", StoredReconcilableSet(mirror.store, sharedWith: nil, holder: mirror.id, authors: authors)),
        ] {
            let keepsSums = try set.sums(of: [.all]) != nil
            for wanted in [Reconciliation.Scheme.sha256, .sum] {
                started = Date()
                let whole = try Reconciliation.summaries(of: [.all], in: set, scheme: wanted)
                print(
                    String(
                        format: "the %@'s whole set (%d ids), %@ fingerprint%@: %.3f s",
                        label,
                        whole[0].count,
                        wanted.rawValue,
                        wanted == .sum && keepsSums ? " from kept sums" : ", one pass",
                        Date().timeIntervalSince(started)
                    )
                )
            }
        }

        guard fullPull else { return }
        let freshSync = PeerSync(node: fresh)
        let (freshPeer, _) = try await freshSync.addPeer(
            url: "https://127.0.0.1:18611",
            caPEM: council.certificatePEM,
            now: .now()
        )
        started = Date()
        let pull = try await freshSync.pull(from: freshPeer, now: { .now() })
        seconds = Date().timeIntervalSince(started)
        print(
            String(format: "full re-pull from cursor 0: %.1f s, %d bytes (%@)", seconds, pull.bodyBytes, pull.summary)
        )
        print(
            String(
                format: "repair moved %.2f%% of the bytes of a full re-pull",
                Double(repair.messageBytes + repair.eventBytes) / Double(max(pull.bodyBytes, 1)) * 100
            )
        )
    }
}
