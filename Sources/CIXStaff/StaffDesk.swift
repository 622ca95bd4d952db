import CIXCore
import CIXStore
import Foundation

/// Staff sign-in and sessions over a node's `StaffStore`: passwords and
/// codes checked, failures throttled, sessions started, resumed, expired and
/// ended, and every step written to the audit trail.
package struct StaffDesk: Sendable {
    /// A session unused this long has ended.
    package static let idleSeconds: Int64 = 30 * 60
    /// No session lasts longer than this, however busy.
    package static let absoluteSeconds: Int64 = 12 * 3600
    /// Sensitive actions (residents' contacts, staff management) need the password and code given this recently.
    package static let recentSeconds: Int64 = 10 * 60
    /// Failed sign-ins in a row before the account waits `lockSeconds`.
    package static let failuresBeforeLock = 5
    package static let lockSeconds: Int64 = 15 * 60
    package static let logins = 1...64

    package let records: any StaffStore

    /// The node's named areas (`[staff] areas_file`): a grant may be limited only to these.
    package let areaNames: [String]

    package init(records: any StaffStore, areaNames: [String] = []) {
        self.records = records
        self.areaNames = areaNames
    }

    /// A signed-in browser: the cookie value to set, and who it is.
    package struct SignedIn: Sendable {
        package let cookie: String
        package let session: StaffSession
        package let account: StaffAccount
    }

    /// What a new or reset account is given, shown once.
    package struct Credentials: Sendable {
        package let totpSecret: String
        package let recoveryCodes: [String]
    }

    /// The session id the store keeps for a cookie value.
    package static func sessionID(cookie: String) -> String {
        SHA256Hex.hash(Array("cix-staff-session-v1:\(cookie)".utf8))
    }

    static func randomHex(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    // MARK: Sign-in

    /// Checks login, password and the TOTP or recovery code; on success starts
    /// a new session (a new id at every sign-in, so no earlier id is ever
    /// promoted). Every failure reads the same, whichever part was wrong.
    package func signIn(
        login: String,
        password: String,
        code: String,
        address: String,
        now: Int64
    ) async throws(StaffError) -> SignedIn {
        let refused = StaffError(.signInFailed, "the login, password or code is not right")
        let found: StaffAccount?
        do { found = try records.staff(login: login) } catch { throw StaffError(error) }
        guard let account = found, account.disabledAt == nil, account.openID == nil else {
            // Spend the same time as a real check, so that timing does not tell which logins exist.
            _ = try? await Passwords.verify(password, hash: Self.decoyHash)
            audit(
                actor: "-",
                action: "sign-in-refused",
                subject: login,
                address: address,
                detail: found?.openID != nil ? "signs in through OpenID Connect" : "no such enabled account",
                now: now
            )
            throw refused
        }
        if account.lockedUntil > now {
            audit(
                actor: "-",
                action: "sign-in-throttled",
                subject: login,
                address: address,
                detail: "account waiting",
                now: now
            )
            throw StaffError(
                .throttled,
                "too many failed sign-ins for this account; try again in \(Self.minutes(account.lockedUntil - now))",
                retryAfter: Int(account.lockedUntil - now)
            )
        }
        let passwordMatches = (try? await Passwords.verify(password, hash: account.passwordHash)) ?? false
        var secondFactor = false
        if passwordMatches {
            do {
                if RecoveryCodes.looksLikeCode(code) {
                    secondFactor = try records.takeRecoveryCode(
                        hash: RecoveryCodes.hash(code),
                        account: account.id,
                        at: Timestamp(secondsSinceEpoch: now)
                    )
                } else if let step = TOTPCheck(secret: account.totpSecret).matchingStep(code, at: now) {
                    secondFactor = try records.takeTOTPStep(step, account: account.id)
                }
            } catch {
                throw StaffError(error)
            }
        }
        guard passwordMatches, secondFactor else {
            let lock = account.failedAttempts + 1 >= Self.failuresBeforeLock ? now + Self.lockSeconds : nil
            try? records.recordFailedSignIn(account: account.id, lockUntil: lock)
            audit(
                actor: "-",
                action: "sign-in-refused",
                subject: login,
                address: address,
                detail: passwordMatches ? "wrong or reused code" : "wrong password",
                now: now
            )
            throw refused
        }
        let how = RecoveryCodes.looksLikeCode(code) ? "password and recovery code" : "password and TOTP code"
        return try startSession(account, authenticatedAt: now, how: how, address: address, now: now)
    }

    /// A new session (a new id at every sign-in, so no earlier id is ever promoted), recorded.
    func startSession(
        _ account: StaffAccount,
        authenticatedAt: Int64,
        how: String,
        address: String,
        now: Int64
    ) throws(StaffError) -> SignedIn {
        let cookie = Self.randomHex(32)
        let session = StaffSession(
            id: Self.sessionID(cookie: cookie),
            account: account.id,
            csrf: Self.randomHex(16),
            createdAt: now,
            authenticatedAt: authenticatedAt,
            lastSeen: now,
            address: address
        )
        do { try records.addSession(session) } catch { throw StaffError(error) }
        audit(actor: account.login, action: "sign-in", subject: account.login, address: address, detail: how, now: now)
        return SignedIn(cookie: cookie, session: session, account: account)
    }

    /// A bcrypt hash of nothing anyone knows, verified against when the login is unknown.
    static let decoyHash = Passwords.hashNow(randomHex(16))

    static func minutes(_ seconds: Int64) -> String {
        let minutes = (seconds + 59) / 60
        return minutes == 1 ? "1 minute" : "\(minutes) minutes"
    }

    // MARK: Sessions

    /// The live session of a cookie and its account, kept alive; nil if the
    /// cookie names no session or the session is revoked, idle too long, too
    /// old, or its account disabled (each ends it).
    package func resume(
        cookie: String,
        now: Int64
    ) throws(StaffError) -> (session: StaffSession, account: StaffAccount)? {
        let id = Self.sessionID(cookie: cookie)
        do {
            guard var session = try records.session(id: id), session.revokedAt == nil else { return nil }
            guard let account = try records.staff(id: session.account), account.disabledAt == nil,
                now - session.lastSeen <= Self.idleSeconds, now - session.createdAt <= Self.absoluteSeconds
            else {
                try records.revokeSession(id: id, at: now)
                return nil
            }
            if now - session.lastSeen >= 60 {
                try records.touchSession(id: id, at: now)
                session.lastSeen = now
            }
            return (session, account)
        } catch {
            throw StaffError(error)
        }
    }

    /// Whether the password and code were given recently enough for a sensitive action.
    package static func isRecent(_ session: StaffSession, now: Int64) -> Bool {
        now - session.authenticatedAt <= recentSeconds
    }

    package func signOut(cookie: String, actor: String, address: String, now: Int64) {
        try? records.revokeSession(id: Self.sessionID(cookie: cookie), at: now)
        audit(actor: actor, action: "sign-out", subject: actor, address: address, detail: "", now: now)
    }

    // MARK: Accounts (the shell and the admin pages)

    /// Checks a login: 1–64 letters, digits, dots, dashes and underscores.
    package static func loginProblem(_ login: String) -> String? {
        guard logins.contains(login.count),
            login.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })
        else {
            return "a login is 1 to 64 letters, digits, dots, dashes or underscores"
        }
        return nil
    }

    package func grantProblem(_ grants: [StaffGrant]) -> String? {
        for grant in grants where StaffRole(rawValue: grant.role) == nil {
            return "unknown role \(grant.role); roles are \(StaffRole.allCases.map(\.rawValue).joined(separator: ", "))"
        }
        for grant in grants {
            for area in grant.areas where !areaNames.contains(area) {
                return areaNames.isEmpty
                    ? "this node names no areas (set [staff] areas_file), so a grant cannot be limited to \(area)"
                    : "unknown area \(area); the areas are \(areaNames.joined(separator: ", "))"
            }
        }
        return nil
    }

    /// Adds an account; its password is hashed on the thread pool.
    package func addAccount(
        login: String,
        displayName: String,
        password: String,
        grants: [StaffGrant],
        actor: String,
        address: String,
        now: Int64
    ) async throws(StaffError) -> Credentials {
        if let problem = Self.loginProblem(login) ?? Passwords.problem(password) ?? grantProblem(grants) {
            throw StaffError(.invalidInput, problem)
        }
        let credentials = Credentials(totpSecret: TOTPCheck.newSecret(), recoveryCodes: RecoveryCodes.generate())
        let hash = try await Self.hash(password)
        do {
            _ = try records.addStaff(
                login: login,
                displayName: displayName.isEmpty ? login : displayName,
                passwordHash: hash,
                totpSecret: credentials.totpSecret,
                grants: grants,
                recoveryHashes: credentials.recoveryCodes.map(RecoveryCodes.hash),
                at: Timestamp(secondsSinceEpoch: now)
            )
        } catch {
            throw StaffError(error)
        }
        audit(
            actor: actor,
            action: "staff-add",
            subject: login,
            address: address,
            detail: Self.describe(grants),
            now: now
        )
        return credentials
    }

    /// A new password, TOTP secret and recovery codes; ends the account's sessions and lifts any lock.
    package func reset(
        login: String,
        password: String,
        actor: String,
        address: String,
        now: Int64
    )
        async throws(StaffError) -> Credentials
    {
        if let problem = Passwords.problem(password) { throw StaffError(.invalidInput, problem) }
        let account = try require(login)
        if let openID = account.openID {
            throw StaffError(
                .invalidInput,
                "\(login) signs in through \(openID.issuer) and has no password here; reset it there, or disable it"
            )
        }
        let credentials = Credentials(totpSecret: TOTPCheck.newSecret(), recoveryCodes: RecoveryCodes.generate())
        let hash = try await Self.hash(password)
        do {
            try records.resetStaff(
                account: account.id,
                passwordHash: hash,
                totpSecret: credentials.totpSecret,
                recoveryHashes: credentials.recoveryCodes.map(RecoveryCodes.hash),
                at: Timestamp(secondsSinceEpoch: now)
            )
        } catch {
            throw StaffError(error)
        }
        audit(actor: actor, action: "staff-reset", subject: login, address: address, detail: "", now: now)
        return credentials
    }

    package func grant(
        login: String,
        grants: [StaffGrant],
        actor: String,
        address: String,
        now: Int64
    ) throws(StaffError) {
        if let problem = grantProblem(grants) { throw StaffError(.invalidInput, problem) }
        let account = try require(login)
        if let openID = account.openID {
            throw StaffError(
                .invalidInput,
                "\(login)'s roles come from \(openID.issuer) at each sign-in ([staff.openid.roles]); change them there"
            )
        }
        do {
            try records.setGrants(grants, account: account.id, at: Timestamp(secondsSinceEpoch: now))
        } catch {
            throw StaffError(error)
        }
        audit(
            actor: actor,
            action: "staff-grant",
            subject: login,
            address: address,
            detail: Self.describe(grants),
            now: now
        )
    }

    /// Longest team name, in characters.
    package static let maxTeamLength = 64

    /// Puts an account in a team (nil or empty: in none). Not a privilege: sessions go on.
    package func setTeam(
        login: String,
        team: String?,
        actor: String,
        address: String,
        now: Int64
    ) throws(StaffError) {
        let name = team.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        if let name, name.count > Self.maxTeamLength || name.contains(where: { $0.isNewline }) {
            throw StaffError(.invalidInput, "a team's name is one line of at most \(Self.maxTeamLength) characters")
        }
        let account = try require(login)
        do { try records.setTeam(name, account: account.id) } catch { throw StaffError(error) }
        audit(actor: actor, action: "staff-team", subject: login, address: address, detail: name ?? "", now: now)
    }

    package func disable(login: String, actor: String, address: String, now: Int64) throws(StaffError) {
        let account = try require(login)
        do {
            try records.disableStaff(account: account.id, at: Timestamp(secondsSinceEpoch: now))
        } catch {
            throw StaffError(error)
        }
        audit(actor: actor, action: "staff-disable", subject: login, address: address, detail: "", now: now)
    }

    static func hash(_ password: String) async throws(StaffError) -> String {
        do { return try await Passwords.hash(password) } catch {
            throw StaffError(.storage, "the password could not be hashed now (the node is shutting down); try again")
        }
    }

    func require(_ login: String) throws(StaffError) -> StaffAccount {
        let found: StaffAccount?
        do { found = try records.staff(login: login) } catch { throw StaffError(error) }
        guard let account = found else {
            throw StaffError(.notFound, "no staff account is named \(login); `cix staff list` shows them")
        }
        return account
    }

    /// `case-officer (pothole, street_light; in North Ward); read-only`.
    package static func describe(_ grants: [StaffGrant]) -> String {
        grants.map { grant in
            let limits = [
                grant.categories.joined(separator: ", "),
                grant.areas.isEmpty ? "" : "in " + grant.areas.joined(separator: ", "),
            ].filter { !$0.isEmpty }
            return limits.isEmpty ? grant.role : "\(grant.role) (\(limits.joined(separator: "; ")))"
        }.joined(separator: "; ")
    }

    /// Every account and every live session, for `cix staff list`.
    package func accounts() throws(StaffError) -> (accounts: [StaffAccount], sessions: [StaffSession]) {
        do { return (try records.staffList(), try records.liveSessions(account: nil)) } catch {
            throw StaffError(error)
        }
    }

    /// The audit trail's chain, checked (`cix audit verify`, the audit page).
    package func verifyAudit() throws(StaffError) -> AuditTrail.Report {
        do { return try AuditTrail.verify(records) } catch { throw StaffError(error) }
    }

    // MARK: Audit

    /// Appends to the audit trail, best effort: for sign-in attempts, whose
    /// answer must not wait on the disk. What changes or reveals something uses `record`, which throws.
    package func audit(
        actor: String,
        action: String,
        subject: String,
        address: String,
        event: String? = nil,
        detail: String,
        now: Int64
    ) {
        try? record(
            actor: actor,
            action: action,
            subject: subject,
            address: address,
            event: event,
            detail: detail,
            now: now
        )
    }

    /// Appends to the audit trail, or throws: for views of personal data, which must not happen unrecorded.
    package func record(
        actor: String,
        action: String,
        subject: String,
        address: String,
        event: String? = nil,
        detail: String,
        now: Int64
    ) throws(StaffError) {
        do {
            try records.appendAudit(
                actor: actor,
                action: action,
                subject: subject,
                address: address,
                event: event,
                detail: detail,
                at: now
            )
        } catch {
            throw StaffError(error)
        }
    }
}
