import CIXCore
import CIXNode
import CIXStaff
import CIXStore
import CIXTesting
import Foundation

/// Prepares a police node for the staff benchmark (`Benchmarks/staff-bench.sh`):
/// `issues` generated issues routed to it and answered by it (the workload's
/// police, whose key it is given), `staff` accounts, and one signed-in
/// session whose cookie is written to `folder/cookie` for wrk; and, with the
/// example wards of `deploy/` as the node's named areas, a second officer
/// limited to one ward (`folder/cookie-area`).
struct StaffStore {
    let issues: Int
    let staff: Int
    let folder: URL
    let port: Int

    func run() async throws {
        let directory = NodeDirectory(path: folder.appendingPathComponent("node").path)
        let created: LocalNode
        if directory.exists {
            print("reusing \(directory.root.path)")
            created = try LocalNode.open(directory)
        } else {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            created = try LocalNode.create(
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
            let report = try await EventImporter(node: created).importFile(input, source: "bench", now: { .now() })
            try? FileManager.default.removeItem(at: input)
            print(
                "imported \(report.accepted) events in \(String(format: "%.1f", Date().timeIntervalSince(started))) s"
            )
        }
        let node = try withWards(created)
        let desk = StaffDesk(records: node.staffRecords, areaNames: node.areas.names)
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
            if index == 1 { secret = credentials.totpSecret }
        }
        if secret.isEmpty {
            // Reused: new credentials for officer1.
            secret = try await desk.reset(
                login: "officer1",
                password: password,
                actor: "bench",
                address: "shell",
                now: Timestamp.now().secondsSinceEpoch
            ).totpSecret
        }
        // One case in a hundred restricted (need to know), a few of them given to the officer
        // signed in below, so that the inbox's need-to-know filter has work to do.
        let restricted = try node.store.issues(IssueQuery(agency: node.id.hex, limit: 1_000, offset: 0))
        for (index, issue) in restricted.enumerated() where index % 100 == 0 || index < 10 {
            let at = Timestamp.now().secondsSinceEpoch
            try node.staffRecords.setMarker(issue: issue.id, marker: "restricted", by: "bench", at: at)
            if index < 10 { try node.staffRecords.assign(issue: issue.id, to: "officer1", by: "bench", at: at) }
        }
        // A case officer who may also read the figures, and may not open restricted cases.
        if let officer = try node.staffRecords.staff(login: "officer1") {
            let grants = [StaffGrant(role: "case-officer"), StaffGrant(role: "analyst")]
            try node.staffRecords.setGrants(grants, account: officer.id, at: .now())
        }
        // A case officer for one ward only.
        let areaSecret = try await desk.reset(
            login: "officer2",
            password: password,
            actor: "bench",
            address: "shell",
            now: Timestamp.now().secondsSinceEpoch
        ).totpSecret
        if let officer = try node.staffRecords.staff(login: "officer2") {
            try node.staffRecords.setGrants(
                [StaffGrant(role: "case-officer", areas: ["North Ward"])],
                account: officer.id,
                at: .now()
            )
        }
        for (login, code, file) in [("officer1", secret, "cookie"), ("officer2", areaSecret, "cookie-area")] {
            let now = Timestamp.now().secondsSinceEpoch
            let signedIn = try await desk.signIn(
                login: login,
                password: password,
                code: TOTPCheck(secret: code).code(step: now / 30),
                address: "127.0.0.1",
                now: now
            )
            try Data("cix_staff=\(signedIn.cookie)".utf8).write(to: folder.appendingPathComponent(file))
        }
        let sample = try node.store.issues(IssueQuery(agency: node.id.hex, limit: 1)).first?.id ?? ""
        try Data(sample.utf8).write(to: folder.appendingPathComponent("issue"))
        print(
            "\(try node.staffRecords.staffList().count) staff accounts; signed in as officer1 (a case officer and analyst) and officer2 (North Ward only); a case: \(sample)"
        )
    }

    /// The node with `deploy/wards.example.geojson` as its named areas (set once, in its config).
    func withWards(_ node: LocalNode) throws -> LocalNode {
        guard node.areas.isEmpty else { return node }
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("deploy/wards.example.geojson")
        try Data(contentsOf: example).write(to: node.directory.root.appendingPathComponent("wards.geojson"))
        let config = try String(contentsOf: node.directory.config, encoding: .utf8)
        try Data((config + "\n[staff]\nareas_file = \"wards.geojson\"\n").utf8).write(to: node.directory.config)
        return try LocalNode.open(node.directory)
    }
}
