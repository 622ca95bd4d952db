import CIXCore
import CIXNode
import CIXStaff
import CIXStore
import CIXTesting
import Foundation
import Synchronization
import Testing

/// Staff sign-in through an OpenID provider, end to end over real HTTPS: a
/// real provider (PyPI's oidc-provider-mock) for the flow, and a forging one
/// for the tokens a node must refuse. Each refusal is a clear page and an
/// audit entry, and starts no session.
@Suite("Staff sign-in with OpenID Connect", .serialized)
struct StaffOpenIDTests {
    static let clientID = "cix-council"

    /// `[staff.openid]` for a node trusting `issuer`, with a client secret in a file of the data directory.
    static func toml(
        issuer: String,
        rolesClaim: String = "cix_groups",
        secretIn folder: TemporaryDirectory
    ) throws -> String {
        let secret = folder.file("openid-client-secret")
        try Data("s3cret-shared-with-the-provider\n".utf8).write(to: secret)
        return """
            [staff.openid]
            issuer = "\(issuer)"
            client_id = "\(clientID)"
            client_secret_file = "\(secret.path)"
            roles_claim = "\(rolesClaim)"
            label = "Sign in with your Greenfield account"
            roles = { "Highways" = "case-officer:fly_tipping", "CIX admins" = "org-admin" }
            """
    }

    /// The browser's part: leave for the provider, let `authorize` sign in there, come back.
    /// Returns the callback's answer, and the path it was sent to (to replay it).
    static func signIn(
        _ web: WebClient,
        authorize: (String) async throws -> String,
        keepBinding: Bool = true
    ) async throws -> (answer: WebClient.Answer, callback: String, binding: String) {
        let start = try await web.get("/staff/openid/start")
        guard start.status == 303, let location = start.header("location"),
            let binding = start.header("set-cookie")?.split(separator: ";").first.map(String.init),
            binding.hasPrefix("cix_openid=")
        else { throw TestFailure("start answered \(start.status): \(start.text.prefix(400))") }
        #expect(start.header("set-cookie")?.contains("SameSite=Lax; Max-Age=600") == true)
        for parameter in ["code_challenge_method=S256", "code_challenge=", "nonce=", "state=", "scope=openid"] {
            #expect(location.contains(parameter), "\(parameter) missing from \(location)")
        }
        let back = try await authorize(location)
        guard let range = back.range(of: "/staff/openid/callback") else {
            throw TestFailure("the provider sent the browser to \(back)")
        }
        let callback = String(back[range.lowerBound...])
        let answer = try await web.request(.GET, callback, headers: keepBinding ? [("Cookie", binding)] : [])
        return (answer, callback, binding)
    }

    static func sessionCookie(_ answer: WebClient.Answer) -> String? {
        answer.headers.first { $0.0.lowercased() == "set-cookie" && $0.1.hasPrefix("cix_staff=") }
            .flatMap { $0.1.split(separator: ";").first.map(String.init) }
    }

    /// The problem a sign-in page shows, for failure messages.
    static func problem(_ answer: WebClient.Answer) -> String {
        guard let range = answer.text.range(of: "role=\"alert\"><p>") else { return "status \(answer.status)" }
        return "status \(answer.status): " + answer.text[range.upperBound...].prefix { $0 != "<" }
    }

    static func refusals(_ node: LiveNode) throws -> [AuditEntry] {
        try node.node.staffRecords.auditEntries(after: 0, limit: 1000).filter { $0.action == "sign-in-refused" }
    }

    @Test func staffSignInThroughARealProviderWithRolesFromItsClaims() async throws {
        guard let provider = try await MockOpenIDProvider.start() else {
            Issue.record("oidc-provider-mock is not installed; .ci/setup installs it (pip install oidc-provider-mock)")
            return
        }
        defer { provider.stop() }
        let folder = TemporaryDirectory("staff-openid")
        defer { folder.remove() }
        let council = try await LiveNode.start(
            "council",
            kind: .council,
            in: folder,
            toml: try Self.toml(issuer: provider.issuer, secretIn: folder)
        )
        do {
            let web = WebClient(node: council)
            let page = try await web.get("/staff/sign-in")
            #expect(page.text.contains("href=\"/staff/openid/start\">Sign in with your Greenfield account</a>"))
            try await provider.setUser(
                "alice-1234",
                claims:
                    #"{"cix_groups": ["Highways", "Canteen"], "preferred_username": "alice", "name": "Alice Officer"}"#
            )
            // Alice signs in at the provider and comes back signed in, as a fly-tipping case officer.
            let first = try await Self.signIn(web) { try await provider.authorize($0, as: "alice-1234") }
            #expect(first.answer.status == 200, "\(Self.problem(first.answer))")
            #expect(first.answer.text.contains("http-equiv=\"refresh\" content=\"0; url=/staff\""))
            let cookie = try #require(Self.sessionCookie(first.answer))
            #expect(first.answer.headers.contains { $0.1.hasPrefix("cix_openid=;") && $0.1.contains("Max-Age=0") })
            let inbox = try await web.request(.GET, "/staff", headers: [("Cookie", cookie)])
            #expect(inbox.status == 200 && inbox.text.contains("Alice Officer"))
            let account = try #require(try council.node.staffRecords.staff(login: "alice"))
            #expect(account.openID == OpenIDSubject(issuer: provider.issuer, subject: "alice-1234"))
            #expect(account.grants == [StaffGrant(role: "case-officer", categories: ["fly_tipping"])])
            #expect(account.passwordHash.isEmpty && account.totpSecret.isEmpty)
            let accounts = try await web.request(.GET, "/staff/accounts", headers: [("Cookie", cookie)])
            #expect(accounts.status == 403)

            // The same callback again (a replayed state and code): refused, recorded, no session.
            let replay = try await web.request(.GET, first.callback, headers: [("Cookie", first.binding)])
            #expect(replay.status == 400 && replay.text.contains("already used"), "\(replay.text.prefix(300))")
            #expect(Self.sessionCookie(replay) == nil)
            // A callback without the cookie of the browser that started it (login CSRF): refused.
            let elsewhere = try await Self.signIn(
                web,
                authorize: { try await provider.authorize($0, as: "alice-1234") },
                keepBinding: false
            )
            #expect(elsewhere.answer.status == 400 && elsewhere.answer.text.contains("another browser"))
            #expect(Self.sessionCookie(elsewhere.answer) == nil)

            // The provider makes Alice an administrator: her next sign-in carries it, her old session ends.
            try await provider.setUser(
                "alice-1234",
                claims: #"{"cix_groups": ["CIX admins"], "preferred_username": "alice"}"#
            )
            let second = try await Self.signIn(web) { try await provider.authorize($0, as: "alice-1234") }
            let adminCookie = try #require(Self.sessionCookie(second.answer))
            let adminPage = try await web.request(.GET, "/staff/accounts", headers: [("Cookie", adminCookie)])
            #expect(adminPage.status == 200 && adminPage.text.contains("signs in with OpenID Connect"))
            let old = try await web.request(.GET, "/staff", headers: [("Cookie", cookie)])
            #expect(old.status == 303, "a change of roles ends the sessions begun before it")
            #expect(try council.node.staffRecords.staffList().count == 1)

            // Someone the provider knows but whose groups map to no role here: refused.
            try await provider.setUser("bob-5678", claims: #"{"cix_groups": ["Canteen"], "preferred_username": "bob"}"#)
            let bob = try await Self.signIn(web) { try await provider.authorize($0, as: "bob-5678") }
            #expect(bob.answer.status == 403 && bob.answer.text.contains("no role on this node"))
            #expect(Self.sessionCookie(bob.answer) == nil)
            #expect(try council.node.staffRecords.staff(login: "bob") == nil)

            let refusals = try Self.refusals(council)
            #expect(refusals.contains { $0.detail.hasPrefix("state:") && $0.detail.contains("already used") })
            #expect(refusals.contains { $0.detail.hasPrefix("state:") && $0.detail.contains("another browser") })
            #expect(refusals.contains { $0.detail == "no mapped role" })
            let verify = try await CLI(data: council.node.directory.root.path).runAsync(["audit", "verify"])
            #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        } catch {
            await council.stop()
            throw error
        }
        await council.stop()
    }

    /// In real Chromium: the provider's page is another site (http, another port), so the
    /// `SameSite=Strict` session cookie set on the way back must still reach /staff.
    @Test func inChromiumTheBrowserComesBackFromTheProviderSignedIn() async throws {
        guard let provider = try await MockOpenIDProvider.start() else {
            Issue.record("oidc-provider-mock is not installed; .ci/setup installs it (pip install oidc-provider-mock)")
            return
        }
        defer { provider.stop() }
        try await provider.setUser(
            "alice-1234",
            claims: #"{"cix_groups": ["Highways"], "preferred_username": "alice", "name": "Alice Officer"}"#
        )
        let folder = TemporaryDirectory("staff-openid-browser")
        defer { folder.remove() }
        let council = try await LiveNode.start(
            "council",
            kind: .council,
            in: folder,
            toml: try Self.toml(issuer: provider.issuer, secretIn: folder),
            port: try await Browser.freePort()
        )
        let browser: Browser
        do { browser = try await Browser.start() } catch {
            await council.stop()
            throw error
        }
        do {
            try await browser.open(council.url + "/staff")
            try await browser.wait(until: "return location.pathname === '/staff/sign-in';")
            try await browser.click("a[href='/staff/openid/start']")
            try await browser.wait(until: "return location.port === '\(provider.port)';")
            try await browser.type("input[name=sub]", "alice-1234")
            try await browser.click("form button[type=submit]")
            try await browser.wait(until: "return location.pathname === '/staff' && !!document.querySelector('h1');")
            #expect(try await browser.text("h1") == "Inbox")
            #expect(try await browser.text("form.sign-out p").contains("Alice Officer"))
        } catch {
            await browser.close()
            await council.stop()
            throw error
        }
        await browser.close()
        await council.stop()
    }

    /// What a forging provider's token endpoint hands out, and the words the refusal page must use.
    enum Forgery: String, CaseIterable, Sendable {
        case wrongIssuer, wrongAudience, expired, replayedNonce, algorithmNone, keyNotInJWKS

        var words: String {
            switch self {
            case .wrongIssuer: "not by the provider this node trusts"
            case .wrongAudience: "issued for another application"
            case .expired: "expired at"
            case .replayedNonce: "does not belong to this sign-in"
            case .algorithmNone: "which is not accepted"
            case .keyNotInJWKS: "a key the provider does not publish"
            }
        }

        func token(issuer: String, nonce: String, forger: TokenForger) async throws -> String {
            var claims = ForgedClaims(
                issuer: issuer,
                audience: StaffOpenIDTests.clientID,
                nonce: nonce,
                groups: ["CIX admins"]
            )
            var signing = TokenForger.Signing.published
            switch self {
            case .wrongIssuer: claims.iss = "http://127.0.0.1:1"
            case .wrongAudience: claims.aud = ["some-other-client"]
            case .expired: claims.exp = Int(Date().timeIntervalSince1970) - 300
            case .replayedNonce: claims.nonce = "the-nonce-of-an-earlier-sign-in"
            case .algorithmNone: signing = .none
            case .keyNotInJWKS: signing = .unpublished
            }
            return try await forger.token(claims, signing: signing)
        }
    }

    @Test func forgedIdentityTokensAreRefusedWithAClearPageAndAnAuditEntry() async throws {
        // The forgery the provider's token endpoint hands out next; nil for an honest token.
        let forgery = Mutex<Forgery?>(nil)
        let provider = try await ForgingProvider.start { issuer, nonce, forger in
            guard let kind = forgery.withLock({ $0 }) else {
                return try await forger.token(
                    ForgedClaims(issuer: issuer, audience: Self.clientID, nonce: nonce, groups: ["Highways"])
                )
            }
            return try await kind.token(issuer: issuer, nonce: nonce, forger: forger)
        }
        let folder = TemporaryDirectory("staff-openid-forged")
        defer { folder.remove() }
        let council = try await LiveNode.start(
            "council",
            kind: .council,
            in: folder,
            toml: try Self.toml(issuer: provider.issuer, rolesClaim: "groups", secretIn: folder)
        )
        do {
            let web = WebClient(node: council)
            for kind in Forgery.allCases {
                forgery.withLock { $0 = kind }
                let attempt = try await Self.signIn(web) { try await provider.authorize($0) }
                #expect(attempt.answer.status == 403, "\(kind): \(attempt.answer.status)")
                #expect(attempt.answer.text.contains("was refused: the identity token"), "\(kind)")
                #expect(attempt.answer.text.contains(kind.words), "\(kind): \(attempt.answer.text.prefix(1200))")
                #expect(Self.sessionCookie(attempt.answer) == nil, "\(kind)")
            }
            let refusals = try Self.refusals(council)
            #expect(refusals.count == Forgery.allCases.count)
            for (entry, reason) in zip(
                refusals,
                ["issuer", "audience", "expired", "nonce", "algorithm", "unknown-key"]
            ) {
                #expect(entry.detail.hasPrefix("\(reason):"), "\(entry.detail)")
            }
            #expect(try council.node.staffRecords.staffList().isEmpty)
            // The same provider's honest token is taken: the refusals above were for the forgeries alone.
            forgery.withLock { $0 = nil }
            let honest = try await Self.signIn(web) { try await provider.authorize($0) }
            #expect(
                honest.answer.status == 200 && Self.sessionCookie(honest.answer) != nil,
                "\(Self.problem(honest.answer))"
            )
            #expect(try Self.refusals(council).count == Forgery.allCases.count)
        } catch {
            await council.stop()
            await provider.stop()
            throw error
        }
        await council.stop()
        await provider.stop()
    }
}
