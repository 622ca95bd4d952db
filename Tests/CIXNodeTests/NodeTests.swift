import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXPostgres
import CIXStore
import CIXTesting
import Foundation
import GRDB
import Testing
import X509

@Suite("Local node")
struct NodeTests {
    static func replacingFirst(_ needle: [UInt8], with replacement: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        guard
            let start = (0...(bytes.count - needle.count)).first(where: {
                Array(bytes[$0..<$0 + needle.count]) == needle
            })
        else { return bytes }
        return Array(bytes[..<start]) + replacement + Array(bytes[(start + needle.count)...])
    }

    let now = Timestamp("2026-03-01T12:00:00Z")!

    func withNode(kind: NodeKind = .council, _ body: (LocalNode, TemporaryDirectory) async throws -> Void) async throws
    {
        let folder = TemporaryDirectory("node")
        defer { folder.remove() }
        let node = try LocalNode.create(
            in: NodeDirectory(path: folder.file("data").path),
            name: "Greenfield District Council",
            kind: kind,
            url: "https://127.0.0.1:8443",
            listen: nil,
            now: now
        )
        try await body(node, folder)
    }

    @Test func initMakesKeyConfigCertificateAndStoreAndRefusesToOverwrite() async throws {
        try await withNode { node, folder in
            let attributes = try FileManager.default.attributesOfItem(atPath: node.directory.keyFile.path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let config = try NodeConfig.load(from: node.directory.config)
            #expect(config.node.name == "Greenfield District Council" && config.kind == .council)
            let pem = try String(contentsOf: node.directory.certificate, encoding: .utf8)
            let certificate = try Certificate(pemEncoded: pem)
            #expect(try certificate.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
            #expect(try node.store.descriptors().first?.node == node.id)
            #expect {
                try LocalNode.create(
                    in: node.directory,
                    name: "Other",
                    kind: .police,
                    url: "https://127.0.0.1:9443",
                    listen: nil,
                    now: now
                )
            } throws: { ($0 as? NodeError)?.code == .alreadyInitialised }
            #expect(try LocalNode.open(node.directory).id == node.id)
        }
    }

    @Test func aMirrorAuthorsNothing() async throws {
        try await withNode(kind: .mirror) { node, _ in
            #expect {
                try node.report(ReportSubmission(title: "t", category: "litter", latitude: 1, longitude: 2), now: now)
            } throws: { ($0 as? IntakeError)?.nodeError?.code == .readOnly }
        }
    }

    @Test func contactDetailsStayOnTheNode() async throws {
        try await withNode { node, folder in
            let report = try node.report(
                ReportSubmission(
                    title: "Broken glass in the play area",
                    category: "litter",
                    latitude: 52.2,
                    longitude: 0.12,
                    reporterName: "Ann Example",
                    reporterEmail: "ann@example.org",
                    reporterPhone: "07700 900123"
                ),
                now: now
            )
            #expect(try node.contact(forIssue: report.id)?.email == "ann@example.org")
            #expect(!report.text.contains("ann@example.org") && !report.text.contains("Ann Example"))
            let out = folder.file("export.ndjson")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            let handle = try FileHandle(forWritingTo: out)
            try EventExporter(store: node.store).export(to: handle, includePartnerOnly: true)
            try handle.close()
            let exported = try String(contentsOf: out, encoding: .utf8)
            #expect(exported.contains(report.id.hex))
            for secret in ["ann@example.org", "Ann Example", "07700"] { #expect(!exported.contains(secret)) }
        }
    }

    @Test func exportThenImportReproducesTheProjections() async throws {
        try await withNode { node, folder in
            let input = folder.file("workload.ndjson")
            try Workload(issues: 30, eventsPerIssue: 6).write(to: input)
            let first = try await EventImporter(node: node).importFile(input, source: "test", now: { now })
            #expect(first.accepted == 180 && first.rejected.isEmpty)
            let out = folder.file("export.ndjson")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            let handle = try FileHandle(forWritingTo: out)
            try EventExporter(store: node.store).export(to: handle, includePartnerOnly: false)
            try handle.close()

            let other = try LocalNode.create(
                in: NodeDirectory(path: folder.file("other").path),
                name: "Mirror",
                kind: .mirror,
                url: "https://127.0.0.1:9443",
                listen: nil,
                now: now
            )
            let second = try await EventImporter(node: other).importFile(out, source: "test", now: { now })
            #expect(second.accepted == 180 && second.rejected.isEmpty && second.records == 1)
            #expect(try other.store.projectedStates() == node.store.projectedStates())
            #expect(try other.store.descriptors().map(\.node).contains(node.id))
        }
    }

    @Test func importReportsEachBadLineAndKeepsTheGoodOnes() async throws {
        try await withNode { node, folder in
            var factory = EventFactory()
            let good = factory.report(by: FixedKeys.police)
            let comment = factory.event(
                .comment,
                by: FixedKeys.police,
                on: good.id,
                after: [good],
                body: Bodies.text("ok")
            )
            let signature = Hex.encode(good.signature)
            let forgedSignature = (signature.hasPrefix("0") ? "1" : "0") + signature.dropFirst()
            let forged = good.text.replacingOccurrences(of: signature, with: forgedSignature)
            let lines = [
                good.text, "{not json", forged, comment.text, good.text,
                good.text.replacingOccurrences(of: "{\"at\"", with: "{\"at\":\"x\",\"at\""), "",
            ]
            let input = folder.file("mixed.ndjson")
            try Data(lines.joined(separator: "\n").utf8).write(to: input)
            let report = try await EventImporter(node: node).importFile(input, source: "test", now: { now })
            #expect(report.accepted == 2)
            #expect(report.duplicates == 1)
            #expect(report.rejected.map(\.line) == [2, 3, 6])
            #expect(report.rejected[0].reason.hasPrefix("malformed_json"))
            #expect(report.rejected[2].reason.contains("more than once"))
            #expect(try node.store.counts().events == 2)
        }
    }

    @Test func verifyFindsAChangedByteAndNamesTheEvent() async throws {
        try await withNode { node, folder in
            let input = folder.file("workload.ndjson")
            try Workload(issues: 5, eventsPerIssue: 12).write(to: input)
            _ = try await EventImporter(node: node).importFile(input, source: "test", now: { now })
            #expect(try await StoreVerifier(store: node.store).verify().isSound)

            // Given a byte changed inside one stored event's body…
            let queue = try DatabaseQueue(path: node.directory.store.path)
            let row = try await queue.read { db in
                try Row.fetchOne(db, sql: "SELECT id, bytes FROM event WHERE kind = 'comment' ORDER BY seq LIMIT 1")
            }
            let id: String = try #require(row)["id"]
            let bytes: Data = try #require(row)["bytes"]
            let tampered = Self.replacingFirst(Array("Seen".utf8), with: Array("Been".utf8), in: Array(bytes))
            #expect(tampered != Array(bytes))
            try await queue.write { db in
                try db.execute(sql: "UPDATE event SET bytes = ? WHERE id = ?", arguments: [Data(tampered), id])
            }
            // …verify fails and names exactly that event.
            let report = try await StoreVerifier(store: node.store).verify()
            #expect(!report.isSound)
            #expect(report.badEvents.map(\.id) == [id])
            #expect(report.badEvents.first?.reason.hasPrefix("wrong_body_hash") == true)
        }
    }

    @Test func verifyFindsATamperedProjection() async throws {
        try await withNode { node, _ in
            let report = try node.report(
                ReportSubmission(title: "Bins", category: "bins", latitude: 1, longitude: 2),
                now: now
            )
            let queue = try DatabaseQueue(path: node.directory.store.path)
            try await queue.write { db in
                try db.execute(
                    sql: "UPDATE issue_state SET state = ? WHERE id = ?",
                    arguments: [Data("{}".utf8), report.id.hex]
                )
            }
            let result = try await StoreVerifier(store: node.store).verify()
            #expect(result.badIssues.map(\.id) == [report.id.hex])
        }
    }
}

@Suite("Deploy examples")
struct DeployExampleTests {
    @Test(
        "each example config in deploy/ loads",
        arguments: [("council", "council"), ("police", "police"), ("mirror", "mirror"), ("mirror-postgres", "mirror")]
    )
    func exampleLoads(file: String, kind: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("deploy/\(file).toml")
        let config = try NodeConfig.load(from: url)
        #expect(config.kind.rawValue == kind)
        #expect(config.node.url.hasPrefix("https://"))
        if let store = config.store {
            // A store URL the node would accept (reaching the server is another matter).
            #expect(try PostgresStoreURL(store.url).requiresTLS)
            #expect(store.password_file != nil)
        }
    }
}

@Suite("The store's settings")
struct StoreSettingTests {
    /// `scrub_after_redactions` is read, and written back by the rendered config as given; unset, it is absent.
    @Test func scrubAfterRedactionsIsReadAndWrittenBack() throws {
        let folder = TemporaryDirectory("store-setting")
        defer { folder.remove() }
        for setting in [nil, false, true] {
            let text = """
                [node]
                name = "Council"
                kind = "council"
                url = "https://issues.example.org"

                [server]
                listen = "127.0.0.1:8443"
                tls_certificate = "tls/cert.pem"
                tls_key = "tls/key.pem"

                [store]
                url = "postgresql://cix@db.internal/council"
                \(setting.map { "scrub_after_redactions = \($0)" } ?? "")
                """
            let file = folder.file("cix-\(String(describing: setting)).toml")
            try Data(text.utf8).write(to: file)
            let loaded = try NodeConfig.load(from: file)
            #expect(loaded.store?.scrub_after_redactions == setting)
            try Data(loaded.rendered().utf8).write(to: file)
            #expect(try NodeConfig.load(from: file).store?.scrub_after_redactions == setting)
        }
    }
}

@Suite("Routing rules in the config")
struct RoutingConfigTests {
    @Test func rulesAreReadAndApplied() async throws {
        let folder = TemporaryDirectory("rules")
        defer { folder.remove() }
        let node = try LocalNode.create(
            in: NodeDirectory(path: folder.file("data").path),
            name: "Council",
            kind: .council,
            url: "https://127.0.0.1:8443",
            listen: nil,
            now: .now()
        )
        let partnership = FixedKeys.volunteers.id.hex
        var text = try String(contentsOf: node.directory.config, encoding: .utf8)
        text +=
            "\n[[routing.rules]]\naction = \"add\"\ncategory = \"antisocial_behaviour\"\nnode = \"\(partnership)\"\nreason = \"Community safety partnership\"\n"
        try Data(text.utf8).write(to: node.directory.config)
        let reopened = try LocalNode.open(node.directory)
        let recipients = try reopened.router().route(category: "antisocial_behaviour", latitude: 52.2, longitude: 0.1)
        #expect(recipients.map(\.node.hex) == [partnership])
        #expect(recipients.first?.reason == "Community safety partnership")
        #expect(try reopened.router().route(category: "litter", latitude: 52.2, longitude: 0.1).isEmpty)

        try Data((text + "\n[[routing.rules]]\naction = \"shout\"\nnode = \"x\"\n").utf8).write(
            to: node.directory.config
        )
        #expect { try LocalNode.open(node.directory) } throws: { ($0 as? NodeError)?.code == .badConfig }
    }
}

@Suite("Staff areas in the config")
struct StaffAreasConfigTests {
    @Test func theAreasFileIsReadAndAProblemStopsTheNodeNamingTheSetting() throws {
        let folder = TemporaryDirectory("areas-config")
        defer { folder.remove() }
        let node = try LocalNode.create(
            in: NodeDirectory(path: folder.file("data").path),
            name: "Council",
            kind: .council,
            url: "https://127.0.0.1:8443",
            listen: nil,
            now: .now()
        )
        #expect(node.areas.isEmpty)
        let config = try String(contentsOf: node.directory.config, encoding: .utf8)
        try Data((config + "\n[staff]\nareas_file = \"wards.geojson\"\n").utf8).write(to: node.directory.config)
        // Missing: the node does not open, and says which setting and file.
        #expect { try LocalNode.open(node.directory) } throws: { error in
            guard let error = error as? NodeError else { return false }
            return error.code == .badConfig && error.message.hasPrefix("[staff] areas_file: cannot read ")
                && error.message.hasSuffix("wards.geojson")
        }
        let wards = node.directory.root.appendingPathComponent("wards.geojson")
        try Data(#"{"type": "FeatureCollection", "features": [{"type": "Feature"}]}"#.utf8).write(to: wards)
        #expect { try LocalNode.open(node.directory) } throws: { error in
            (error as? NodeError)?.message.contains("feature 1 needs properties.name") == true
        }
        // The example in deploy/ is a good file.
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("deploy/wards.example.geojson")
        try Data(contentsOf: example).write(to: wards)
        let reopened = try LocalNode.open(node.directory)
        #expect(reopened.areas.names == ["North Ward", "Riverside"])
        #expect(reopened.areas.names(longitude: 0.12, latitude: 52.22) == ["North Ward"])
        #expect(reopened.areas.names(longitude: 0.12, latitude: 52.205) == ["North Ward", "Riverside"])

        // Keeping removed texts: 0 to 365 days, else the node does not open.
        try Data((config + "\n[staff]\nkeep_redacted_days = 400\n").utf8).write(to: node.directory.config)
        #expect { try LocalNode.open(node.directory) } throws: { error in
            (error as? NodeError)?.message.hasSuffix("[staff] keep_redacted_days must be 0 to 365, not 400") == true
        }

        // The pages' default language: one the node offers, else the node does not open.
        try Data((config + "\n[web]\nlanguage = \"fr\"\n").utf8).write(to: node.directory.config)
        #expect { try LocalNode.open(node.directory) } throws: { error in
            (error as? NodeError)?.message.hasSuffix("[web] language \"fr\" is not one of en, cy") == true
        }
        try Data((config + "\n[web]\nlanguage = \"cy\"\n").utf8).write(to: node.directory.config)
        #expect(try LocalNode.open(node.directory).config.web?.defaultLanguage == .welsh)
    }
}
