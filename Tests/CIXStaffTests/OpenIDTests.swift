import CIXCore
import CIXSQLite
import CIXStaff
import CIXStore
import CIXTesting
import Foundation
import JWTKit
import Testing

/// ID tokens, right and forged, checked as a node checks what its provider
/// sends (real ES256 signatures); roles mapped from claims; accounts linked
/// by issuer and subject on a real SQLite store.
@Suite("OpenID Connect sign-in")
struct OpenIDTests {
    static let issuer = "https://login.example.gov.uk"
    static let clientID = "cix-council"
    static let nonce = "n-0S6_WzA2Mj"
    let check = IDTokenCheck(issuer: issuer, clientID: clientID, rolesClaim: "groups")
    let forger = TokenForger()

    /// Each way a token can be wrong, and the refusal it must get.
    enum Forgery: String, CaseIterable, Sendable {
        case wrongIssuer, wrongAudience, extraAudienceWithoutPresenter, otherPresenter, expired, issuedInFuture
        case wrongNonce, noNonce, noSubject, algorithmNone, unpublishedKey, impostorKey, notAJWT

        var refusal: String {
            switch self {
            case .wrongIssuer: "issuer"
            case .wrongAudience: "audience"
            case .extraAudienceWithoutPresenter, .otherPresenter: "presenter"
            case .expired: "expired"
            case .issuedInFuture: "issued-in-future"
            case .wrongNonce, .noNonce: "nonce"
            case .noSubject: "subject"
            case .algorithmNone: "algorithm"
            case .unpublishedKey: "unknown-key"
            case .impostorKey: "signature"
            case .notAJWT: "malformed"
            }
        }

        func token(_ forger: TokenForger) async throws -> String {
            var claims = ForgedClaims(
                issuer: OpenIDTests.issuer,
                audience: OpenIDTests.clientID,
                nonce: OpenIDTests.nonce,
                groups: ["Highways"]
            )
            var signing = TokenForger.Signing.published
            let now = Int(Date().timeIntervalSince1970)
            switch self {
            case .wrongIssuer: claims.iss = "https://login.example.gov.uk/evil"
            case .wrongAudience: claims.aud = ["another-app"]
            case .extraAudienceWithoutPresenter: claims.aud = [OpenIDTests.clientID, "another-app"]
            case .otherPresenter: claims.azp = "another-app"
            case .expired: claims.exp = now - 120
            case .issuedInFuture: claims.iat = now + 3600
            case .wrongNonce: claims.nonce = "a-nonce-from-another-sign-in"
            case .noNonce: claims.nonce = nil
            case .noSubject: claims.sub = nil
            case .algorithmNone: signing = .none
            case .unpublishedKey: signing = .unpublished
            case .impostorKey: signing = .impostor
            case .notAJWT: return "not.a-token"
            }
            return try await forger.token(claims, signing: signing)
        }
    }

    func keys() throws -> JWKS { try JSONDecoder().decode(JWKS.self, from: Data(forger.jwks.utf8)) }

    @Test func aGoodTokenGivesTheIdentity() async throws {
        var claims = ForgedClaims(
            issuer: Self.issuer,
            audience: Self.clientID,
            nonce: Self.nonce,
            groups: ["Highways", "All staff"]
        )
        claims.aud = [Self.clientID, "another-app"]
        claims.azp = Self.clientID
        let token = try await forger.token(claims)
        let now = Int64(Date().timeIntervalSince1970)
        let identity = try await check.check(token, keys: try keys(), nonce: Self.nonce, now: now)
        #expect(identity.subject == OpenIDSubject(issuer: Self.issuer, subject: "alice-1234"))
        #expect(identity.displayName == "Alice Example" && identity.loginHint == "alice")
        #expect(identity.roleValues == ["Highways", "All staff"])
        #expect(identity.authenticatedAt == now)
    }

    @Test(arguments: Forgery.allCases)
    func aForgedTokenIsRefusedWithItsReason(_ forgery: Forgery) async throws {
        let token = try await forgery.token(forger)
        let now = Int64(Date().timeIntervalSince1970)
        let keys = try keys()
        do throws(IDTokenCheck.Refusal) {
            let identity = try await check.check(token, keys: keys, nonce: Self.nonce, now: now)
            Issue.record("\(forgery) was accepted as \(identity.subject)")
        } catch {
            #expect(error.reason == forgery.refusal, "\(forgery): \(error.message)")
            #expect(!error.message.isEmpty && !error.message.contains(token))
        }
    }

    @Test func rolesMapFromClaimValuesAndAnUnknownRoleIsAConfigError() throws {
        let mapping = try RoleMapping([
            "Highways": "case-officer:pothole, street_light", "CIX admins": "org-admin", "Web team": "moderator",
        ])
        #expect(
            mapping.grants(for: ["Highways", "Canteen", "Highways"]) == [
                StaffGrant(role: "case-officer", categories: ["pothole", "street_light"])
            ]
        )
        #expect(mapping.grants(for: ["CIX admins", "Web team"]).map(\.role) == ["moderator", "org-admin"])
        #expect(mapping.grants(for: ["Canteen"]).isEmpty)
        #expect(throws: StaffError.self) { try RoleMapping(["Highways": "chief-wizard"]) }
    }

    @Test func rolesMayBeLimitedToNamedAreas() throws {
        let wards = ["North Ward", "Riverside"]
        let mapping = try RoleMapping(
            [
                "Riverside beat": "case-officer:antisocial_behaviour@Riverside",
                "North team": "read-only@North Ward, Riverside",
            ],
            areaNames: wards
        )
        #expect(
            mapping.grants(for: ["Riverside beat"]) == [
                StaffGrant(role: "case-officer", categories: ["antisocial_behaviour"], areas: ["Riverside"])
            ]
        )
        #expect(mapping.grants(for: ["North team"]) == [StaffGrant(role: "read-only", areas: wards)])
        #expect {
            try RoleMapping(["Beat": "case-officer@Hilltop"], areaNames: wards)
        } throws: { error in
            (error as? StaffError)?.message
                == "[staff.openid.roles] \"Beat\" = \"case-officer@Hilltop\": unknown area Hilltop; [staff] areas_file names North Ward, Riverside"
        }
    }

    @Test func accountsAreLinkedBySubjectAndTheirRolesFollowTheProvider() throws {
        let folder = TemporaryDirectory("openid-desk")
        defer { folder.remove() }
        let store = try SQLiteStore(path: folder.file("store.sqlite").path)
        let desk = StaffDesk(records: store)
        let now: Int64 = 1_900_000_000
        func identity(_ subject: String, hint: String = "alice") -> IDTokenCheck.Identity {
            IDTokenCheck.Identity(
                subject: OpenIDSubject(issuer: Self.issuer, subject: subject),
                displayName: "Alice Example",
                loginHint: hint,
                roleValues: [],
                authenticatedAt: now - 30
            )
        }
        let officer = [StaffGrant(role: "case-officer", categories: ["pothole"])]
        let first = try desk.signIn(identity: identity("alice-1234"), grants: officer, address: "192.0.2.1", now: now)
        #expect(first.account.login == "alice" && first.account.openID?.subject == "alice-1234")
        #expect(first.session.authenticatedAt == now - 30)
        // The same person again: the same account, with the roles the provider gives now.
        let supervisor = [StaffGrant(role: "supervisor")]
        let second = try desk.signIn(
            identity: identity("alice-1234"),
            grants: supervisor,
            address: "192.0.2.1",
            now: now + 60
        )
        #expect(second.account.id == first.account.id && second.account.grants == supervisor)
        #expect(try desk.resume(cookie: first.cookie, now: now + 61) == nil, "a role change ends older sessions")
        // Another person whose provider calls them "alice" too: a different account, never merged by name.
        let other = try desk.signIn(identity: identity("alice-9999"), grants: officer, address: "192.0.2.2", now: now)
        #expect(other.account.id != first.account.id && other.account.login == "alice-2")
        // No mapped role: refused, and recorded.
        #expect(throws: StaffError.self) {
            try desk.signIn(identity: identity("alice-1234"), grants: [], address: "192.0.2.1", now: now + 120)
        }
        // Such an account has no password here, and the shell cannot give it one or change its roles.
        #expect(throws: StaffError.self) {
            try desk.grant(login: "alice", grants: officer, actor: "cli:test", address: "shell", now: now)
        }
        let entries = try store.auditEntries(after: 0, limit: 100)
        #expect(entries.contains { $0.action == "sign-in-refused" && $0.detail == "no mapped role" })
        #expect(entries.filter { $0.action == "sign-in" }.count == 3)
        #expect(try desk.verifyAudit().sound)
    }
}
