import CIXCore
import CIXSQLite
import CIXStaff
import CIXStore
import CIXTesting
import Foundation
import GRDB
import Testing

/// Sign-in, throttling and sessions on a real SQLite store.
@Suite("Staff desk")
struct StaffDeskTests {
    let folder = TemporaryDirectory("staff-desk")

    func desk() throws -> (StaffDesk, SQLiteStore) {
        let store = try SQLiteStore(path: folder.file("store.sqlite").path)
        return (StaffDesk(records: store), store)
    }

    static let password = "correct horse battery"
    static let start: Int64 = 1_900_000_000

    /// An officer account; returns its TOTP secret and recovery codes.
    func addOfficer(_ desk: StaffDesk, login: String = "olive") async throws -> StaffDesk.Credentials {
        try await desk.addAccount(
            login: login,
            displayName: "Olive Officer",
            password: Self.password,
            grants: [StaffGrant(role: "case-officer", categories: ["pothole"])],
            actor: "cli:test",
            address: "shell",
            now: Self.start
        )
    }

    @Test func signInNeedsPasswordAndAnUnusedCode() async throws {
        defer { folder.remove() }
        let (desk, store) = try desk()
        let credentials = try await addOfficer(desk)
        let check = TOTPCheck(secret: credentials.totpSecret)
        let now = Self.start + 100
        let code = check.code(step: now / 30)

        await #expect(throws: StaffError.self) {
            try await desk.signIn(login: "olive", password: "wrong password here", code: code, address: "a", now: now)
        }
        await #expect(throws: StaffError.self) {
            try await desk.signIn(login: "olive", password: Self.password, code: "000000", address: "a", now: now)
        }
        await #expect(throws: StaffError.self) {
            try await desk.signIn(login: "nobody", password: Self.password, code: code, address: "a", now: now)
        }
        let signedIn = try await desk.signIn(
            login: "olive",
            password: Self.password,
            code: code,
            address: "a",
            now: now
        )
        #expect(signedIn.cookie.count == 64)
        #expect(signedIn.session.id == StaffDesk.sessionID(cookie: signedIn.cookie))
        // The cookie's secret is not stored, only its hash.
        #expect(try store.session(id: signedIn.cookie) == nil)
        // The same code again (a replay within its 30 s) is refused, and so is the step before it.
        do {
            _ = try await desk.signIn(login: "olive", password: Self.password, code: code, address: "a", now: now + 1)
            Issue.record("a used code was accepted again")
        } catch {
            #expect(error.code == .signInFailed)
            #expect(error.message == "the login, password or code is not right")
        }
        await #expect(throws: StaffError.self) {
            try await desk.signIn(
                login: "olive",
                password: Self.password,
                code: check.code(step: now / 30 - 1),
                address: "a",
                now: now + 1
            )
        }
        // The next step's code works: each sign-in gets a new session id.
        let again = try await desk.signIn(
            login: "olive",
            password: Self.password,
            code: check.code(step: now / 30 + 1),
            address: "a",
            now: now + 31
        )
        #expect(again.session.id != signedIn.session.id)
    }

    @Test func recoveryCodesWorkOnce() async throws {
        defer { folder.remove() }
        let (desk, store) = try desk()
        let credentials = try await addOfficer(desk)
        let account = try #require(try store.staff(login: "olive"))
        #expect(try store.recoveryCodesLeft(account: account.id) == 10)
        let code = credentials.recoveryCodes[3]
        _ = try await desk.signIn(login: "olive", password: Self.password, code: code, address: "a", now: Self.start)
        #expect(try store.recoveryCodesLeft(account: account.id) == 9)
        await #expect(throws: StaffError.self) {
            try await desk.signIn(
                login: "olive",
                password: Self.password,
                code: code,
                address: "a",
                now: Self.start + 5
            )
        }
    }

    @Test func repeatedFailuresLockTheAccount() async throws {
        defer { folder.remove() }
        let (desk, _) = try desk()
        let credentials = try await addOfficer(desk)
        let check = TOTPCheck(secret: credentials.totpSecret)
        var now = Self.start
        for _ in 0..<StaffDesk.failuresBeforeLock {
            await #expect(throws: StaffError.self) {
                try await desk.signIn(
                    login: "olive",
                    password: "not the password",
                    code: "123456",
                    address: "a",
                    now: now
                )
            }
            now += 1
        }
        // Locked: even the right password and code wait.
        do {
            _ = try await desk.signIn(
                login: "olive",
                password: Self.password,
                code: check.code(step: now / 30),
                address: "b",
                now: now
            )
            Issue.record("a locked account signed in")
        } catch {
            #expect(error.code == .throttled)
            #expect(error.message == "too many failed sign-ins for this account; try again in 15 minutes")
            // Locked at the fifth failure, one second before this attempt.
            #expect(error.retryAfter == Int(StaffDesk.lockSeconds) - 1)
        }
        let later = now + StaffDesk.lockSeconds + 1
        _ = try await desk.signIn(
            login: "olive",
            password: Self.password,
            code: check.code(step: later / 30),
            address: "a",
            now: later
        )
    }

    @Test func sessionsEndWhenIdleTooOldRevokedOrDisabled() async throws {
        defer { folder.remove() }
        let (desk, store) = try desk()
        let credentials = try await addOfficer(desk)
        let check = TOTPCheck(secret: credentials.totpSecret)
        var step = Self.start / 30
        func signIn(_ at: Int64) async throws -> StaffDesk.SignedIn {
            step = max(step + 1, at / 30)
            return try await desk.signIn(
                login: "olive",
                password: Self.password,
                code: check.code(step: step),
                address: "a",
                now: step * 30
            )
        }

        // Idle: 30 minutes unused ends it.
        let idle = try await signIn(Self.start)
        let t0 = idle.session.createdAt
        #expect(try desk.resume(cookie: idle.cookie, now: t0 + StaffDesk.idleSeconds) != nil)
        #expect(try desk.resume(cookie: idle.cookie, now: t0 + 2 * StaffDesk.idleSeconds + 1) == nil)
        #expect(try store.session(id: idle.session.id)?.revokedAt != nil)

        // Busy, but 12 hours is the cap.
        let busy = try await signIn(Self.start + 10_000)
        var t = busy.session.createdAt
        while t + 20 * 60 <= busy.session.createdAt + StaffDesk.absoluteSeconds {
            t += 20 * 60
            #expect(try desk.resume(cookie: busy.cookie, now: t) != nil)
        }
        #expect(
            try desk.resume(cookie: busy.cookie, now: busy.session.createdAt + StaffDesk.absoluteSeconds + 1) == nil
        )

        // Revoked (signed out), and a privilege change: the session ends at once.
        let first = try await signIn(Self.start + 100_000)
        desk.signOut(cookie: first.cookie, actor: "olive", address: "a", now: first.session.createdAt + 1)
        #expect(try desk.resume(cookie: first.cookie, now: first.session.createdAt + 2) == nil)
        let second = try await signIn(Self.start + 200_000)
        try desk.grant(
            login: "olive",
            grants: [StaffGrant(role: "read-only")],
            actor: "admin",
            address: "a",
            now: second.session.createdAt + 1
        )
        #expect(try desk.resume(cookie: second.cookie, now: second.session.createdAt + 2) == nil)

        // Disabled: refused at sign-in, sessions gone.
        let third = try await signIn(Self.start + 300_000)
        try desk.disable(login: "olive", actor: "admin", address: "a", now: third.session.createdAt + 1)
        #expect(try desk.resume(cookie: third.cookie, now: third.session.createdAt + 2) == nil)
        await #expect(throws: StaffError.self) { try await signIn(Self.start + 400_000) }
        // A cookie nobody issued names no session.
        #expect(try desk.resume(cookie: String(repeating: "a", count: 64), now: Self.start) == nil)
    }

    @Test func accountsAreCheckedWhenAdded() async throws {
        defer { folder.remove() }
        let (desk, _) = try desk()
        _ = try await addOfficer(desk)
        for (login, password, role, message) in [
            ("olive", Self.password, "case-officer", "an account named olive already exists; choose another login"),
            (
                "bad login!", Self.password, "case-officer",
                "a login is 1 to 64 letters, digits, dots, dashes or underscores"
            ),
            ("pat", "short", "case-officer", "the password must be at least 12 characters"),
            (
                "pat", Self.password, "superuser",
                "unknown role superuser; roles are org-admin, supervisor, case-officer, moderator, analyst, read-only"
            ),
        ] {
            do {
                _ = try await desk.addAccount(
                    login: login,
                    displayName: "",
                    password: password,
                    grants: [StaffGrant(role: role)],
                    actor: "t",
                    address: "shell",
                    now: Self.start
                )
                Issue.record("\(login) was added")
            } catch {
                #expect(error.message == message)
            }
        }
    }
}
