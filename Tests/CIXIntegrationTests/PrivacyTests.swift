import CIXCore
import CIXNode
import CIXPostgres
import CIXStore
import CIXTesting
import Foundation
import Testing

/// Residents' data has a life cycle: the retention job deletes exactly what
/// the policy says at each moment and nothing else, and a person's erasure
/// removes what names them down to the bytes on disk, leaving a store that
/// verifies. Real stores, the real `cix` command.
@Suite("Retention and a person's rights", .serialized)
struct PrivacyTests {
    static func day(_ start: Timestamp, _ days: Int64) -> Timestamp {
        Timestamp(secondsSinceEpoch: start.secondsSinceEpoch + days * 86_400)
    }

    static func report(
        _ node: LocalNode,
        _ title: String,
        email: String,
        name: String? = nil,
        updates: Bool = false
    )
        throws -> EventID
    {
        var submission = ReportSubmission(
            title: title,
            category: "pothole",
            latitude: 52.2,
            longitude: 0.1,
            reporterName: name,
            reporterEmail: email
        )
        submission.wantsUpdates = updates
        return try node.intake.report(submission, now: .now()).id
    }

    @Test func theRetentionJobDeletesExactlyWhatThePolicySaysAtEachMoment() async throws {
        let folder = TemporaryDirectory("retention")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        defer { Task { await council.stop() } }
        let node = council.node
        let start = Timestamp.now()

        let closed = try Self.report(node, "Pothole outside the library", email: "ann@residents.example", updates: true)
        _ = try node.act(.status(StatusBody(state: .fixed, note: "Filled.")), on: closed, now: .now())
        let open = try Self.report(node, "Pothole by the bus stop", email: "bob@residents.example", updates: true)
        _ = try node.intake.hold(
            ReportSubmission(
                title: "Held",
                category: "pothole",
                latitude: 52.2,
                longitude: 0.1,
                reporterEmail: "cy@r.example"
            ),
            now: start
        )
        try node.staffRecords.addFlag(
            issue: open.hex,
            event: open.hex,
            reason: "personal_data",
            note: "It names my neighbour",
            at: start.secondsSinceEpoch,
            cap: 10
        )
        let key = try node.addAPIKey(name: "FixMyStreet", now: start)
        try node.vault.logOpen311(
            key: key.id,
            action: "post",
            issue: open.hex,
            event: open.hex,
            clientUpdateID: "fms-1",
            details: "{\"email\":\"dee@residents.example\"}",
            at: start
        )
        try node.mailRecords.queueMail(
            [
                QueuedMail(
                    key: "test:1",
                    recipient: "ann@residents.example",
                    subject: "Sent",
                    body: "x",
                    unsubscribe: nil
                )
            ],
            cursor: nil,
            at: start
        )
        let sent = try #require(try node.mailRecords.dueMail(at: start, limit: 10, perRecipientPerHour: 10).first)
        try node.mailRecords.markSent(sent.id, at: start)
        _ = try node.mailRecords.addFollow(
            email: "eve@residents.example",
            issue: open.hex,
            area: nil,
            token: "t",
            confirmed: false,
            language: "en",
            at: start
        )

        func held() throws -> [Int] {
            let people = ["ann@residents.example", "bob@residents.example", "eve@residents.example"]
            return [
                [closed, open].filter { (try? node.contact(forIssue: $0)) != nil }.count,
                try people.reduce(0) { $0 + (try node.vault.subjectRecords(email: $1, phone: nil).follows.count) },
                try node.vault.heldReports().count,
                try node.staffRecords.flags(limit: 100).count,
                try node.vault.subjectRecords(email: "dee@residents.example", phone: nil).open311.count,
                try node.mailRecords.outboxCounts().sent,
            ]
        }
        let before = try held()
        #expect(before == [2, 3, 1, 1, 1, 1])

        let none = try node.applyRetention(by: "test", now: start)
        #expect(none.deleted == RetentionReport() && !none.scrubbed && none.unscrubbed == nil)
        let weekRun = try node.applyRetention(by: "test", now: Self.day(start, 8))
        #expect(weekRun.scrubbed && weekRun.unscrubbed == nil, "what it deleted is scrubbed from disk at once")
        let week = weekRun.deleted
        #expect(week.follows == 1 && week.total == 1, "\(week.summary)")
        let month = try node.applyRetention(by: "test", now: Self.day(start, 31)).deleted
        #expect(month.heldReports == 1 && month.mails == 1 && month.total == 2, "\(month.summary)")
        #expect(try held() == [2, 2, 0, 1, 1, 0])
        let quarter = try node.applyRetention(by: "test", now: Self.day(start, 91)).deleted
        #expect(quarter.flags == 1 && quarter.open311Details == 1 && quarter.total == 2, "\(quarter.summary)")
        #expect(
            try node.vault.open311Update(key: key.id, clientUpdateID: "fms-1") == open.hex,
            "the id stays for retries"
        )
        // Twelve months (360 days) after the fixed issue last changed, its reporter's details go; the open one's stay.
        let year = try node.applyRetention(by: "test", now: Self.day(start, 361)).deleted
        #expect(year.contacts == 1 && year.follows == 1 && year.total == 2, "\(year.summary)")
        #expect(try node.contact(forIssue: closed) == nil)
        #expect(try node.contact(forIssue: open)?.email == "bob@residents.example")
        #expect(try node.applyRetention(by: "test", now: Self.day(start, 400)).deleted == RetentionReport())
        let runs = try node.staffRecords.auditEntries(after: 0, limit: 1_000).filter { $0.action == "retention" }
        #expect(runs.count == 4)
    }

    /// Residents' data deleted for retention is no event a daemon could notice, so the store itself
    /// counts the scrub it is owed, in the deleting transaction: when the run's own scrub never
    /// happens (the command was killed right after the deletion; on PostgreSQL, a long read can
    /// hold it for minutes), the daemon's next upkeep round scrubs it.
    @Test func whatRetentionDeletedIsScrubbedByTheNextUpkeepEvenIfTheRunsOwnScrubNeverRan() async throws {
        let folder = TemporaryDirectory("retention-owed")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        defer { Task { await council.stop() } }
        let node = council.node
        // Its own text: on PostgreSQL the cluster's WAL is shared with every other test's database.
        let canary = "Cy Retention-Owed-Canary"
        let start = Timestamp.now()
        _ = try node.intake.hold(
            ReportSubmission(
                title: "Hedge over the path",
                description: "Ring \(canary) at number 3",
                category: "pothole",
                latitude: 52.2,
                longitude: 0.1,
                reporterEmail: "cy@residents.example"
            ),
            now: start
        )
        func toDisk() throws { if let postgres = node.store as? PostgresStore { _ = try postgres.texts("CHECKPOINT") } }
        try toDisk()
        #expect(try !Canary.filesHolding(canary, inStoreOf: node).isEmpty)
        #expect(try !node.store.scrubIfOwed(), "nothing is owed yet")

        // The deletion alone, as a run that died before its scrub leaves it.
        let deleted = try node.vault.applyRetention(node.retention.cutoffs(at: Self.day(start, 31)))
        #expect(deleted.heldReports == 1 && deleted.total == 1, "\(deleted.summary)")
        try toDisk()
        let lingering = try Canary.filesHolding(canary, inStoreOf: node)
        #expect(!lingering.isEmpty, "deleted rows stay on disk until scrubbed")

        try node.upkeep()
        let holding = try Canary.filesHolding(canary, inStoreOf: node)
        #expect(holding.isEmpty, "still in \(holding) (before the upkeep: \(lingering))")
        // Owed once: the next round has nothing to do, and the store is whole.
        #expect(try !node.store.scrubIfOwed())
        #expect(try node.store.checkStorage().isEmpty)

        // The command's own run scrubs at once, and its receipt says so.
        let second = "Di Retention-Command-Canary"
        _ = try node.intake.hold(
            ReportSubmission(
                title: "Bins left out",
                description: "Ask \(second)",
                category: "pothole",
                latitude: 52.2,
                longitude: 0.1
            ),
            now: Self.day(start, -31)
        )
        try toDisk()
        #expect(try !Canary.filesHolding(second, inStoreOf: node).isEmpty)
        let run = try await CLI(data: node.directory.root.path).runAsync(["retention", "run", "--json"])
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        #expect(run.stdout.contains("\"held_reports\":1") && run.stdout.contains("\"scrubbed\":true"), "\(run.stdout)")
        #expect(try Canary.filesHolding(second, inStoreOf: node).isEmpty)
    }

    @Test func anErasureRemovesWhatNamesThePersonDownToTheBytesAndTheStoreStillVerifies() async throws {
        let folder = TemporaryDirectory("erasure")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        defer { Task { await council.stop() } }
        let node = council.node
        // Her own address and name: on PostgreSQL the cluster's WAL is shared with every other test's database.
        let email = "ann.erasure-canary@residents.example"
        let naming = try Self.report(
            node,
            "Ann Quillfeather's fence was knocked down",
            email: email,
            name: "Ann Quillfeather"
        )
        let plain = try Self.report(
            node,
            "Streetlight out on Mill Lane",
            email: email,
            name: "Ann Quillfeather",
            updates: true
        )
        let other = try Self.report(node, "Bin not emptied", email: "bob@residents.example", name: "Bob")
        _ = try node.intake.hold(
            ReportSubmission(title: "Held", category: "pothole", latitude: 52.2, longitude: 0.1, reporterEmail: email),
            now: .now()
        )
        let cli = CLI(data: node.directory.root.path)

        let find = try await cli.runAsync(["subject", "find", "--email", "Ann.Erasure-Canary@Residents.example"])
        #expect(find.status == 0)
        #expect(find.stdout.contains("report   \(naming.hex)") && find.stdout.contains("report   \(plain.hex)"))
        #expect(find.stdout.contains("follow   issue \(plain.hex)") && find.stdout.contains("held     report"))
        let file = folder.file("ann.json").path
        let export = try await cli.runAsync(["subject", "export", "--email", email, "--out", file])
        #expect(export.status == 0, "\(export.stderr)")
        let exported = try String(contentsOfFile: file, encoding: .utf8)
        #expect(exported.contains("\"name\":\"Ann Quillfeather\"") && exported.contains(plain.hex))
        #expect(!exported.contains("bob@residents.example"))
        let permissions = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        try FileManager.default.removeItem(atPath: file)

        let erase = try await cli.runAsync(["subject", "erase", "--email", email, "--json"])
        #expect(erase.status == 0, "\(erase.stderr)")
        #expect(
            erase.stdout.contains("\"contacts\":2") && erase.stdout.contains("\"held_reports\":1"),
            "\(erase.stdout)"
        )
        #expect(erase.stdout.contains("\"reports_redacted\":[\"\(naming.hex)\"]"), "\(erase.stdout)")
        #expect(erase.stdout.contains("\"scrubbed\":true") && erase.stderr.isEmpty, "\(erase.stdout) \(erase.stderr)")

        #expect(try node.store.issueState(naming)?.report == nil, "the report naming her is redacted")
        #expect(try node.store.issueState(plain)?.report?.title == "Streetlight out on Mill Lane")
        #expect(try node.contact(forIssue: plain) == nil && node.contact(forIssue: other)?.name == "Bob")
        let after = try await cli.runAsync(["subject", "find", "--email", email])
        #expect(after.stdout.contains("Nothing is held about this person."))
        let verify = try await cli.runAsync(["verify"])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        let trail = try node.staffRecords.auditEntries(after: 0, limit: 100).filter { $0.action.hasPrefix("subject-") }
        #expect(trail.map(\.action) == ["subject-find", "subject-export", "subject-erase", "subject-find"])
        #expect(trail.allSatisfy { $0.subject.hasPrefix("sha256:") && !$0.detail.contains(email) })

        // Nothing of her is left in any file of the node (of its database and WAL, on PostgreSQL):
        // not her address, not her name.
        await council.stop()
        for text in [email, "Ann Quillfeather"] {
            let holding = try Canary.filesHolding(text, inStoreOf: node)
            #expect(holding.isEmpty, "\(text) is still in \(holding)")
        }
    }

    @Test func aConfirmationWithAnAddressCountsThePersonOnceOnAnyDeviceAndKeepsOnlyAHash() async throws {
        let folder = TemporaryDirectory("confirm-email")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        defer { Task { await council.stop() } }
        let issue = try Self.report(council.node, "Graffiti on the underpass", email: "ann@residents.example")
        func confirm(_ email: String?) async throws -> WebClient.Answer {
            let browser = WebClient(node: council)
            let (cookie, token) = try await browser.formSession("/issues/\(issue.hex)")
            return try await browser.post(
                "/issues/\(issue.hex)/confirm",
                [("csrf", token)] + (email.map { [("email", $0)] } ?? []),
                headers: [("Cookie", cookie)]
            )
        }
        #expect(try await confirm("Dee@Residents.example").status == 303)
        let again = try await confirm("dee@residents.example")
        #expect(again.status == 409 && again.text.contains("already been confirmed with that email address"))
        #expect(try await confirm("not an address").status == 422)
        #expect(try await confirm(nil).status == 303)
        #expect(try council.node.store.issueState(issue)?.counts.confirmations == 2)
        #expect(
            try Canary.filesHolding("dee@residents.example", under: council.node.directory.root).isEmpty,
            "only a hash of the address is kept"
        )
        // An erasure forgets it: the address may confirm again (the signed count stays as it was).
        _ = try council.node.eraseSubject(
            try LocalNode.Subject(email: "dee@residents.example", phone: nil),
            by: "test",
            now: .now()
        )
        #expect(try await confirm("dee@residents.example").status == 303)
        // Without [mail], the links of mails sent before still answer (here: a link naming no follow).
        let stale = try await WebClient(node: council).get("/mail/unsubscribe?f=1&t=00")
        #expect(stale.status == 404 && stale.text.contains("This link is not recognised"))
    }
}
