import CIXCore
import CIXNode
import CIXStaff
import CIXStore
import CIXTesting
import Foundation
import GRDB
import Testing

/// Pre-moderation on real nodes: a held report is neither signed, listed nor
/// sent until a moderator approves it, and a rejected one leaves nothing.
@Suite("Staff moderation", .serialized)
struct StaffModerationTests {
    @Test func heldReportsArePublishedOnlyWhenApproved() async throws {
        try await WebTown.run("staff-moderation", councilTOML: "[moderation]\nhold = [\"graffiti\"]") { town in
            try await check(town)
        }
    }

    func check(_ town: WebTown) async throws {
        let web = WebClient(node: town.council)
        let before = try town.councilEventCount()

        // A resident reports graffiti through the public form: held, not published.
        let form = try await web.formSession("/report")
        let posted = try await web.post(
            "/report",
            [
                ("csrf", form.token), ("title", "Tags on the library"), ("description", "Fresh paint, large letters"),
                ("category", "graffiti"), ("lat", "52.205"), ("lon", "0.121"), ("email", "held.resident@example.org"),
            ],
            headers: [("Cookie", form.cookie)]
        )
        #expect(posted.status == 303)
        #expect(posted.header("location") == "/report/held")
        #expect(
            try await web.get("/report/held").text.contains("checks reports of this kind before they are published")
        )
        #expect(try town.councilEventCount() == before)
        #expect(try town.council.node.heldReports().count == 1)
        #expect(try town.council.node.store.issues(IssueQuery(text: "library")).isEmpty)
        // Another category is published at once, as before.
        let other = try await web.post(
            "/report",
            [
                ("csrf", form.token), ("title", "Sofa dumped in the lane"), ("category", "fly_tipping"),
                ("lat", "52.205"), ("lon", "0.121"),
            ],
            headers: [("Cookie", form.cookie)]
        )
        #expect(other.header("location")?.hasSuffix("/sent") == true)
        try await town.council.pushToPeers()
        try await town.syncMirror()
        #expect(try town.mirror.node.store.issues(IssueQuery(text: "library")).isEmpty)
        #expect(try town.mirror.node.store.issues(IssueQuery(text: "sofa")).count == 1)

        // Only moderators see the queue; it shows the report, not the resident's address.
        let officer = try await StaffClient.signIn(web, try await town.addStaff("olive", role: "case-officer"))
        #expect(try await officer.get("/staff/moderation").status == 403)
        let moderator = try await StaffClient.signIn(web, try await town.addStaff("mo", role: "moderator"))
        let queue = try await moderator.get("/staff/moderation")
        #expect(queue.status == 200)
        #expect(queue.text.contains("Tags on the library"))
        #expect(!queue.text.contains("held.resident@example.org"))
        let held = try #require(try town.council.node.heldReports().first)

        // Edit and approve: published with the moderator's title, routed, its contact kept, and mirrored.
        let approved = try await moderator.post(
            "/staff/moderation/\(held.id)/approve",
            [("title", "Graffiti on the library wall"), ("description", "Fresh paint, large letters")]
        )
        #expect(approved.status == 303)
        #expect(try town.council.node.heldReports().isEmpty)
        let published = try #require(try town.council.node.store.issues(IssueQuery(text: "library")).first)
        #expect(published.title == "Graffiti on the library wall")
        let issue = try #require(EventID(published.id))
        #expect(try town.council.node.contact(forIssue: issue)?.email == "held.resident@example.org")
        try await town.council.pushToPeers()
        try await town.syncMirror()
        #expect(try town.mirror.node.store.issues(IssueQuery(text: "library")).first?.id == published.id)

        // Reject: the report and its photo are gone, and nothing was signed.
        var submission = ReportSubmission(
            title: "Rude words on the bench",
            category: "graffiti",
            latitude: 52.205,
            longitude: 0.121
        )
        submission.photos = [try PhotoSamples.jpegWithGPS()]
        let rejectedID = try town.council.node.intake.hold(submission, now: .now())
        let beforeReject = try town.councilEventCount()
        let noReason = try await moderator.post("/staff/moderation/\(rejectedID)/reject", [("reason", "")])
        #expect(noReason.status == 400)
        let rejected = try await moderator.post(
            "/staff/moderation/\(rejectedID)/reject",
            [("reason", "offensive words only")]
        )
        #expect(rejected.status == 303)
        #expect(try town.council.node.heldReports().isEmpty)
        #expect(try town.councilEventCount() == beforeReject)
        let queueDB = try DatabaseQueue(path: town.council.node.directory.store.path)
        #expect(try await queueDB.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM held_photo") } == 0)
        let actions = try town.council.node.staffRecords.auditEntries(after: 0, limit: 100).map(\.action)
        #expect(actions.contains("moderation-approve") && actions.contains("moderation-reject"))
        #expect(try await moderator.post("/staff/moderation/\(rejectedID)/approve").status == 404)
    }

    @Test func residentsFlagWhatTheNodeCanRemoveAndAModeratorRemovesOrKeepsIt() async throws {
        try await WebTown.run("staff-flags") { town in
            let issue = try town.reportFlyTipping("Sofa dumped behind the shops")
            let solution = try town.council.node.intake.contribute(
                ContributionSubmission(.solution, text: "Dave Smith at number 12 does this every week; ask him"),
                on: issue,
                now: .now()
            )
            let web = WebClient(node: town.council)
            let page = try await web.get("/issues/\(issue.hex)")
            #expect(page.text.contains("action=\"/issues/\(issue.hex)/flag\""))
            #expect(page.text.contains("<option value=\"\(issue.hex)\">The report</option>"))
            #expect(page.text.contains("<option value=\"\(solution.id.hex)\">Proposed solution of"))

            func flag(_ fields: [(String, String)]) async throws -> WebClient.Answer {
                let form = try await web.formSession("/issues/\(issue.hex)")
                return try await web.post(
                    "/issues/\(issue.hex)/flag",
                    [("csrf", form.token)] + fields,
                    headers: [("Cookie", form.cookie)]
                )
            }
            // Not an item of this issue, or no reason: refused, nothing kept.
            let stranger = try await flag([("event", String(repeating: "ab", count: 32)), ("reason", "spam")])
            #expect(stranger.status == 422 && stranger.text.contains("cannot be reported on this node"))
            let reasonless = try await flag([("event", solution.id.hex), ("reason", "because")])
            #expect(reasonless.status == 422)
            #expect(try town.council.node.staffRecords.flags(limit: 10).isEmpty)

            let sent = try await flag([
                ("event", solution.id.hex), ("reason", "personal-data"),
                ("note", "Dave is my neighbour; please take his name off"),
            ])
            #expect(sent.status == 303 && sent.header("location") == "/issues/\(issue.hex)?added=flag")
            _ = try await flag([("event", solution.id.hex), ("reason", "personal-data")])
            _ = try await flag([("event", issue.hex), ("reason", "spam")])
            // The note stays on the node: not on the public page.
            #expect(!(try await web.get("/issues/\(issue.hex)").text.contains("my neighbour")))

            // The police hold the issue too, but cannot remove the council's items: no form there.
            try await town.council.pushToPeers()
            let atPolice = try await WebClient(node: town.police).get("/issues/\(issue.hex)")
            #expect(atPolice.status == 200 && !atPolice.text.contains("/flag\""))

            let moderator = try await StaffClient.signIn(web, try await town.addStaff("mo", role: "moderator"))
            let queue = try await moderator.get("/staff/moderation")
            #expect(queue.text.contains("Flagged by residents (2)"))
            #expect(queue.text.contains("It shows someone&#39;s personal details (2 residents)"))
            #expect(queue.text.contains("Dave is my neighbour; please take his name off"))

            // The solution is removed everywhere; the report is judged fine and kept.
            let removed = try await moderator.post(
                "/staff/flags/remove",
                [("event", solution.id.hex), ("reason", "Named a private person")]
            )
            #expect(removed.status == 303 && removed.header("location") == "/staff/moderation?flags=removed")
            let state = try #require(try town.council.node.store.issueState(issue))
            #expect(state.contributions.first { $0.event == solution.id }?.content == nil)
            #expect(!(try await web.get("/issues/\(issue.hex)").text.contains("Dave Smith")))
            let kept = try await moderator.post("/staff/flags/keep", [("event", issue.hex)])
            #expect(kept.status == 303)
            #expect(try town.council.node.store.issueState(issue)?.report != nil)
            #expect(try town.council.node.staffRecords.flags(limit: 10).isEmpty)
            let again = try await moderator.post("/staff/flags/keep", [("event", issue.hex)])
            #expect(again.status == 404)
            let actions = try town.council.node.staffRecords.auditEntries(after: 0, limit: 500).map(\.action)
            #expect(actions.contains("flag-remove") && actions.contains("flag-keep"))

            // However many residents flag one item, it keeps a bounded number of flags.
            let council = town.council.node.staffRecords
            func flagOnce() throws -> Bool {
                try council.addFlag(
                    issue: issue.hex,
                    event: issue.hex,
                    reason: "spam",
                    note: "",
                    at: 0,
                    cap: FlagReason.capPerItem
                )
            }
            #expect(try (0..<FlagReason.capPerItem).allSatisfy { _ in try flagOnce() })
            #expect(try !flagOnce())
        }
    }
}
