import CIXCore
import CIXFederation
import CIXNode
import CIXPostgres
import CIXStore
import CIXTesting
import Foundation
import Testing

/// A public mirror whose store is PostgreSQL (`[store] url`), beside the
/// town's SQLite mirror: it pulls from the council and the police over HTTPS,
/// serves the same lists, searches, issues, API answers and Open311 reads,
/// byte for byte once the mirrors' own names are set aside, and serves its
/// events onward to a node that pulls from it alone.
@Suite("A mirror on PostgreSQL")
struct PostgresMirrorTests {
    static let reports: [(String, String, Double, Double)] = [
        ("Overflowing bins behind the library", "bins", 52.2061, 0.1202),
        ("Graffiti on the café shutters", "graffiti", 52.2049, 0.1231),
        ("Pothole by the school gates", "pothole", 52.2102, 0.1310),
        ("Street light flickering on Mill Lane", "street_lighting", 52.2053, 0.1218),
        ("Needles in the play area", "needles", 52.1999, 0.1280),
        ("Groups drinking in the park at night", "antisocial_behaviour", 52.2080, 0.1170),
    ]

    /// What the two mirrors' answers may rightly differ in: their own names, ids and addresses,
    /// and when each first saw an event (each pulled at its own moment).
    static func normalised(_ text: String, _ mirrors: [LiveNode]) -> String {
        var text = text.replacing(/"first_seen":"[^"]*"/, with: "\"first_seen\":\"-\"")
        for mirror in mirrors {
            text = text.replacingOccurrences(of: mirror.node.id.hex, with: "MIRROR-ID")
            text = text.replacingOccurrences(of: mirror.node.id.short, with: "MIRROR-ID")
            text = text.replacingOccurrences(of: "127.0.0.1:\(mirror.port)", with: "MIRROR-ADDRESS")
        }
        return text.replacingOccurrences(of: "pg-mirror", with: "mirror")
    }

    @Test func aMirrorOnPostgreSQLServesWhatTheSQLiteMirrorServes() async throws {
        try await WebTown.run("pg-mirror-town") { town in
            try await PostgresServer.with(in: town.folder) { server in
                let store = NodeConfig.Store(url: server.url, password_file: server.passwordFile)
                let mirror = try await LiveNode.start("pg-mirror", kind: .mirror, in: town.folder, store: store)
                do {
                    var issues: [EventID] = []
                    for (title, category, latitude, longitude) in Self.reports {
                        let submission = ReportSubmission(
                            title: title,
                            description: "Reported for the mirror test: \(category)",
                            category: category,
                            latitude: latitude,
                            longitude: longitude
                        )
                        issues.append(try town.council.node.intake.report(submission, now: .now()).id)
                    }
                    _ = try town.council.node.intake.contribute(
                        ContributionSubmission(.comment, text: "Still overflowing on Monday"),
                        on: issues[0],
                        now: .now()
                    )
                    try await town.council.pushToPeers()
                    try await mirror.peer(with: [town.council, town.police])
                    try await town.mirror.pullFromPeers()
                    try await mirror.pullFromPeers()

                    // The public store is in PostgreSQL; the SQLite file beside the config holds no event.
                    #expect(try mirror.node.store.counts() == town.mirror.node.store.counts())
                    #expect(try mirror.node.store.counts().issues == Self.reports.count)
                    #expect(try mirror.node.backend.counts().events == 0)

                    let mirrors = [town.mirror, mirror]
                    let paths = [
                        "/", "/issues", "/issues?q=cafe", "/issues?q=mill+la", "/issues?category=pothole",
                        "/issues?status=open&sort=reported", "/issues/\(issues[0].hex)", "/issues/\(issues[2].hex)",
                        "/api/v1/issues", "/api/v1/issues?q=street+lig", "/api/v1/issues?bbox=0.11,52.20,0.125,52.21",
                        "/api/v1/issues.geojson", "/api/v1/issues.csv", "/api/v1/issues/\(issues[1].hex)",
                        "/open311/v2/requests.json", "/open311/v2/requests/\(issues[3].hex).json",
                    ]
                    for path in paths {
                        let answers = try await mirrors.asyncMap { try await WebClient(node: $0).get(path) }
                        #expect(answers.map(\.status) == [200, 200], "\(path)")
                        #expect(
                            Self.normalised(answers[0].text, mirrors) == Self.normalised(answers[1].text, mirrors),
                            "\(path)"
                        )
                    }
                    let list = try await WebClient(node: mirror).get("/issues").text
                    for (title, _, _, _) in Self.reports {
                        #expect(list.contains(title))
                    }
                    let found = try await WebClient(node: mirror).get("/issues?q=caf")
                    #expect(found.text.contains("Graffiti on the café shutters"))
                    #expect(!found.text.contains("Pothole by the school gates"))
                    #expect(
                        try await WebClient(node: mirror).get("/issues/\(String(repeating: "ab", count: 32))").status
                            == 404
                    )
                    #expect(try await WebClient(node: mirror).get("/healthz").status == 200)

                    // A later report arrives by the next pull and is listed at once.
                    let late = try town.council.node.intake.report(
                        ReportSubmission(
                            title: "Fallen tree on Station Road",
                            category: "parks",
                            latitude: 52.1949,
                            longitude: 0.1372
                        ),
                        now: .now()
                    )
                    try await mirror.pullFromPeers()
                    #expect(
                        try await WebClient(node: mirror).get("/issues?q=fallen").text.contains(
                            "Fallen tree on Station Road"
                        )
                    )
                    #expect(try mirror.node.store.issueState(late.id) != nil)
                    let cli = CLI(data: mirror.node.directory.root.path)
                    let verified = try await cli.runAsync(["verify"])
                    #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
                    #expect(verified.stdout.contains("\(Self.reports.count + 1) issues"), "\(verified.stdout)")
                    // Projections lost in PostgreSQL: verify names the damage, repair rebuilds them from the log.
                    let postgres = try #require(mirror.node.store as? PostgresStore)
                    try postgres.execute("DELETE FROM issue WHERE id IN (SELECT id FROM issue ORDER BY id LIMIT 2)")
                    let damaged = try await cli.runAsync(["verify"])
                    #expect(damaged.status == 1 && damaged.stdout.contains("2 reported issues have no projection"))
                    #expect(damaged.stdout.contains("cix repair"), "\(damaged.stdout)")
                    let repaired = try await cli.runAsync(["repair"])
                    #expect(repaired.status == 0, "\(repaired.stdout) \(repaired.stderr)")
                    #expect(repaired.stdout.contains("every projection rebuilt from the log in PostgreSQL"))
                    #expect(try await cli.runAsync(["verify"]).status == 0)
                    #expect(try mirror.node.store.counts().issues == Self.reports.count + 1)
                    // The database goes away: pages say the store is unavailable (503), the daemon stays up,
                    // and answers again as soon as the database is back, on new connections.
                    await server.stop()
                    let down = try await WebClient(node: mirror).get("/issues?q=bench+down")
                    #expect(down.status == 503, "\(down.status) \(down.text.prefix(300))")
                    try await server.resume()
                    var back = 0
                    for _ in 0..<50 where back != 200 {
                        back = try await WebClient(node: mirror).get("/issues?q=fallen+again").status
                        if back != 200 { try await Task.sleep(for: .milliseconds(200)) }
                    }
                    #expect(back == 200)

                    // It serves onward: a node that pulls from it alone gets every public event.
                    let reader = try await LiveNode.start("reader", kind: .mirror, in: town.folder)
                    do {
                        try await reader.peer(with: [mirror])
                        try await reader.pullFromPeers()
                        #expect(
                            try reader.node.store.reconcilableIDs(sharedWith: nil, holder: reader.node.id)
                                == mirror.node.store.reconcilableIDs(sharedWith: nil, holder: mirror.node.id)
                        )
                        #expect(try reader.node.store.counts().issues == Self.reports.count + 1)
                    } catch {
                        await reader.stop()
                        throw error
                    }
                    await reader.stop()
                } catch {
                    await mirror.stop()
                    throw error
                }
                await mirror.stop()
            }
        }
    }

    @Test func aFreshMirrorOnPostgreSQLCatchesUpFromSeveralBodiesAtOnce() async throws {
        let folder = TemporaryDirectory("pg-catch-up")
        defer { folder.remove() }
        try await PostgresServer.with(in: folder) { server in
            var bodies: [LiveNode] = []
            do {
                let kinds: [(String, NodeKind)] = [
                    ("council", .council), ("police", .police), ("health", .health), ("buses", .transport),
                ]
                for (name, kind) in kinds {
                    let body = try await LiveNode.start(name, kind: kind, in: folder)
                    bodies.append(body)
                    for number in 0..<12 {
                        _ = try body.node.intake.report(
                            ReportSubmission(
                                title: "\(name) report \(number)",
                                category: "litter",
                                latitude: 52.2,
                                longitude: 0.12
                            ),
                            now: .now()
                        )
                    }
                }
                let directory = NodeDirectory(path: folder.file("mirror").path)
                let mirror = try LocalNode.create(
                    in: directory,
                    name: "mirror",
                    kind: .mirror,
                    url: "https://127.0.0.1:1",
                    listen: "127.0.0.1:0",
                    allowPrivateAddresses: true,
                    store: NodeConfig.Store(url: server.url, password_file: server.passwordFile),
                    now: .now()
                )
                let peering = PeerSync(node: mirror)
                for body in bodies { _ = try await peering.addPeer(url: body.url, caPEM: body.caPEM, now: .now()) }

                // Four bodies at once: a line for each as it ends, numbered, and every public event stored.
                let cli = CLI(data: directory.root.path)
                let first = try await cli.runAsync(["sync", "--concurrency", "4"])
                #expect(first.status == 0, "\(first.stdout) \(first.stderr)")
                for (name, _) in kinds { #expect(first.stdout.contains("\(name): "), "\(first.stdout)") }
                #expect((1...4).allSatisfy { first.stdout.contains("[\($0)/4] ") }, "\(first.stdout)")
                var expected = Set<String>()
                for body in bodies {
                    expected.formUnion(try body.node.store.reconcilableIDs(sharedWith: nil, holder: body.node.id))
                }
                #expect(Set(try mirror.store.reconcilableIDs(sharedWith: nil, holder: mirror.id)) == expected)

                // A body that is down fails alone: exit 1 naming it, the others' new events stored.
                await bodies[3].stop()
                let late = try bodies[0].node.intake.report(
                    ReportSubmission(title: "council report late", category: "litter", latitude: 52.2, longitude: 0.12),
                    now: .now()
                )
                let second = try await cli.runAsync(["sync", "--concurrency", "4"])
                #expect(second.status == 1)
                #expect(second.stderr.contains("error: buses"), "\(second.stderr)")
                #expect(try mirror.store.issueState(late.id) != nil)
                #expect(try await CLI(data: directory.root.path).runAsync(["sync", "--concurrency", "0"]).status == 64)
            } catch {
                for body in bodies { await body.stop() }
                throw error
            }
            for body in bodies { await body.stop() }
        }
    }

    @Test func initRefusesAPostgreSQLStoreItCannotUseAndMakesNothing() async throws {
        let folder = TemporaryDirectory("pg-init")
        defer { folder.remove() }
        try await PostgresServer.with(in: folder) { server in
            do {
                func initialise(
                    _ name: String,
                    kind: String,
                    password: String,
                    url: String? = nil
                ) async throws -> CLI.Result {
                    try await CLI(data: folder.file(name).path).runAsync([
                        "init", "--name", name, "--kind", kind, "--url", "https://127.0.0.1:9", "--store",
                        url ?? server.url, "--store-password-file", password,
                    ])
                }

                let wrong = folder.file("wrong.password")
                try Data("not it\n".utf8).write(to: wrong)
                let refused = try await initialise("refused", kind: "mirror", password: wrong.path)
                #expect(refused.status != 0)
                #expect(refused.stderr.contains("password authentication failed"))
                #expect(!FileManager.default.fileExists(atPath: folder.file("refused/cix.toml").path))

                let made = try await initialise("mirror", kind: "mirror", password: server.passwordFile)
                #expect(made.status == 0, "\(made.stderr)")
                let config = try String(contentsOf: folder.file("mirror/cix.toml"), encoding: .utf8)
                #expect(config.contains("[store]\nurl = \"\(server.url)\""))
                // A request budget out of range stops every command at once, naming the setting.
                let configFile = folder.file("mirror/cix.toml")
                try config.replacingOccurrences(of: "[store]\n", with: "[store]\nrequest_query_seconds = 4000\n")
                    .write(to: configFile, atomically: true, encoding: .utf8)
                let outOfRange = try await CLI(data: folder.file("mirror").path).runAsync(["verify"])
                #expect(outOfRange.status != 0)
                #expect(
                    outOfRange.stderr.contains("[store] request_query_seconds must be 0 (no bound) to 3600, not 4000"),
                    "\(outOfRange.stderr)"
                )
                try config.write(to: configFile, atomically: true, encoding: .utf8)
                // Commands work on it as on any node: `cix verify` checks every event and projection there.
                let verified = try await CLI(data: folder.file("mirror").path).runAsync(["verify"])
                #expect(verified.status == 0, "\(verified.stderr)")
                // Its own descriptor went to PostgreSQL, not to the SQLite file beside the config.
                let node = try LocalNode.open(NodeDirectory(path: folder.file("mirror").path))
                #expect(try node.ownDescriptor()?.name == "mirror")
                #expect(try node.backend.descriptors().isEmpty)

                // A second node into the mirror's database: refused, nothing made. Into one of its own: made.
                let sharing = try await initialise("council", kind: "council", password: server.passwordFile)
                #expect(sharing.status != 0)
                #expect(sharing.stderr.contains("holds another node's store"), "\(sharing.stderr)")
                #expect(!FileManager.default.fileExists(atPath: folder.file("council/cix.toml").path))
                let own = try await server.createDatabase("council")
                let council = try await initialise("council", kind: "council", password: server.passwordFile, url: own)
                #expect(council.status == 0, "\(council.stderr)")
                #expect(try await CLI(data: folder.file("council").path).runAsync(["verify"]).status == 0)
            } catch {
                throw error
            }
        }
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
