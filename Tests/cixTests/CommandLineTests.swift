import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXSQLite
import CIXStore
import CIXTesting
import Foundation
import Testing

@Suite("cix command line", .serialized)
struct CommandLineTests {
    func withNode(kind: String = "council", _ body: (CLI, TemporaryDirectory) async throws -> Void) async throws {
        let folder = TemporaryDirectory("cli")
        defer { folder.remove() }
        let cli = CLI(data: folder.file("data").path)
        let created = try await cli.runAsync([
            "init", "--name", "Greenfield District Council", "--kind", kind, "--url", "https://127.0.0.1:8443",
        ])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(NodeID(created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) != nil)
        try await body(cli, folder)
    }

    @Test func blockListAndUnblockANode() async throws {
        try await withNode { cli, _ in
            let other = String(repeating: "ab", count: 32)
            let noReason = try await cli.runAsync(["block", other, "--reason", " "])
            #expect(
                noReason.status == 1 && noReason.stderr.contains("give the reason on one line"),
                "\(noReason.stderr)"
            )
            let blocked = try await cli.runAsync(["block", other, "--reason", "Sends advertising"])
            #expect(blocked.status == 0 && blocked.stdout == "blocked \(other)\n", "\(blocked.stderr)")
            let list = try await cli.runAsync(["block", "list", "--json"])
            #expect(list.status == 0 && list.stdout.contains("\"reason\":\"Sends advertising\""), "\(list.stdout)")
            #expect(try await cli.runAsync(["unblock", other]).status == 0)
            let again = try await cli.runAsync(["unblock", other])
            #expect(again.status == 1 && again.stderr.contains("is not blocked"))
            #expect(try await cli.runAsync(["block", "list"]).stderr.contains("This node blocks no node."))
        }
    }

    @Test func rotateAndRevokeKeys() async throws {
        try await withNode { cli, folder in
            let before = try await cli.runAsync(["keys", "show", "--json"])
            let first = try #require(try JSONParser().parse(Array(before.stdout.utf8)).objectValue)
            let node = try #require(first["node"]?.stringValue)
            let genesis = try #require(first["key"]?.stringValue)

            let rotated = try await cli.runAsync(["keys", "rotate"])
            #expect(rotated.status == 0, "\(rotated.stderr)")
            #expect(rotated.stdout.contains("rotated: node \(node) now signs with"), "\(rotated.stdout)")
            #expect(rotated.stdout.contains("Back up"), "the ceremony says what to keep")
            let idFile = folder.file("data/keys/node.id")
            #expect(try String(contentsOf: idFile, encoding: .utf8) == node + "\n")
            let retired = try FileManager.default.contentsOfDirectory(atPath: folder.file("data/keys/retired").path)
            #expect(retired == ["\(genesis.prefix(16)).key"])
            let after = try await cli.runAsync(["keys", "show", "--json"])
            let second = try #require(try JSONParser().parse(Array(after.stdout.utf8)).objectValue)
            #expect(second["node"]?.stringValue == node, "the id stays")
            let current = try #require(second["key"]?.stringValue)
            #expect(current != genesis)
            #expect(second["keys"]?.arrayValue?.count == 2, "\(after.stdout)")

            // The node signs with the new key, and everything verifies.
            let report = try await cli.runAsync([
                "report", "--category", "pothole", "--lat", "52.2053", "--lon", "-0.1218", "--title", "Pothole",
            ])
            #expect(report.status == 0, "\(report.stderr)")
            #expect(try await cli.runAsync(["verify"]).status == 0)

            // Bad input is refused with a reason, changing nothing.
            let badKey = try await cli.runAsync([
                "keys", "revoke", "xyz", "--from", "2026-11-01T00:00:00Z", "--reason", "x",
            ])
            #expect(badKey.status == 64 && badKey.stderr.contains("64 hex digits"), "\(badKey.status) \(badKey.stderr)")
            let badTime = try await cli.runAsync(["keys", "revoke", genesis, "--from", "yesterday", "--reason", "x"])
            #expect(badTime.status == 64 && badTime.stderr.contains("YYYY-MM-DDTHH:MM:SSZ"), "\(badTime.stderr)")
            let stranger = String(repeating: "cd", count: 32)
            let unknown = try await cli.runAsync([
                "keys", "revoke", stranger, "--from", "2026-11-01T00:00:00Z", "--reason", "x",
            ])
            #expect(unknown.status == 1 && unknown.stderr.contains("is not a key of this node"), "\(unknown.stderr)")

            // Revoking the old key from a moment before the rotation: the current key keeps speaking.
            let revoked = try await cli.runAsync([
                "keys", "revoke", genesis, "--from", "2026-11-01T00:00:00Z", "--reason", "Old laptop lost",
            ])
            #expect(revoked.status == 0, "\(revoked.stderr)")
            #expect(revoked.stdout.contains("re-signed the current key"), "\(revoked.stdout)")
            let shown = try await cli.runAsync(["keys", "show"])
            #expect(shown.stdout.contains("revoked: Old laptop lost"), "\(shown.stdout)")
            let later = try await cli.runAsync([
                "report", "--category", "pothole", "--lat", "52.2053", "--lon", "-0.1218", "--title", "Another pothole",
            ])
            #expect(later.status == 0, "\(later.stderr)")
            let verify = try await cli.runAsync(["verify"])
            #expect(verify.status == 0, "\(verify.stdout)")
        }
    }

    @Test func redactCanReplaceWithACleanedCopy() async throws {
        try await withNode { cli, _ in
            let report = try await cli.runAsync([
                "report", "--category", "pothole", "--lat", "52.2053", "--lon", "-0.1218", "--title",
                "Pothole by Ann Smith's gate", "--description", "Ann Smith tripped on it",
            ])
            let issue = report.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let badMask = try await cli.runAsync(["redact", issue, "--reason", "plate", "--mask-photo", "abc:10,10"])
            #expect(badMask.status == 64 && badMask.stderr.contains("HASH:LEFT,TOP,WIDTH,HEIGHT"), "\(badMask.stderr)")
            let notItsPhoto = try await cli.runAsync([
                "redact", issue, "--reason", "plate", "--mask-photo",
                "\(String(repeating: "ab", count: 32)):10,10,20,20",
            ])
            #expect(notItsPhoto.status == 1 && notItsPhoto.stderr.contains("is not one of this issue.report's photos"))
            let wrong = try await cli.runAsync(["redact", issue, "--reason", "names", "--text", "x"])
            #expect(wrong.status == 1 && wrong.stderr.contains("has no text to replace"), "\(wrong.stderr)")
            let cleaned = try await cli.runAsync([
                "redact", issue, "--reason", "names a resident", "--title", "Pothole by a gate", "--description",
                "Someone tripped on it",
            ])
            #expect(cleaned.status == 0, "\(cleaned.stderr)")
            let show = try await cli.runAsync(["issue", "show", issue])
            #expect(show.stdout.hasPrefix("Pothole by a gate") && show.stdout.contains("Someone tripped on it"))
            #expect(show.stdout.contains("pothole") && !show.stdout.contains("Ann Smith"), "\(show.stdout)")
            #expect(try await cli.runAsync(["verify"]).status == 0)
        }
    }

    @Test func reportFollowUpShowAndVerify() async throws {
        try await withNode { cli, _ in
            let report = try await cli.runAsync([
                "report", "--category", "pothole", "--lat", "52.2053", "--lon", "-0.1218", "--title",
                "Pothole on Mill Lane",
                "--tag", "road", "--reporter-email", "ann@example.org",
            ])
            #expect(report.status == 0, "\(report.stderr)")
            let issue = report.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(EventID(issue) != nil)
            #expect(try await cli.runAsync(["confirm", String(issue.prefix(8)), "--text", "Me too"]).status == 0)
            #expect(try await cli.runAsync(["status", issue, "in_progress", "--note", "Crew booked"]).status == 0)
            #expect(try await cli.runAsync(["status", issue, "nearly_done"]).status == 64)
            let show = try await cli.runAsync(["issue", "show", issue])
            #expect(show.stdout.contains("Pothole on Mill Lane") && show.stdout.contains("in_progress"))
            #expect(show.stdout.contains("✓") && !show.stdout.contains("ann@example.org"))
            let list = try await cli.runAsync(["issue", "list", "--status", "in_progress", "--json"])
            #expect(list.stdout.contains(issue))
            #expect(try await cli.runAsync(["issue", "list", "--search", "mill"]).stdout.contains("Pothole"))
            let verify = try await cli.runAsync(["verify"])
            #expect(verify.status == 0 && verify.stdout.contains("sound: 3 events"))
            let export = try await cli.runAsync(["export"])
            #expect(export.stdout.split(separator: "\n").count == 4)
            #expect(!export.stdout.contains("ann@example.org"))
        }
    }

    @Test func aReportWithPersonalDataIsRefusedUnlessMasked() async throws {
        try await withNode { cli, folder in
            let report = [
                "report", "--category", "litter", "--lat", "52.205", "--lon", "0.125", "--title",
                "Litter by the gate", "--description", "The caretaker is on 07700 900123",
            ]
            let refused = try await cli.runAsync(report)
            #expect(refused.status == 1)
            #expect(
                refused.stderr.contains("--description: In the details, this looks like a phone number: “07700 900123”")
            )
            let masked = try await cli.runAsync(report + ["--mask-personal-data"])
            #expect(masked.status == 0, "\(masked.stderr)")
            #expect(masked.stderr.contains("note: A phone number was removed from the details before publication."))
            let node = try LocalNode.open(NodeDirectory(path: folder.file("data").path))
            let id = try #require(EventID(masked.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(try node.store.issueState(id)?.report?.description == "The caretaker is on [phone number removed]")
        }
    }

    @Test func aMirrorRefusesToAuthor() async throws {
        try await withNode(kind: "mirror") { cli, _ in
            let result = try await cli.runAsync([
                "report", "--category", "litter", "--lat", "1", "--lon", "2", "--title", "x",
            ])
            #expect(result.status == 1)
            #expect(result.stderr.contains("mirror"))
        }
    }

    @Test func changingAStoredByteMakesVerifyFailAndNameTheEvent() async throws {
        try await withNode { cli, _ in
            let issue = try await cli.runAsync([
                "report", "--category", "graffiti", "--lat", "52.2", "--lon", "0.1", "--title", "Tag on the wall",
            ])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            // Flip one byte of the title inside the SQLite file itself.
            let path = cli.data + "/store.sqlite"
            try? FileManager.default.removeItem(atPath: path + "-wal")
            var file = try Data(contentsOf: URL(fileURLWithPath: path))
            let needle = Data("Tag on the wall".utf8)
            let range = try #require(file.range(of: needle))
            file[range.lowerBound] = UInt8(ascii: "B")
            try file.write(to: URL(fileURLWithPath: path))
            let verify = try await cli.runAsync(["verify"])
            #expect(verify.status == 1)
            #expect(verify.stdout.contains("bad event \(issue)"))
        }
    }

    @Test func killedDuringImportTheStoreStaysSoundAndImportCompletes() async throws {
        try await withNode { cli, folder in
            let input = folder.file("big.ndjson")
            let workload = Workload(issues: 1_500, eventsPerIssue: 10)
            try workload.write(to: input)
            let importer = try cli.start(["import", input.path])
            // Wait (bounded) until some batches are committed, then kill -9.
            let store = try SQLiteStore(path: cli.data + "/store.sqlite")
            var stored = 0
            for _ in 0..<600 where importer.isRunning {
                stored = (try? store.counts().events) ?? 0
                if stored > 0 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            kill(importer.processIdentifier, SIGKILL)
            await importer.exit()
            #expect(importer.terminationReason == .uncaughtSignal || stored == workload.eventCount)
            let partial = try store.counts().events
            #expect(partial < workload.eventCount || importer.terminationReason != .uncaughtSignal)

            #expect(try await cli.runAsync(["verify"]).status == 0)
            let again = try await cli.runAsync(["import", input.path])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.contains("\(workload.eventCount - partial) accepted, \(partial) duplicate"))
            let verify = try await cli.runAsync(["verify"])
            #expect(verify.status == 0 && verify.stdout.contains("\(workload.eventCount) events"))
        }
    }

    @Test func importNamesBadLinesAndExitsNonZero() async throws {
        try await withNode { cli, folder in
            var factory = EventFactory()
            let good = factory.report(by: FixedKeys.police)
            let input = folder.file("bad.ndjson")
            try Data(
                [good.text, "[1,2", good.text.replacingOccurrences(of: "\"cix\":1", with: "\"cix\":2")].joined(
                    separator: "\n"
                ).utf8
            )
            .write(to: input)
            let result = try await cli.runAsync(["import", input.path])
            #expect(result.status == 1)
            #expect(result.stdout.contains("line 2: rejected: malformed_json"))
            #expect(result.stdout.contains("line 3: rejected"))
            #expect(result.stdout.contains("1 accepted"))
        }
    }

    @Test func canonPrintsRFC8785AndRefusesBadInput() async throws {
        let cli = CLI(data: "")
        let good = try await cli.runAsync(["canon"], input: #"{"b": [1E30, -0, 4.50], "a": "\u20ac"}"#, withData: false)
        #expect(good.status == 0)
        #expect(good.stdout == "{\"a\":\"€\",\"b\":[1e+30,0,4.5]}\n")
        let duplicate = try await cli.runAsync(["canon"], input: #"{"a":1,"a":2}"#, withData: false)
        #expect(duplicate.status == 1 && duplicate.stderr.contains("more than once"))
        let malformed = try await cli.runAsync(["canon"], input: "{", withData: false)
        #expect(malformed.status == 1 && malformed.stderr.contains("error:"))
    }

    @Test func initRefusesAnExistingNode() async throws {
        try await withNode { cli, _ in
            let again = try await cli.runAsync([
                "init", "--name", "X", "--kind", "police", "--url", "https://127.0.0.1:9000",
            ])
            #expect(again.status == 1 && again.stderr.contains("refusing to overwrite"))
        }
    }

    @Test("help text matches its golden copy", arguments: ["", "report", "import", "verify", "issue list"])
    func helpIsStable(command: String) async throws {
        let arguments = command.split(separator: " ").map(String.init) + ["--help"]
        let help = try await CLI(data: "").runAsync(arguments, withData: false).stdout
        let name = command.isEmpty ? "cix" : "cix-" + command.replacingOccurrences(of: " ", with: "-")
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Golden/\(name).txt"
        )
        if ProcessInfo.processInfo.environment["CIX_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(
                at: golden.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(help.utf8).write(to: golden)
        }
        #expect(help == (try String(contentsOf: golden, encoding: .utf8)))
    }
}

extension IntakeCase: CustomTestStringConvertible {
    package var testDescription: String { name }
}

/// The shared tables through the command line: `cix report` and `cix import`.
@Suite("Tables through the command line", .serialized)
struct CommandLineTableTests {
    func withNode(_ body: (CLI, TemporaryDirectory) async throws -> Void) async throws {
        let folder = TemporaryDirectory("cli-table")
        defer { folder.remove() }
        let cli = CLI(data: folder.file("data").path)
        let created = try await cli.runAsync([
            "init", "--name", "Council", "--kind", "council", "--url", "https://127.0.0.1:8443",
        ])
        #expect(created.status == 0, "\(created.stderr)")
        try await body(cli, folder)
    }

    @Test(arguments: IntakeCase.all)
    func cixReportJudges(_ row: IntakeCase) async throws {
        try await withNode { cli, _ in
            var arguments = [
                "report", "--title", row.title, "--description", row.description, "--category", row.category,
            ]
            if let lat = row.latitude, let lon = row.longitude { arguments += ["--lat", "\(lat)", "--lon", "\(lon)"] }
            if let email = row.email { arguments += ["--reporter-email", email] }
            let result = try await cli.runAsync(arguments)
            let listed = try await cli.runAsync(["issue", "list", "--json"]).stdout
            if row.isAccepted {
                #expect(result.status == 0, "\(result.stderr)")
                let id = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                let shown = try JSONParser().parse(
                    Array(try await cli.runAsync(["issue", "show", id, "--json"]).stdout.utf8)
                )
                let report = shown.objectValue?["state"]?.objectValue?["report"]?.objectValue
                #expect(report?["title"]?.stringValue == row.storedTitle)
                #expect(report?["description"]?.stringValue == row.storedDescription)
            } else {
                #expect(result.status == 1, "\(result.status): \(result.stderr)")
                #expect(result.stderr.contains("error:"))
                #expect(listed.trimmingCharacters(in: .whitespacesAndNewlines) == "[]", "nothing stored")
            }
        }
    }

    @Test func cixImportJudgesLineByLine() async throws {
        try await withNode { cli, folder in
            let table = AcceptanceCase.table()
            let file = folder.file("lines.ndjson")
            try Data(table.flatMap { $0.bytes + [UInt8(0x0A)] }).write(to: file)
            let result = try await cli.runAsync(["import", file.path, "--json"])
            #expect(result.status == 1, "rejected lines make import exit 1")
            let verdicts = try JSONParser().parse(Array(result.stdout.utf8)).objectValue?["verdicts"]?.arrayValue ?? []
            #expect(verdicts.compactMap { $0.objectValue?["result"]?.stringValue } == table.map(\.verdict))
        }
    }
}
