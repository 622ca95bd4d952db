import CIXCore
import CIXDemo
import CIXFederation
import CIXNode
import CIXPostgres
import CIXStore
import CIXTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One public mirror served by three `cix serve` processes (the same node: its
/// data directory copied, as onto three machines) in front of one PostgreSQL
/// store. They share the work out — each peer is pulled from by one daemon at
/// a time — and while residents report, daemons are killed with `kill -9` in
/// turn and started again: the dead one's work passes to the others, and the
/// mirror ends with every public event of the town, verified. A daemon in
/// front of a streaming replica serves the same pages and takes no write.
@Suite("Several daemons sharing one PostgreSQL store", .serialized)
struct PostgresDaemonsTests {
    /// Waits (at most 60 s, polling) until `condition` holds.
    static func until(_ what: String, _ condition: () throws -> Bool) async throws {
        for _ in 0..<300 {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestFailure("not within 60 s: \(what)")
    }

    /// A council made in `directory` whose store is the database of `server`.
    static func council(in directory: NodeDirectory, storedOn server: PostgresServer) throws -> LocalNode {
        try LocalNode.create(
            in: directory,
            name: "Greenfield Council",
            kind: .council,
            url: "https://127.0.0.1:1",
            listen: "127.0.0.1:0",
            allowPrivateAddresses: true,
            store: NodeConfig.Store(url: server.url, password_file: server.passwordFile),
            now: .now()
        )
    }

    /// Three data directories of one node (`NAME-1`, the one given, and two copies), as on three machines.
    static func copies(
        of first: NodeDirectory,
        named name: String,
        in folder: TemporaryDirectory
    ) throws
        -> [NodeDirectory]
    {
        for number in 2...3 {
            try FileManager.default.copyItem(atPath: first.root.path, toPath: folder.file("\(name)-\(number)").path)
        }
        return (1...3).map { NodeDirectory(path: folder.file("\(name)-\($0)").path) }
    }

    /// Each daemon kept its own nonces (`replay.sqlite`): a request captured on its way to one
    /// could be sent once more to each other daemon. On PostgreSQL they share them.
    @Test func aRequestCapturedOnItsWayToOneDaemonIsRefusedByAnother() async throws {
        let folder = TemporaryDirectory("pg-replay")
        defer { folder.remove() }
        try await PostgresServer.with(in: folder) { server in
            let store = NodeConfig.Store(url: server.url, password_file: server.passwordFile)
            let first = try await LiveNode.start("council", kind: .council, in: folder, store: store)
            let police = try await LiveNode.start("police", kind: .police, in: folder)
            var second: LiveNode?
            do {
                try await first.peer(with: [police])
                try FileManager.default.copyItem(
                    atPath: first.node.directory.root.path,
                    toPath: folder.file("council-2").path
                )
                let other = try await LiveNode.serve(
                    try LocalNode.open(NodeDirectory(path: folder.file("council-2").path))
                )
                second = other
                func signed() -> [(String, String)] {
                    RequestSigner(node: police.id, key: police.node.key).headers(
                        method: "GET",
                        path: "/federation/v1/events",
                        query: "",
                        body: [],
                        now: Timestamp.now().secondsSinceEpoch
                    )
                }
                // Given a pull the police signed, taken by one daemon of the council…
                let captured = signed()
                let taken = try await WebClient(node: first).request(.GET, "/federation/v1/events", headers: captured)
                #expect(taken.status == 200)
                // …sent again to the other daemon, it is refused as a replay…
                let replayed = try await WebClient(node: other).request(
                    .GET,
                    "/federation/v1/events",
                    headers: captured
                )
                #expect(replayed.status == 401 && replayed.text.contains("replayed"), "\(replayed.text)")
                // …while a fresh request is taken by either.
                let fresh = try await WebClient(node: other).request(.GET, "/federation/v1/events", headers: signed())
                #expect(fresh.status == 200)
            } catch {
                await second?.stop()
                await first.stop()
                await police.stop()
                throw error
            }
            await second?.stop()
            await first.stop()
            await police.stop()
        }
    }

    @Test func aDaemonOnAReplicaServesPagesWhileThePrimaryIngestsAndTakesNoWrite() async throws {
        let folder = TemporaryDirectory("pg-replica")
        defer { folder.remove() }
        try await PostgresServer.with(in: folder) { server in
            var replica: PostgresServer?
            var running: [LiveNode] = []
            var daemon: Daemon?
            do {
                let store = NodeConfig.Store(url: server.url, password_file: server.passwordFile)
                let council = try await LiveNode.start("council", kind: .council, in: folder)
                running.append(council)
                let primary = try await LiveNode.start("mirror", kind: .mirror, in: folder, store: store)
                running.append(primary)
                try await primary.peer(with: [council])
                let standby = try await server.startReplica(in: folder)
                replica = standby
                // The same mirror, read from the standby: its data directory copied, [store] pointed there.
                let copy = NodeDirectory(path: folder.file("mirror-replica").path)
                try FileManager.default.copyItem(atPath: primary.node.directory.root.path, toPath: copy.root.path)
                let config = try String(contentsOf: copy.config, encoding: .utf8)
                try config.replacingOccurrences(of: server.url, with: standby.url)
                    .write(to: copy.config, atomically: true, encoding: .utf8)
                let readOnly = try LocalNode.open(copy)
                #expect(readOnly.readsReplica && !primary.node.readsReplica)
                let reader = try await LiveNode.serve(readOnly)
                running.append(reader)

                // Residents report; the primary's mirror pulls; the replica's daemon serves pages throughout.
                var titles: [String] = []
                for round in 0..<5 {
                    for step in 0..<3 {
                        let title = "Abandoned trolley \(round)-\(step) by the canal"
                        _ = try council.node.intake.report(
                            ReportSubmission(title: title, category: "litter", latitude: 52.21, longitude: 0.12),
                            now: .now()
                        )
                        titles.append(title)
                    }
                    try await primary.pullFromPeers()
                    #expect(try await WebClient(node: reader).get("/issues").status == 200)
                    #expect(try await WebClient(node: reader).get("/api/v1/issues?q=trolley").status == 200)
                }
                try await Self.until("the replica has caught up") {
                    try reader.node.store.counts() == primary.node.store.counts()
                }
                let page = try await WebClient(node: reader).get("/issues?q=trolley").text
                #expect(titles.allSatisfy { page.contains($0) })

                // It takes no write: the store refuses at once, saying why; a command on it fails the same way.
                #expect {
                    try readOnly.store.savePeer(
                        Peer(
                            node: council.node.id,
                            url: council.url,
                            name: "council",
                            kind: "council",
                            key: council.node.key.publicKey.hex,
                            caPEM: council.caPEM,
                            addedAt: .now()
                        )
                    )
                } throws: { error in
                    (error as? StoreError)?.code == .unavailable && "\(error)".contains("takes no writes")
                }
                let blocked = try await CLI(data: copy.root.path).runAsync([
                    "block", council.node.id.hex, "--reason", "x",
                ])
                #expect(blocked.status == 1 && blocked.stderr.contains("takes no writes"), "\(blocked.stderr)")
                #expect(try primary.node.store.blockedNodes().isEmpty)

                // `cix serve` on it says it only reads, and runs no pulls (nothing to write them to).
                daemon = try await Daemon.start(copy, arguments: ["--pull-interval", "1"])
                try await Task.sleep(for: .seconds(3))
                let log = daemon?.logText ?? ""
                #expect(log.contains("read-only replica"), "\(log)")
                #expect(!log.contains("pull failed") && !log.contains("pulled"), "\(log)")
            } catch {
                daemon?.stop()
                for node in running { await node.stop() }
                await replica?.stop()
                throw error
            }
            daemon?.stop()
            for node in running { await node.stop() }
            await replica?.stop()
        }
    }

    @Test func threeDaemonsShareThePeersAndOneKilledInTurnLosesNothing() async throws {
        let folder = TemporaryDirectory("pg-daemons")
        defer { folder.remove() }
        try await PostgresServer.with(in: folder) { server in
            let council = try await LiveNode.start("council", kind: .council, in: folder)
            let police = try await LiveNode.start("police", kind: .police, in: folder)
            var daemons: [Daemon] = []
            do {
                try await council.peer(with: [police])
                try await police.peer(with: [council])
                let store = NodeConfig.Store(url: server.url, password_file: server.passwordFile)
                let first = NodeDirectory(path: folder.file("mirror-1").path)
                let mirror = try LocalNode.create(
                    in: first,
                    name: "National mirror",
                    kind: .mirror,
                    url: "https://127.0.0.1:1",
                    listen: "127.0.0.1:0",
                    allowPrivateAddresses: true,
                    store: store,
                    now: .now()
                )
                let sync = PeerSync(node: mirror)
                for body in [council, police] {
                    _ = try await sync.addPeer(url: body.url, caPEM: body.caPEM, now: .now())
                }
                let directories = try Self.copies(of: first, named: "mirror", in: folder)
                for directory in directories {
                    daemons.append(try await Daemon.start(directory, arguments: ["--pull-interval", "1"]))
                }
                let shared = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
                defer { shared.close() }

                // Two peers to pull from, the parent chase, publishing the descriptor and upkeep: five
                // leases, whatever the number of daemons.
                try await Self.until("five leases held") { try shared.leaseHolders().count == 5 }
                var holdersSeen = Set(try shared.leaseHolders())

                var issues: [EventID] = []
                for round in 0..<6 {
                    for step in 0..<4 {
                        let body = step % 2 == 0 ? council : police
                        let issue = try body.node.intake.report(
                            ReportSubmission(
                                title: "Report \(round)-\(step) while daemons come and go",
                                category: step % 2 == 0 ? "litter" : "speeding",
                                latitude: 52.2 + Double(step) / 1_000,
                                longitude: 0.12
                            ),
                            now: .now()
                        ).id
                        _ = try body.node.intake.contribute(
                            ContributionSubmission(.comment, text: "Seen again, round \(round)"),
                            on: issue,
                            now: .now()
                        )
                        issues.append(issue)
                        try await Task.sleep(for: .milliseconds(250))
                    }
                    // kill -9 one daemon, mid-work or not; the server sees its connections close and
                    // frees its leases, which the others take on their next round.
                    let victim = round % 3
                    kill(daemons[victim].pid, SIGKILL)
                    await daemons[victim].process.exit()
                    try await Self.until("leases held again after a kill") {
                        let holders = try shared.leaseHolders()
                        holdersSeen.formUnion(holders)
                        return holders.count == 5
                    }
                    daemons[victim] = try await Daemon.start(directories[victim], arguments: ["--pull-interval", "1"])
                }
                try await council.pushToPeers()
                try await police.pushToPeers()
                // Every public event of both bodies reaches the shared store.
                let expected = Set(
                    try council.node.store.reconcilableIDs(sharedWith: nil, holder: council.node.id)
                        + police.node.store.reconcilableIDs(sharedWith: nil, holder: police.node.id)
                )
                try await Self.until("the mirror holds every public event") {
                    Set(try shared.reconcilableIDs(sharedWith: nil, holder: mirror.id)).isSuperset(of: expected)
                }
                for issue in issues { #expect(try shared.issueState(issue) != nil, "\(issue.hex)") }
                #expect(try shared.counts().pending == 0)
                // Still one lease per piece of work with all three running, and it passed between daemons.
                #expect(try shared.leaseHolders().count == 5)
                #expect(holdersSeen.count > 1, "leases moved from a killed daemon to another")
                // All three still run (none stopped on a store another daemon writes to).
                for daemon in daemons {
                    #expect(daemon.process.isRunning, "\(daemon.logText)")
                }
                let verified = try await CLI(data: directories[1].root.path).runAsync(["verify"])
                #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
            } catch {
                for daemon in daemons { daemon.stop() }
                await council.stop()
                await police.stop()
                throw error
            }
            for daemon in daemons { daemon.stop() }
            await council.stop()
            await police.stop()
        }
    }

    /// A council's node served by three daemons on one PostgreSQL store while residents report
    /// through Open311 to whichever daemon answers, the council pushes to the police, and one
    /// daemon is killed with `kill -9` in turn: every report a daemon acknowledged is kept, the
    /// police receive every event, and no event is pushed twice while the daemons run (one
    /// daemon holds each peer's push lease); after kills, only a push cut short is sent again.
    @Test func threeDaemonsOfACouncilKeepEveryAcknowledgedReportAndPushEachEventOnce() async throws {
        let folder = TemporaryDirectory("pg-council-daemons")
        defer { folder.remove() }
        try await PostgresServer.with(in: folder) { server in
            let police = try await LiveNode.start("police", kind: .police, in: folder)
            var daemons: [Daemon] = []
            do {
                let first = NodeDirectory(path: folder.file("council-1").path)
                let council = try Self.council(in: first, storedOn: server)
                let greenfield = try #require(Greenfield.body("council"))
                try council.publishDescriptor(
                    now: .now(),
                    categories: greenfield.categories,
                    area: .some(greenfield.area.geoJSON)
                )
                let key = try council.addAPIKey(name: "FixMyStreet", now: .now()).key
                _ = try await PeerSync(node: council).addPeer(url: police.url, caPEM: police.caPEM, now: .now())
                let directories = try Self.copies(of: first, named: "council", in: folder)
                for directory in directories {
                    daemons.append(try await Daemon.start(directory, arguments: ["--pull-interval", "1"]))
                }
                // The police trust the council (its key and certificate), as `cix peer add` does.
                _ = try await PeerSync(node: police.node).addPeer(
                    url: daemons[0].url,
                    caPEM: council.certificatePEM,
                    now: .now()
                )

                // A resident's report through Open311 to one daemon, or the next if that one is down;
                // the id of an acknowledged report.
                var next = 0
                func report(_ text: String) async throws -> EventID {
                    for _ in 0..<30 {
                        let daemon = daemons[next % 3]
                        next += 1
                        guard daemon.process.isRunning,
                            let answer = try? await WebClient(url: daemon.url, caPEM: council.certificatePEM).post(
                                "/open311/v2/requests.json",
                                [
                                    ("api_key", key), ("service_code", "WS-002"), ("description", text),
                                    ("lat", "52.205"), ("long", "0.125"),
                                ]
                            ), answer.status == 200,
                            let id = try answer.json().arrayValue?.first?.objectValue?["service_request_id"]?
                                .stringValue,
                            let issue = EventID(id)
                        else { continue }
                        return issue
                    }
                    throw TestFailure("no daemon took the report \(text)")
                }
                func receipts(_ result: String) async throws -> Int {
                    let text = try await WebClient(node: police).get("/metrics").text
                    let line = text.split(separator: "\n").first {
                        $0.hasPrefix("cix_events_received_total{result=\"\(result)\"}")
                    }
                    return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
                }
                func policeHoldsEveryCouncilEvent() async throws {
                    try await Self.until("the police hold every event of the council") {
                        let sent = Set(try council.store.reconcilableIDs(sharedWith: nil, holder: council.id))
                        return Set(try police.node.store.reconcilableIDs(sharedWith: nil, holder: police.node.id))
                            .isSuperset(of: sent)
                    }
                }

                // Three daemons running, none killed: each event reaches the police exactly once.
                var acknowledged: [EventID] = []
                for number in 0..<12 { acknowledged.append(try await report("Overflowing bin number \(number)")) }
                try await policeHoldsEveryCouncilEvent()
                let calm = try council.store.counts().events
                #expect(try await receipts("duplicate") == 0, "pushed twice while every daemon ran")
                #expect(try await receipts("stored") == calm)

                // One daemon killed with kill -9 in turn while residents report.
                let kills = 6
                for round in 0..<kills {
                    for step in 0..<4 {
                        acknowledged.append(
                            try await report("Bin \(round)-\(step) overflowing while daemons come and go")
                        )
                        try await Task.sleep(for: .milliseconds(150))
                    }
                    let victim = round % 3
                    kill(daemons[victim].pid, SIGKILL)
                    await daemons[victim].process.exit()
                    daemons[victim] = try await Daemon.start(directories[victim], arguments: ["--pull-interval", "1"])
                }
                try await policeHoldsEveryCouncilEvent()
                // Every report a daemon acknowledged is kept, folded, and at the police.
                for issue in acknowledged {
                    #expect(try council.store.issueState(issue) != nil, "acknowledged \(issue.hex) lost")
                    #expect(try police.node.store.issueState(issue) != nil, "\(issue.hex) not at the police")
                }
                // A push cut short by a kill may be sent again (its peer answers "duplicate"); nothing
                // else is: far fewer repeats than events, where three unco-ordinated daemons would
                // have sent each event three times.
                let stormy = try council.store.counts().events - calm
                let repeats = try await receipts("duplicate")
                #expect(repeats < stormy, "\(repeats) repeats of \(stormy) events")
                #expect(try await receipts("stored") == calm + stormy)
                for daemon in daemons { #expect(daemon.process.isRunning, "\(daemon.logText)") }
                let verified = try await CLI(data: directories[2].root.path).runAsync(["verify"])
                #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
            } catch {
                for daemon in daemons { daemon.stop() }
                await police.stop()
                throw error
            }
            for daemon in daemons { daemon.stop() }
            await police.stop()
        }
    }

    /// A redaction that reaches a PostgreSQL store (from a peer, a command or another daemon) is
    /// scrubbed from the cluster's files by the daemons' upkeep, by one of them, within seconds;
    /// `cix store scrub` does it again on demand.
    @Test func aRedactionReachingTheStoreIsScrubbedFromTheClusterByTheDaemons() async throws {
        let folder = TemporaryDirectory("pg-scrub-daemons")
        defer { folder.remove() }
        let canary = "Canary-Daemon-8841"
        try await PostgresServer.with(in: folder, settings: ["wal_recycle=off"]) { server in
            let first = NodeDirectory(path: folder.file("council-1").path)
            let council = try Self.council(in: first, storedOn: server)
            let directories = Array(try Self.copies(of: first, named: "council", in: folder).prefix(2))
            var daemons: [Daemon] = []
            do {
                for directory in directories { daemons.append(try await Daemon.start(directory)) }
                var issues: [EventID] = []
                for number in 0..<200 {
                    let submission = ReportSubmission(
                        title: number == 0 ? "Abandoned car, \(canary)" : "Pothole \(number) on Mill Lane",
                        description: number == 0 ? "The owner is \(canary) at number 14." : "Deep, near the bus stop",
                        category: "pothole",
                        latitude: 52.205,
                        longitude: 0.125
                    )
                    issues.append(try council.intake.report(submission, now: .now()).id)
                }
                try await server.runSQL("CHECKPOINT")
                let data = URL(fileURLWithPath: server.data)
                #expect(try Canary.filesHolding(canary, under: data).contains { $0.hasPrefix("base/") })

                _ = try council.act(
                    .redact(RedactBody(target: issues[0], reason: "personal data")),
                    on: issues[0],
                    now: .now()
                )
                try await Self.until("the daemons scrub the redacted report from every file of the cluster") {
                    try Canary.filesHolding(canary, under: data).isEmpty
                }
                for daemon in daemons {
                    #expect(!daemon.logText.contains("store upkeep failed"), "\(daemon.logText)")
                }
                let scrubbed = try await CLI(data: directories[0].root.path).runAsync(["store", "scrub"])
                #expect(scrubbed.status == 0, "\(scrubbed.stderr)")
                #expect(scrubbed.stdout.hasPrefix("scrubbed in "))
                #expect(try council.store.counts().issues == 200)
            } catch {
                for daemon in daemons { daemon.stop() }
                throw error
            }
            for daemon in daemons { daemon.stop() }
        }
    }
}
