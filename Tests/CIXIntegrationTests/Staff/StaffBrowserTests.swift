import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXStaff
import CIXStore
import CIXTesting
import Foundation
import Testing

/// The staff console in real headless Chromium: the first admin (made by
/// `cix staff add`) signs in with password and TOTP, adds a case officer
/// limited to one category, and the officer works a case — all through the
/// forms, without JavaScript, and at phone width.
@Suite("Staff console in Chromium", .serialized)
struct StaffBrowserTests {
    @Test func adminAddsAScopedOfficerWhoWorksACase() async throws {
        try await WebTown.runWithBrowser("staff-browser") { town, browser in try await run(town, browser) }
    }

    func signIn(_ browser: Browser, _ base: String, login: String, password: String, code: String) async throws {
        try await browser.open(base + "/staff")
        try await browser.wait(until: "return location.pathname === '/staff/sign-in';")
        try await browser.type("#login", login)
        try await browser.type("#password", password)
        try await browser.type("#code", code)
        try await browser.click("form.sign-in button[type=submit]")
        try await browser.wait(until: "return location.pathname === '/staff';")
    }

    /// Whether the page fits the window (no sideways scrolling).
    func fits(_ browser: Browser) async throws -> Bool {
        try await browser.run("return document.documentElement.scrollWidth <= window.innerWidth;").boolValue == true
    }

    func run(_ town: WebTown, _ browser: Browser) async throws {
        let base = town.council.url
        let tipping = try town.reportFlyTipping("Fridge dumped in Mill Lane")
        let graffiti = try town.reportFlyTipping("Tags on the library wall", category: "graffiti")
        let admin = try await town.addStaff("ada", role: "org-admin")

        // The admin signs in and sees both reports waiting.
        try await signIn(browser, base, login: "ada", password: admin.password, code: admin.code())
        #expect(try await browser.text("h1") == "Inbox")
        #expect(try await browser.count("li.case") == 2)

        // Every page of the console passes axe-core's WCAG 2.1 AA and best-practice rules.
        let axe = try await Axe.source()
        for path in [
            "/staff", "/staff/cases/\(tipping.hex)", "/staff/accounts", "/staff/sessions", "/staff/audit",
            "/staff/templates", "/staff/moderation", "/staff/figures", "/figures",
        ] {
            try await browser.open(base + path)
            let violations = try await Axe.violations(in: browser, source: axe)
            #expect(violations.isEmpty, "\(path): \(violations)")
        }

        // Adds an officer for fly-tipping only, through the accounts page.
        try await browser.open(base + "/staff/accounts")
        try await browser.type("#add-login", "olive")
        try await browser.type("#add-name", "Olive Officer")
        try await browser.type("#add-password", WebTown.staffPassword)
        try await browser.click("#add-role option[value=case-officer]")
        try await browser.click("#add-categories option[value=fly_tipping]")
        try await browser.click("form[action='/staff/accounts/add'] button[type=submit]")
        try await browser.wait(until: "return !!document.querySelector('code.secret');")
        let secret = try await browser.text("code.secret")
        #expect(try await browser.count("ul.recovery li") == 10)
        let account = try #require(try town.council.node.staffRecords.staff(login: "olive"))
        #expect(account.grants == [StaffGrant(role: "case-officer", categories: ["fly_tipping"])])

        // Signs out.
        try await browser.click("form.sign-out button[type=submit]")
        try await browser.wait(until: "return location.pathname === '/staff/sign-in';")
        #expect(try await browser.text("p.notice").contains("You are signed out"))
        let violations = try await Axe.violations(in: browser, source: axe)
        #expect(violations.isEmpty, "/staff/sign-in: \(violations)")

        // The officer signs in with a code from the new secret and sees only fly-tipping.
        let officer = StaffClient.Account(
            login: "olive",
            password: WebTown.staffPassword,
            appSecret: secret,
            recoveryCodes: []
        )
        try await signIn(browser, base, login: "olive", password: officer.password, code: officer.code())
        #expect(try await browser.count("li.case") == 1)
        #expect(try await browser.text("li.case h3") == "Fridge dumped in Mill Lane")
        #expect(try await browser.count("a[href='/staff/cases/\(graffiti.hex)']") == 0)
        #expect(try await browser.count("a[href='/staff/accounts']") == 0)

        // Works the case: accept with a note, set in progress, an internal note.
        try await browser.click("li.case h3 a")
        try await browser.wait(until: "return location.pathname === '/staff/cases/\(tipping.hex)';")
        try await browser.type("#accept-note", "Collection booked")
        try await browser.click("form[action$='/accept'] button")
        try await browser.wait(until: "return location.search === '?done=accept';")
        #expect(try await browser.text("p.notice").contains("Accepted"))
        try await browser.click("#status-state option[value=in_progress]")
        try await browser.type("#status-note", "Crew on the way")
        try await browser.click("form[action$='/status'] button")
        try await browser.wait(until: "return location.search === '?done=status';")
        try await browser.type("#note-text", "Resident says it has been there a week")
        try await browser.click("form[action$='/note'] button")
        try await browser.wait(until: "return location.search === '?done=note';")
        #expect(try await browser.text("main").contains("Resident says it has been there a week"))

        let state = try #require(try town.council.node.store.issueState(tipping))
        let part = try #require(state.agencies[town.council.id])
        #expect(part.role == .accepted)
        #expect(part.status == .inProgress)
        #expect(part.note == "Crew on the way")
        let actions = try town.council.node.staffRecords.auditEntries(after: 0, limit: 100).filter {
            $0.actor == "olive"
        }
        .map(\.action)
        #expect(actions == ["sign-in", "accept", "status", "internal-note"])

        // The public page shows the answer and not the internal note.
        try await browser.open(base + "/issues/\(tipping.hex)")
        let text = try await browser.text("main")
        #expect(text.contains("Crew on the way"))
        #expect(!text.contains("Resident says it has been there a week"))

        // At phone width the inbox, the case page and the sessions page fit.
        _ = try await browser.command(.POST, "/window/rect", ["width": 390, "height": 844])
        for path in ["/staff", "/staff/cases/\(tipping.hex)", "/staff/sessions"] {
            try await browser.open(base + path)
            #expect(try await fits(browser), "\(path) is wider than a phone")
        }
    }
}
