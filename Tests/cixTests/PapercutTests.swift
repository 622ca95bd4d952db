import CIXCanonicalJSON
import CIXCore
import CIXTesting
import Foundation
import Testing

/// What a new operator tripped over, each fixed and kept fixed.
@Suite("Operator papercuts", .serialized)
struct PapercutTests {
    func initNode(_ folder: TemporaryDirectory, _ name: String, kind: String) async throws -> CLI {
        let cli = CLI(data: folder.file(name).path)
        let created = try await cli.runAsync([
            "init", "--name", name, "--kind", kind, "--url", "https://127.0.0.1:8443",
        ])
        #expect(created.status == 0, "\(created.stderr)")
        return cli
    }

    @Test func everyCommandTakesData() async throws {
        let folder = TemporaryDirectory("papercut-data")
        defer { folder.remove() }
        let cli = try await initNode(folder, "council", kind: "council")
        let listed = try await cli.runAsync(["categories", "list"])
        #expect(listed.status == 0 && listed.stdout.contains("pothole"))
    }

    @Test(arguments: ["Feature", "FeatureCollection"])
    func servesSetTakesFeatures(_ wrapper: String) async throws {
        let folder = TemporaryDirectory("papercut-area")
        defer { folder.remove() }
        let cli = try await initNode(folder, "council", kind: "council")
        let polygon = #"{"type":"Polygon","coordinates":[[[0,52],[0.2,52],[0.2,52.3],[0,52.3],[0,52]]]}"#
        let feature = #"{"type":"Feature","properties":{"name":"District"},"geometry":\#(polygon)}"#
        let file = folder.file("area.geojson")
        try Data((wrapper == "Feature" ? feature : #"{"type":"FeatureCollection","features":[\#(feature)]}"#).utf8)
            .write(to: file)
        let set = try await cli.runAsync(["serves", "set", "--categories", "pothole", "--area", file.path])
        #expect(set.status == 0, "\(set.stderr)")
        let explained = try await cli.runAsync([
            "route", "explain", "--category", "pothole", "--lat", "52.1", "--lon", "0.1", "--json",
        ])
        #expect(explained.stdout.contains("\"name\":\"council\""), "\(explained.stdout)")
    }

    @Test func aStatusWithoutAPartIsRefusedUpFrontAndAbbreviatedNodesResolve() async throws {
        let folder = TemporaryDirectory("papercut-status")
        defer { folder.remove() }
        let council = try await initNode(folder, "council", kind: "council")
        let police = try await initNode(folder, "police", kind: "police")
        let issue = try await council.runAsync([
            "report", "--category", "pothole", "--lat", "52", "--lon", "0", "--title", "Hole",
        ])
        .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // The police learn of the issue, and of the council, through an export.
        let export = folder.file("council.ndjson")
        #expect(try await council.runAsync(["export", "--out", export.path]).status == 0)
        #expect(try await police.runAsync(["import", export.path]).status == 0)
        let before = try await police.runAsync(["export"]).stdout
        let status = try await police.runAsync(["status", String(issue.prefix(8)), "in_progress"])
        #expect(status.status == 1)
        #expect(status.stderr.contains("only an active agency may set its own status"), "\(status.stderr)")
        #expect(try await police.runAsync(["export"]).stdout == before, "nothing was signed")
        // The council routes to the police by the first digits of its id, once it knows the police.
        let policeExport = folder.file("police.ndjson")
        #expect(try await police.runAsync(["export", "--out", policeExport.path]).status == 0)
        #expect(try await council.runAsync(["import", policeExport.path]).status == 0)
        let policeID = try await police.runAsync(["keys", "--json"]).stdout
        let id = try #require(try JSONParser().parse(Array(policeID.utf8)).objectValue?["node"]?.stringValue)
        let routed = try await council.runAsync([
            "route", "send", issue, "--to", String(id.prefix(8)), "--reason", "Their beat",
        ])
        #expect(routed.status == 0, "\(routed.stderr)")
        let unknown = try await council.runAsync(["route", "send", issue, "--to", "abcdef12", "--reason", "Nobody"])
        #expect(unknown.status == 64 && unknown.stderr.contains("no known node"), "\(unknown.stderr)")
    }

    @Test func aSecondDaemonOnTheSameDataSaysOneIsRunning() async throws {
        let folder = TemporaryDirectory("papercut-serve")
        defer { folder.remove() }
        let cli = try await initNode(folder, "council", kind: "council")
        let first = try cli.start(["serve", "--listen", "127.0.0.1:0", "--pull-interval", "3600"])
        defer {
            first.terminate()
            first.waitUntilExit()
        }
        let lock = folder.file("council/serve.lock").path
        for _ in 0..<100 where (try? String(contentsOfFile: lock, encoding: .utf8))?.isEmpty ?? true {
            try await Task.sleep(for: .milliseconds(100))
        }
        let second = try await cli.runAsync(["serve", "--listen", "127.0.0.1:0"])
        #expect(second.status == 1)
        #expect(
            second.stderr.contains("already running") && second.stderr.contains("\(first.processIdentifier)"),
            "\(second.stderr)"
        )
        #expect(first.isRunning)
    }

    @Test func theDemoSaysSixNodes() async throws {
        let help = try await CLI(data: "/nonexistent").runAsync(["demo", "--help"], withData: false)
        #expect(help.stdout.contains("six nodes") || help.stdout.contains("Six nodes"))
        #expect(!help.stdout.contains("three"))
    }
}
