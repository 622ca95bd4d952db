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
                let back = NodeDirectory(path: folder.file("mirror-back").path)
                try FileManager.default.createDirectory(at: back.root, withIntermediateDirectories: true)
                for item in ["cix.toml", "keys", "tls"] {
                    try FileManager.default.copyItem(
                        at: mirror.node.directory.root.appendingPathComponent(item),
                        to: back.root.appendingPathComponent(item)
                    )
                }
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
}
