import CIXCore
import CIXNode
import CIXStore
import CIXTesting
import Foundation
import Testing

/// How a body organises its work, kept on its own node: teams, priorities, and what a
/// moderator removed kept for a configured time.
@Suite("Staff work", .serialized)
struct StaffWorkTests {
    @Test func teamsAndPrioritiesFilterTheInbox() async throws {
        try await WebTown.run("staff-teams") { town in
            let fridge = try town.reportFlyTipping("Fridge on the verge")
            let sofa = try town.reportFlyTipping("Sofa in the alley")
            let bags = try town.reportFlyTipping("Bags by the bins")
            let web = WebClient(node: town.council)
            let admin = try await StaffClient.signIn(web, try await town.addStaff("ada", role: "org-admin"))
            let olive = try await StaffClient.signIn(web, try await town.addStaff("olive", role: "case-officer"))
            _ = try await town.addStaff("oscar", role: "case-officer")
            _ = try await town.addStaff("una", role: "case-officer")

            // Not in a team: "my team" is neither offered nor accepted.
            #expect(!(try await olive.get("/staff").text.contains("<option value=\"team\"")))
            let lonely = try await olive.get("/staff?assigned=team")
            #expect(lonely.status == 400 && lonely.text.contains("you are in no team"))

            // The admin puts olive and oscar in one team (from the console) and una in another (from the shell).
            for login in ["olive", "oscar"] {
                let set = try await admin.post("/staff/accounts/team", [("login", login), ("team", "North crew")])
                #expect(set.status == 303)
            }
            let cli = CLI(data: town.council.node.directory.root.path)
            #expect(try await cli.runAsync(["staff", "team", "una", "South crew"]).status == 0)
            #expect(try town.council.node.staffRecords.staff(login: "oscar")?.team == "North crew")
            #expect(try await cli.runAsync(["staff", "list"]).stdout.contains("North crew"))
            let tooLong = try await admin.post(
                "/staff/accounts/team",
                [("login", "una"), ("team", String(repeating: "x", count: 65))]
            )
            #expect(tooLong.status == 400)

            // Cases given to oscar and una: olive's team view shows oscar's only.
            for (issue, login) in [(fridge, "oscar"), (sofa, "una")] {
                #expect(try await admin.post("/staff/cases/\(issue.hex)/assign", [("login", login)]).status == 303)
            }
            let team = try await olive.get("/staff?assigned=team")
            #expect(team.status == 200)
            #expect(team.text.contains("<option value=\"team\" selected>My team</option>"))
            #expect(team.text.contains("Fridge on the verge"))
            #expect(!team.text.contains("Sofa in the alley"))
            #expect(!team.text.contains("Bags by the bins"))

            // Priorities: set on the case page (audited, local), shown and filtered in the inbox.
            let before = try town.councilEventCount()
            #expect(
                try await olive.get("/staff/cases/\(bags.hex)").text.contains(
                    "action=\"/staff/cases/\(bags.hex)/priority\""
                )
            )
            let urgent = try await olive.post("/staff/cases/\(bags.hex)/priority", [("priority", "urgent")])
            #expect(urgent.status == 303)
            #expect(try await olive.post("/staff/cases/\(bags.hex)/priority", [("priority", "soon")]).status == 400)
            #expect(try town.councilEventCount() == before)
            let inbox = try await olive.get("/staff")
            #expect(inbox.text.contains("Urgent priority"))
            let onlyUrgent = try await olive.get("/staff?priority=urgent")
            #expect(onlyUrgent.text.contains("Bags by the bins"))
            #expect(onlyUrgent.text.contains("Waiting for our answer (1)"))
            let onlyNormal = try await olive.get("/staff?priority=normal")
            #expect(!onlyNormal.text.contains("Bags by the bins"))
            #expect(onlyNormal.text.contains("Waiting for our answer (2)"))
            let actions = try town.council.node.staffRecords.auditEntries(after: 0, limit: 200).map(\.action)
            #expect(actions.contains("priority") && actions.contains("staff-team"))
            // Back to normal: nothing is kept.
            #expect(try await olive.post("/staff/cases/\(bags.hex)/priority", [("priority", "normal")]).status == 303)
            #expect(try town.council.node.staffRecords.priorities(issues: [bags.hex]).isEmpty)
            // Our status: any open one; a final one is refused.
            #expect(try await olive.get("/staff?status=received").text.contains("Waiting for our answer (3)"))
            #expect(try await olive.get("/staff?status=scheduled").text.contains("Waiting for our answer (0)"))
            let final = try await olive.get("/staff?status=fixed")
            #expect(final.status == 400 && final.text.contains("status must be one of received, acknowledged"))
            // A read-only person sees the priority but cannot change it.
            let reader = try await StaffClient.signIn(web, try await town.addStaff("rita", role: "read-only"))
            #expect(try await reader.post("/staff/cases/\(bags.hex)/priority", [("priority", "high")]).status == 403)
        }
    }

    @Test func aDeclineGivesAStandardReasonAndAReferral() async throws {
        try await WebTown.run("staff-decline") { town in
            let issue = try town.reportFlyTipping("Rubble behind the warehouse")
            let web = WebClient(node: town.council)
            let olive = try await StaffClient.signIn(web, try await town.addStaff("olive", role: "case-officer"))
            let page = try await olive.get("/staff/cases/\(issue.hex)")
            #expect(page.text.contains("<option value=\"private-land\">On private land</option>"))
            let before = try town.councilEventCount()
            // Another reason with nothing written, or too long a reason: refused, nothing signed.
            let bare = try await olive.post("/staff/cases/\(issue.hex)/decline", [("code", "other"), ("reason", "")])
            #expect(bare.status == 400 && bare.text.contains("say why"))
            let long = try await olive.post(
                "/staff/cases/\(issue.hex)/decline",
                [("code", "private-land"), ("reason", String(repeating: "a", count: 480))]
            )
            #expect(long.status == 400 && long.text.contains("at most 500 characters"))
            #expect(try town.councilEventCount() == before)
            let declined = try await olive.post(
                "/staff/cases/\(issue.hex)/decline",
                [
                    ("code", "private-land"), ("reason", "The yard belongs to the warehouse."),
                    ("refer", town.police.id.hex),
                ]
            )
            #expect(declined.status == 303)
            let state = try #require(try town.council.node.store.issueState(issue))
            let part = try #require(state.agencies[town.council.id])
            #expect(part.status == .notOurs)
            #expect(
                part.reason
                    == "This is on private land, so its owner is responsible. The yard belongs to the warehouse."
            )
            // Referred: the police are now asked to look at it.
            #expect(state.agencies[town.police.id]?.role == .routed)
            let entry = try town.council.node.staffRecords.auditEntries(after: 0, limit: 100).last
            #expect(entry?.action == "decline" && entry?.detail == "private-land")
            // The public page names the referring body rather than its id.
            let publicPage = try await web.get("/issues/\(issue.hex)").text
            #expect(publicPage.contains("This is on private land, so its owner is responsible."))
            #expect(publicPage.contains("Referred by council: This is on private land"))
            #expect(!publicPage.contains("referred by \(town.council.id.hex.prefix(12))"))
        }
    }

    @Test func whatAModeratorRemovesIsKeptForTheConfiguredTimeThenDeleted() async throws {
        try await WebTown.run("staff-originals", councilTOML: "[staff]\nkeep_redacted_days = 30") { town in
            let issue = try town.reportFlyTipping()
            let (canary, comment) = try town.canaryComment(on: issue)
            let web = WebClient(node: town.council)
            let moderator = try await StaffClient.signIn(web, try await town.addStaff("mo", role: "moderator"))
            let officer = try await StaffClient.signIn(web, try await town.addStaff("olive", role: "case-officer"))
            let removed = try await moderator.post(
                "/staff/cases/\(issue.hex)/redact",
                [("event", comment.id.hex), ("reason", "personal details")]
            )
            #expect(removed.status == 303)
            // Gone from the public page and the signed record; kept for moderators only.
            #expect(!(try await web.get("/issues/\(issue.hex)").text.contains(canary)))
            #expect(try town.council.node.store.issueState(issue)?.contributions.first?.content == nil)
            let page = try await moderator.get("/staff/cases/\(issue.hex)")
            #expect(page.text.contains("Removed, kept for moderators"))
            #expect(page.text.contains("Ring me, my name is \(canary)"))
            #expect(!(try await officer.get("/staff/cases/\(issue.hex)").text.contains(canary)))
            let kept = try town.council.node.staffRecords.originals(
                issue: issue.hex,
                now: Timestamp.now().secondsSinceEpoch
            )
            #expect(kept.count == 1)
            let keptFor = (kept.first?.keepUntil ?? 0) - (kept.first?.at ?? 0)
            #expect(keptFor == 30 * 86_400)
            // Once the redaction is scrubbed, the kept original is the only copy on disk…
            try town.council.node.upkeep()
            #expect(try !Canary.filesHolding(canary, inStoreOf: town.council.node).isEmpty)
            // …and when the time is up the upkeep deletes it, which leaves the store owing a scrub,
            // the next round scrubs it, and the page no longer shows it.
            let later = (kept.first?.keepUntil ?? 0) + 1
            #expect(try town.council.node.staffRecords.originals(issue: issue.hex, now: later).isEmpty)
            #expect(try town.council.node.purgeKeptOriginals(now: Timestamp(secondsSinceEpoch: later)) == 1)
            #expect(try !Canary.filesHolding(canary, inStoreOf: town.council.node).isEmpty)
            try town.council.node.upkeep()
            #expect(try Canary.filesHolding(canary, inStoreOf: town.council.node).isEmpty)
            #expect(try town.council.node.staffRecords.originals(issue: issue.hex, now: 0).isEmpty)
            #expect(!(try await moderator.get("/staff/cases/\(issue.hex)").text.contains(canary)))
        }
    }
}
