import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXStore
import CIXTesting
import Foundation
import Testing

/// `cix store migrate`: a mirror's public store copied from SQLite into a real
/// PostgreSQL database and served from there with the same answers; a mirror
/// made on PostgreSQL copied back into SQLite; refusals that change nothing.
@Suite("Moving a store between SQLite and PostgreSQL", .serialized)
struct StoreMigrationTests {
    static func normalised(_ text: String, ports: [Int]) -> String {
        ports.reduce(text) { $0.replacingOccurrences(of: "127.0.0.1:\($1)", with: "ADDRESS") }
    }

    /// Appends `[store]` to the node's config, as the command tells the operator to.
    static func pointConfig(_ directory: NodeDirectory, at server: PostgresServer) throws {
        let handle = try FileHandle(forWritingTo: directory.config)
        try handle.seekToEnd()
        try handle.write(
            contentsOf: Data("\n[store]\nurl = \"\(server.url)\"\npassword_file = \"\(server.passwordFile)\"\n".utf8)
        )
        try handle.close()
    }

    /// The node's config, keys and certificate in a new directory, without its SQLite store:
    /// where a store on PostgreSQL is moved back into an empty `store.sqlite`.
    static func withoutStore(_ directory: NodeDirectory, in place: URL) throws -> NodeDirectory {
        let copy = NodeDirectory(path: place.path)
        try FileManager.default.createDirectory(at: copy.root, withIntermediateDirectories: true)
        for item in ["cix.toml", "keys", "tls"] {
            try FileManager.default.copyItem(
                at: directory.root.appendingPathComponent(item),
                to: copy.root.appendingPathComponent(item)
            )
        }
        return copy
    }

    @Test func aMirrorMovesToPostgreSQLAndBackWithEverythingVerified() async throws {
        let folder = TemporaryDirectory("pg-migrate")
        defer { folder.remove() }
        try await PostgresServer.with(in: folder) { server in
            var nodes: [LiveNode] = []
            do {
                let council = try await LiveNode.start("council", kind: .council, in: folder)
                nodes.append(council)
                let mirror = try await LiveNode.start("mirror", kind: .mirror, in: folder)
                nodes.append(mirror)
                try await mirror.peer(with: [council])
                var issues: [EventID] = []
                for number in 0..<8 {
                    issues.append(
                        try council.node.intake.report(
                            ReportSubmission(
                                title: "Broken bench \(number) in Jubilee Park",
                                category: "parks",
                                latitude: 52.2 + Double(number) / 1_000,
                                longitude: 0.12
                            ),
                            now: .now()
                        ).id
                    )
                }
                let comment = try council.node.intake.contribute(
                    ContributionSubmission(.comment, text: "Mr Quenby at number 4 did this, I saw him"),
                    on: issues[0],
                    now: .now()
                )
                _ = try council.node.redact(comment.id, on: issues[0], reason: "personal data", by: "test", now: .now())
                try await mirror.pullFromPeers()
                _ = try mirror.node.block(FixedKeys.stranger.id, reason: "Spam reports", now: .now())
                let paths = ["/api/v1/issues", "/api/v1/issues/\(issues[0].hex)", "/issues?q=bench", "/nodes"]
                var before: [String] = []
                for path in paths { before.append(try await WebClient(node: mirror).get(path).text) }
                let held = try mirror.node.store.counts()
                await mirror.stop()
                nodes.removeLast()

                // SQLite → PostgreSQL: copied, verified, and the original left as it was.
                let cli = CLI(data: mirror.node.directory.root.path)
                let moved = try await cli.runAsync([
                    "store", "migrate", "--to", server.url, "--password-file", server.passwordFile,
                ])
                #expect(moved.status == 0, "\(moved.stdout) \(moved.stderr)")
                #expect(moved.stdout.contains("copied \(held.events) events"), "\(moved.stdout)")
                #expect(moved.stdout.contains("sound: \(held.events) events and \(held.issues) issues verified"))
                #expect(moved.stdout.contains("[store]\nurl = \"\(server.url)\""))
                #expect(try mirror.node.backend.counts() == held)
                // Again into the same database: refused, nothing changed.
                let again = try await cli.runAsync([
                    "store", "migrate", "--to", server.url, "--password-file", server.passwordFile,
                ])
                #expect(again.status == 1 && again.stderr.contains("migrate into an empty store"), "\(again.stderr)")

                // Served from PostgreSQL: the same answers, the redaction still done, the block still there.
                try Self.pointConfig(mirror.node.directory, at: server)
                let moved2 = try LocalNode.open(mirror.node.directory)
                #expect(moved2.config.store != nil)
                #expect(try moved2.store.counts() == held)
                #expect(try moved2.store.lastSequence() == mirror.node.backend.lastSequence())
                let served = try await LiveNode.serve(moved2)
                nodes.append(served)
                for (path, earlier) in zip(paths, before) {
                    let now = try await WebClient(node: served).get(path).text
                    #expect(
                        Self.normalised(now, ports: [mirror.port, served.port])
                            == Self.normalised(earlier, ports: [mirror.port, served.port]),
                        "\(path)"
                    )
                }
                #expect(try moved2.store.blockedNodes().map(\.node) == [FixedKeys.stranger.id])
                #expect(!(try await WebClient(node: served).get("/issues/\(issues[0].hex)").text.contains("Quenby")))
                // New events follow the copied ones in the log's order.
                _ = try council.node.intake.report(
                    ReportSubmission(title: "Bin lid missing", category: "bins", latitude: 52.21, longitude: 0.12),
                    now: .now()
                )
                try await served.pullFromPeers()
                #expect(try moved2.store.lastSequence() > mirror.node.backend.lastSequence())
                await served.stop()
                nodes.removeLast()

                // PostgreSQL → SQLite: a mirror made on PostgreSQL goes back into an empty store.sqlite.
                let back = try Self.withoutStore(mirror.node.directory, in: folder.file("mirror-back"))
                let home = try await CLI(data: back.root.path).runAsync(["store", "migrate", "--to", "sqlite"])
                #expect(home.status == 0, "\(home.stdout) \(home.stderr)")
                #expect(home.stdout.contains("remove [store] from cix.toml"))
                let config = try String(contentsOf: back.config, encoding: .utf8)
                try config.replacingOccurrences(of: "\n[store]\nurl", with: "\n# [store] removed\n# url")
                    .replacingOccurrences(of: "\npassword_file = \"\(server.passwordFile)\"", with: "")
                    .write(to: back.config, atomically: true, encoding: .utf8)
                let onSQLite = try LocalNode.open(back)
                #expect(onSQLite.config.store == nil)
                #expect(try onSQLite.store.counts() == moved2.store.counts())
                #expect(
                    try onSQLite.store.reconcilableIDs(sharedWith: nil, holder: onSQLite.id)
                        == moved2.store.reconcilableIDs(sharedWith: nil, holder: moved2.id)
                )
                let verified = try await CLI(data: back.root.path).runAsync(["verify"])
                #expect(verified.status == 0, "\(verified.stdout)")

                // Refused while a daemon serves the node.
                let daemon = try await Daemon.start(back)
                let busy = try await CLI(data: back.root.path).runAsync([
                    "store", "migrate", "--to", server.url, "--password-file", server.passwordFile,
                ])
                daemon.stop()
                #expect(busy.status == 1 && busy.stderr.contains("cix serve"), "\(busy.stderr)")
            } catch {
                for node in nodes { await node.stop() }
                throw error
            }
            for node in nodes { await node.stop() }
        }
    }

    /// A council's node, with what only it may see, moved into PostgreSQL: residents' details,
    /// an API key, a staff account with its live session and a case note, a follow and a
    /// place come across row for row; the member of staff carries on in the same session on
    /// the daemon now serving from PostgreSQL; and the store moved back into SQLite holds the
    /// same private rows (the command compares every one).
    @Test func aCouncilMovesToPostgreSQLWithWhatOnlyItMaySee() async throws {
        let folder = TemporaryDirectory("pg-migrate-council")
        defer { folder.remove() }
        try await PostgresServer.with(in: folder) { server in
            var nodes: [LiveNode] = []
            do {
                let council = try await LiveNode.start("council", kind: .council, in: folder)
                nodes.append(council)
                var submission = ReportSubmission(
                    title: "Fallen tree on Elm Row",
                    category: "trees",
                    latitude: 52.2,
                    longitude: 0.12,
                    reporterName: "Ada Resident",
                    reporterEmail: "ada@residents.example",
                    reporterPhone: "01223 555 123"
                )
                submission.wantsUpdates = true
                let issue = try council.node.intake.report(submission, now: .now()).id
                _ = try council.node.addAPIKey(name: "fixmystreet", now: .now())
                try council.node.gazetteer.replaceGazetteer([
                    Place(name: "Elm Row", kind: "street", latitude: 52.2, longitude: 0.12)
                ])
                let passwordFile = folder.file("olive.password").path
                try Data("correct horse battery staple\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
                let added = try await CLI(data: council.node.directory.root.path).runAsync([
                    "staff", "add", "olive", "--role", "case-officer", "--password-file", passwordFile, "--json",
                ])
                let secret = try #require(try JSONParser().parse(added.stdout)["totp_secret"]?.stringValue)
                let olive = StaffClient.Account(
                    login: "olive",
                    password: "correct horse battery staple",
                    appSecret: secret,
                    recoveryCodes: []
                )
                let staff = try await StaffClient.signIn(WebClient(node: council), olive)
                try council.node.staffRecords.addCaseNote(issue: issue.hex, author: "olive", text: "Crew sent", at: 1)
                let contact = try council.node.contact(forIssue: issue)
                #expect(contact?.email == "ada@residents.example")
                await council.stop()
                nodes.removeLast()

                let cli = CLI(data: council.node.directory.root.path)
                let moved = try await cli.runAsync([
                    "store", "migrate", "--to", server.url, "--password-file", server.passwordFile,
                ])
                #expect(moved.status == 0, "\(moved.stdout) \(moved.stderr)")
                #expect(!moved.stdout.contains("DIFFERS"), "\(moved.stdout)")
                #expect(moved.stdout.contains("private records"), "\(moved.stdout)")

                try Self.pointConfig(council.node.directory, at: server)
                let onPostgres = try LocalNode.open(council.node.directory)
                #expect(onPostgres.config.store != nil)
                #expect(try onPostgres.contact(forIssue: issue) == contact)
                #expect(try onPostgres.apiKeys().map(\.name) == ["fixmystreet"])
                #expect(try onPostgres.staffRecords.staff(login: "olive")?.grants.map(\.role) == ["case-officer"])
                #expect(try onPostgres.staffRecords.caseNotes(issue: issue.hex).map(\.text) == ["Crew sent"])
                #expect(
                    try onPostgres.mailRecords.follows(ofIssue: issue.hex).map(\.email) == ["ada@residents.example"]
                )
                #expect(try onPostgres.gazetteer.places(matching: "elm", limit: 5).map(\.name) == ["Elm Row"])
                // The member of staff's session came across: the daemon on PostgreSQL knows their cookie.
                let served = try await LiveNode.serve(onPostgres)
                nodes.append(served)
                let page = try await WebClient(node: served).get(
                    "/staff/cases/\(issue.hex)",
                    headers: [("Cookie", staff.cookie)]
                )
                #expect(
                    page.status == 200 && page.text.contains("Crew sent"),
                    "\(page.status) \(page.text.prefix(300))"
                )
                await served.stop()
                nodes.removeLast()

                // And back into SQLite: the command compares every private row with PostgreSQL's.
                let back = try Self.withoutStore(council.node.directory, in: folder.file("council-back"))
                let home = try await CLI(data: back.root.path).runAsync(["store", "migrate", "--to", "sqlite"])
                #expect(home.status == 0 && !home.stdout.contains("DIFFERS"), "\(home.stdout) \(home.stderr)")
            } catch {
                for node in nodes { await node.stop() }
                throw error
            }
            for node in nodes { await node.stop() }
        }
    }
}
