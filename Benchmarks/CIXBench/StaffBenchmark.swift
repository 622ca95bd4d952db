import CIXCore
import CIXNode
import CIXStaff
import CIXStore
import CIXTesting
import Foundation

/// Prepares a police node for the staff benchmark (`Benchmarks/staff-bench.sh`):
/// `issues` generated issues routed to it and answered by it (the workload's
/// police, whose key it is given), `staff` accounts, and one signed-in
/// session whose cookie is written to `folder/cookie` for wrk.
struct StaffStore {
    let issues: Int
    let staff: Int
    let folder: URL
    let port: Int

    func run() async throws {
        let directory = NodeDirectory(path: folder.appendingPathComponent("node").path)
        let node: LocalNode
        if directory.exists {
            print("reusing \(directory.root.path)")
            node = try LocalNode.open(directory)
        } else {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            node = try LocalNode.create(
                in: directory,
                name: "Greenfield benchmark police",
                kind: .police,
                url: "https://127.0.0.1:\(port)",
                listen: "127.0.0.1:\(port)",
                web: WebConfig(tiles: ""),
                key: FixedKeys.police.key,
                now: .now()
            )
            let input = folder.appendingPathComponent("workload.ndjson")
            try Workload(issues: issues, eventsPerIssue: 5, seed: 7).write(to: input)
            let started = Date()
            let report = try await EventImporter(node: node).importFile(input, source: "bench", now: { .now() })
            try? FileManager.default.removeItem(at: input)
            print(
                "imported \(report.accepted) events in \(String(format: "%.1f", Date().timeIntervalSince(started))) s"
            )
        }
        let desk = StaffDesk(records: node.staffRecords)
        let password = "benchmark password"
        var secret = ""
        let existing = try node.staffRecords.staffList().count
        for index in existing..<staff {
            let credentials = try await desk.addAccount(
                login: "officer\(index)",
                displayName: "Officer \(index)",
                password: password,
                grants: [StaffGrant(role: index == 0 ? "org-admin" : "case-officer")],
                actor: "bench",
                address: "shell",
                now: Timestamp.now().secondsSinceEpoch
            )
            if index == 0 { secret = credentials.totpSecret }
        }
        if secret.isEmpty {
            // Reused: new credentials for officer0.
            secret = try await desk.reset(
                login: "officer0",
                password: password,
                actor: "bench",
                address: "shell",
                now: Timestamp.now().secondsSinceEpoch
            ).totpSecret
        }
        let now = Timestamp.now().secondsSinceEpoch
        let signedIn = try await desk.signIn(
            login: "officer0",
            password: password,
            code: TOTPCheck(secret: secret).code(step: now / 30),
            address: "127.0.0.1",
            now: now
        )
        try Data("cix_staff=\(signedIn.cookie)".utf8).write(to: folder.appendingPathComponent("cookie"))
        let sample = try node.store.issues(IssueQuery(agency: node.id.hex, limit: 1)).first?.id ?? ""
        try Data(sample.utf8).write(to: folder.appendingPathComponent("issue"))
        print("\(try node.staffRecords.staffList().count) staff accounts; signed in as officer0; a case: \(sample)")
    }
}
