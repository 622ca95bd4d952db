import CIXCore
import CIXNode
import CIXTesting
import Foundation
import Testing

/// `cix verify` and `cix repair` on a node whose store had single pages overwritten.
@Suite("Verify and repair a damaged store")
struct RepairCommandTests {
    /// A council node with 150 reports, closed.
    static func makeNode(in folder: TemporaryDirectory) throws -> NodeDirectory {
        let directory = NodeDirectory(path: folder.file("council").path)
        let node = try LocalNode.create(
            in: directory,
            name: "Council",
            kind: .council,
            url: "https://127.0.0.1:1",
            listen: nil,
            now: .now()
        )
        for number in 1...150 {
            _ = try node.report(
                ReportSubmission(
                    title: "Loose paving slab \(number)",
                    description: "By the bus stop on Mill Road, number \(number); it rocks when stepped on.",
                    category: "pavement",
                    latitude: 52.2 + Double(number) / 10_000,
                    longitude: 0.12
                ),
                now: .now()
            )
        }
        return directory
    }

    @Test func aDamagedSearchIndexIsNamedAndRepairedFromTheLog() async throws {
        let folder = TemporaryDirectory("repair-cli")
        defer { folder.remove() }
        let directory = try Self.makeNode(in: folder)
        let cli = CLI(data: directory.root.path)
        #expect(try await cli.runAsync(["verify"]).status == 0)
        try PageDamage.damage("issue_text_data", in: directory.store.path)

        let verify = try await cli.runAsync(["verify"])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("damaged table issue_text_data"), "\(verify.stdout)")
        #expect(verify.stdout.contains("cix repair --data \(directory.root.path)"), "\(verify.stdout)")
        let json = try await cli.runAsync(["verify", "--json"])
        #expect(json.stdout.contains(#""repairable":true"#) && json.stdout.contains(#""sound":false"#))

        // Not while a daemon has the directory.
        do {
            let lock = try DaemonLock.acquire(directory)
            let refused = try await cli.runAsync(["repair"])
            #expect(refused.status != 0 && refused.stderr.contains("already running"), "\(refused.stderr)")
            withExtendedLifetime(lock) {}
        }

        let repair = try await cli.runAsync(["repair"])
        #expect(repair.status == 0, "\(repair.stdout)\(repair.stderr)")
        #expect(repair.stderr.contains("copying event") && repair.stdout.contains("repaired"), "\(repair.stdout)")
        let kept = try FileManager.default.contentsOfDirectory(atPath: directory.root.path).filter {
            $0.hasPrefix("store.sqlite.damaged-")
        }
        #expect(kept.count == 1)
        let after = try await cli.runAsync(["verify"])
        #expect(after.status == 0 && after.stdout.contains("sound: 150 events and 150 issues"), "\(after.stdout)")
        let search = try await cli.runAsync(["issue", "list", "--search", "paving", "--limit", "200", "--json"])
        #expect(search.status == 0 && search.stdout.contains("Loose paving slab 17"), "\(search.stdout.prefix(300))")
    }

    @Test func aDamagedLogIsNamedAndLeftForABackup() async throws {
        let folder = TemporaryDirectory("repair-log")
        defer { folder.remove() }
        let directory = try Self.makeNode(in: folder)
        try PageDamage.damage("event", in: directory.store.path)
        let cli = CLI(data: directory.root.path)
        let verify = try await cli.runAsync(["verify"])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("damaged table event (held nowhere else)"), "\(verify.stdout)")
        #expect(verify.stdout.contains("restore store.sqlite from a backup"), "\(verify.stdout)")
        let repair = try await cli.runAsync(["repair"])
        #expect(repair.status == 1)
        #expect(repair.stderr.contains("table event cannot be read"), "\(repair.stderr)")
        #expect(try await cli.runAsync(["verify"]).status == 1)
    }
}
