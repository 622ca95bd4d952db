import CIXCore
import CIXStore
import PostgresNIO

/// Staff accounts, sessions, cases and the audit trail in PostgreSQL, with SQLite's rules
/// (`SQLiteStore+Staff`): every daemon sharing the store signs the same people in and
/// shows the same cases. The audit trail is chained under the writers' lock, so two
/// daemons never give two entries the same place in it.
extension PostgresStore: StaffStore {
    package func addStaff(
        login: String,
        displayName: String,
        passwordHash: String,
        totpSecret: String,
        grants: [StaffGrant],
        recoveryHashes: [String],
        at moment: Timestamp
    ) throws(StoreError) -> Int64 {
        try write("adding a staff account") { connection in
            guard try Self.account("login = \(login)", on: connection) == nil else {
                throw StoreError.conflict("an account named \(login) already exists; choose another login")
            }
            let id =
                try connection.value(
                    """
                    INSERT INTO staff_account (login, display_name, password_hash, totp_secret, grants, created_at)
                    VALUES (\(login), \(displayName), \(passwordHash), \(totpSecret), \(StaffGrant.encode(grants)),
                        \(moment.secondsSinceEpoch))
                    RETURNING id
                    """,
                    as: Int64.self
                ) ?? 0
            try Self.replaceRecoveryCodes(recoveryHashes, account: id, on: connection)
            return id
        }
    }

    package func addLinkedStaff(
        login: String,
        displayName: String,
        openID: OpenIDSubject,
        grants: [StaffGrant],
        at moment: Timestamp
    ) throws(StoreError) -> StaffAccount {
        try write("adding a staff account") { connection in
            var chosen = login
            var suffix = 1
            while try Self.account("login = \(chosen)", on: connection) != nil {
                suffix += 1
                chosen = "\(login.prefix(60))-\(suffix)"
            }
            let id =
                try connection.value(
                    """
                    INSERT INTO staff_account
                        (login, display_name, password_hash, totp_secret, grants, created_at, openid_issuer, openid_subject)
                    VALUES (\(chosen), \(displayName), '', '', \(StaffGrant.encode(grants)), \(moment.secondsSinceEpoch),
                        \(openID.issuer), \(openID.subject))
                    RETURNING id
                    """,
                    as: Int64.self
                ) ?? 0
            guard let account = try Self.account("id = \(id)", on: connection) else {
                throw StoreError.conflict("the new account \(chosen) could not be read back")
            }
            return account
        }
    }

    package func staff(openID: OpenIDSubject) throws(StoreError) -> StaffAccount? {
        try read("reading a staff account") { connection in
            try Self.account("openid_issuer = \(openID.issuer) AND openid_subject = \(openID.subject)", on: connection)
        }
    }

    package func staff(login: String) throws(StoreError) -> StaffAccount? {
        try read("reading a staff account") { connection in try Self.account("login = \(login)", on: connection) }
    }

    package func staff(id: Int64) throws(StoreError) -> StaffAccount? {
        try read("reading a staff account") { connection in try Self.account("id = \(id)", on: connection) }
    }

    package func staffList() throws(StoreError) -> [StaffAccount] {
        try read("listing staff accounts") { connection in try Self.accounts("true", on: connection) }
    }

    static func account(_ condition: PostgresQuery, on connection: PostgresConnection) throws -> StaffAccount? {
        try accounts(condition, on: connection).first
    }

    /// Accounts matching a condition, by login.
    static func accounts(_ condition: PostgresQuery, on connection: PostgresConnection) throws -> [StaffAccount] {
        try connection.rows(
            PostgresQuery(
                unsafeSQL: """
                    SELECT id, login, display_name, password_hash, totp_secret, totp_last_step, grants, failed_attempts,
                        locked_until, created_at, disabled_at, openid_issuer, openid_subject, team
                    FROM staff_account WHERE \(condition.sql) ORDER BY login
                    """,
                binds: condition.binds
            ),
            as: (
                Int64, String, String, String, String, Int64, String, Int, Int64, Int64, Int64?, String?, String?,
                String?
            )
            .self
        ).map { row in
            StaffAccount(
                id: row.0,
                login: row.1,
                displayName: row.2,
                passwordHash: row.3,
                totpSecret: row.4,
                totpLastStep: row.5,
                grants: StaffGrant.decode(row.6),
                failedAttempts: row.7,
                lockedUntil: row.8,
                createdAt: Timestamp(secondsSinceEpoch: row.9),
                disabledAt: row.10.map(Timestamp.init(secondsSinceEpoch:)),
                openID: row.11.flatMap { issuer in row.12.map { OpenIDSubject(issuer: issuer, subject: $0) } },
                team: row.13
            )
        }
    }

    static func replaceRecoveryCodes(_ hashes: [String], account: Int64, on connection: PostgresConnection) throws {
        try connection.run("DELETE FROM staff_recovery_code WHERE account = \(account)")
        guard !hashes.isEmpty else { return }
        try connection.run(
            "INSERT INTO staff_recovery_code (account, hash) SELECT \(account), unnest(\(hashes)::text[]) ON CONFLICT DO NOTHING"
        )
    }

    static func endSessions(account: Int64, at seconds: Int64, on connection: PostgresConnection) throws {
        try connection.run(
            "UPDATE staff_session SET revoked_at = \(seconds) WHERE account = \(account) AND revoked_at IS NULL"
        )
    }

    package func setGrants(_ grants: [StaffGrant], account: Int64, at moment: Timestamp) throws(StoreError) {
        try write("changing an account's roles") { connection in
            try connection.run("UPDATE staff_account SET grants = \(StaffGrant.encode(grants)) WHERE id = \(account)")
            try Self.endSessions(account: account, at: moment.secondsSinceEpoch, on: connection)
        }
    }

    package func setTeam(_ team: String?, account: Int64) throws(StoreError) {
        try write("changing an account's team") { connection in
            try connection.run("UPDATE staff_account SET team = \(team) WHERE id = \(account)")
        }
    }

    package func disableStaff(account: Int64, at moment: Timestamp) throws(StoreError) {
        try write("disabling an account") { connection in
            try connection.run(
                """
                UPDATE staff_account SET disabled_at = \(moment.secondsSinceEpoch)
                WHERE id = \(account) AND disabled_at IS NULL
                """
            )
            try Self.endSessions(account: account, at: moment.secondsSinceEpoch, on: connection)
        }
    }

    package func resetStaff(
        account: Int64,
        passwordHash: String,
        totpSecret: String,
        recoveryHashes: [String],
        at moment: Timestamp
    ) throws(StoreError) {
        try write("resetting an account") { connection in
            try connection.run(
                """
                UPDATE staff_account SET password_hash = \(passwordHash), totp_secret = \(totpSecret), totp_last_step = 0,
                    failed_attempts = 0, locked_until = 0, disabled_at = NULL
                WHERE id = \(account)
                """
            )
            try Self.replaceRecoveryCodes(recoveryHashes, account: account, on: connection)
            try Self.endSessions(account: account, at: moment.secondsSinceEpoch, on: connection)
        }
    }

    package func recordFailedSignIn(account: Int64, lockUntil: Int64?) throws(StoreError) {
        try write("counting a failed sign-in") { connection in
            if let lockUntil {
                try connection.run(
                    "UPDATE staff_account SET failed_attempts = 0, locked_until = \(lockUntil) WHERE id = \(account)"
                )
            } else {
                try connection.run(
                    "UPDATE staff_account SET failed_attempts = failed_attempts + 1 WHERE id = \(account)"
                )
            }
        }
    }

    package func takeTOTPStep(_ step: Int64, account: Int64) throws(StoreError) -> Bool {
        try write("taking a sign-in code") { connection in
            try !connection.run(
                """
                UPDATE staff_account SET totp_last_step = \(step), failed_attempts = 0
                WHERE id = \(account) AND totp_last_step < \(step) RETURNING 1
                """
            ).isEmpty
        }
    }

    package func takeRecoveryCode(hash: String, account: Int64, at moment: Timestamp) throws(StoreError) -> Bool {
        try write("taking a recovery code") { connection in
            let taken = try !connection.run(
                """
                UPDATE staff_recovery_code SET used_at = \(moment.secondsSinceEpoch)
                WHERE account = \(account) AND hash = \(hash) AND used_at IS NULL RETURNING 1
                """
            ).isEmpty
            if taken { try connection.run("UPDATE staff_account SET failed_attempts = 0 WHERE id = \(account)") }
            return taken
        }
    }

    package func recoveryCodesLeft(account: Int64) throws(StoreError) -> Int {
        try read("counting recovery codes") { connection in
            try connection.value(
                "SELECT count(*) FROM staff_recovery_code WHERE account = \(account) AND used_at IS NULL",
                as: Int.self
            ) ?? 0
        }
    }

    package func addSession(_ session: StaffSession) throws(StoreError) {
        try write("starting a session") { connection in
            try connection.run(
                """
                INSERT INTO staff_session (id, account, csrf, created_at, authenticated_at, last_seen, address)
                VALUES (\(session.id), \(session.account), \(session.csrf), \(session.createdAt),
                    \(session.authenticatedAt), \(session.lastSeen), \(session.address))
                """
            )
        }
    }

    package func session(id: String) throws(StoreError) -> StaffSession? {
        try read("reading a session") { connection in try Self.sessions("id = \(id)", on: connection).first }
    }

    package func liveSessions(account: Int64?) throws(StoreError) -> [StaffSession] {
        try read("listing sessions") { connection in
            if let account {
                return try Self.sessions("revoked_at IS NULL AND account = \(account)", on: connection)
            }
            return try Self.sessions("revoked_at IS NULL", on: connection)
        }
    }

    /// Sessions matching a condition, newest first.
    static func sessions(_ condition: PostgresQuery, on connection: PostgresConnection) throws -> [StaffSession] {
        try connection.rows(
            PostgresQuery(
                unsafeSQL: """
                    SELECT id, account, csrf, created_at, authenticated_at, last_seen, address, revoked_at
                    FROM staff_session WHERE \(condition.sql) ORDER BY created_at DESC, id
                    """,
                binds: condition.binds
            ),
            as: (String, Int64, String, Int64, Int64, Int64, String, Int64?).self
        ).map {
            StaffSession(
                id: $0.0,
                account: $0.1,
                csrf: $0.2,
                createdAt: $0.3,
                authenticatedAt: $0.4,
                lastSeen: $0.5,
                address: $0.6,
                revokedAt: $0.7
            )
        }
    }

    package func touchSession(id: String, at seconds: Int64) throws(StoreError) {
        try write("keeping a session alive") { connection in
            try connection.run("UPDATE staff_session SET last_seen = \(seconds) WHERE id = \(id)")
        }
    }

    package func revokeSession(id: String, at seconds: Int64) throws(StoreError) {
        try write("ending a session") { connection in
            try connection.run(
                "UPDATE staff_session SET revoked_at = \(seconds) WHERE id = \(id) AND revoked_at IS NULL"
            )
        }
    }

    package func addCaseNote(issue: String, author: String, text: String, at seconds: Int64) throws(StoreError) {
        try write("adding a case note") { connection in
            try connection.run(
                "INSERT INTO case_note (issue, author, at, text) VALUES (\(issue), \(author), \(seconds), \(text))"
            )
        }
    }

    package func caseNotes(issue: String) throws(StoreError) -> [CaseNote] {
        try read("reading case notes") { connection in
            try connection.rows(
                "SELECT seq, issue, author, at, text FROM case_note WHERE issue = \(issue) ORDER BY seq",
                as: (Int64, String, String, Int64, String).self
            ).map { CaseNote(seq: $0.0, issue: $0.1, author: $0.2, at: $0.3, text: $0.4) }
        }
    }

    package func assign(issue: String, to login: String?, by actor: String, at seconds: Int64) throws(StoreError) {
        try write("assigning a case") { connection in
            if let login {
                try connection.run(
                    """
                    INSERT INTO case_assignment (issue, login, assigned_by, at) VALUES (\(issue), \(login), \(actor), \(seconds))
                    ON CONFLICT (issue) DO UPDATE SET login = excluded.login, assigned_by = excluded.assigned_by,
                        at = excluded.at
                    """
                )
            } else {
                try connection.run("DELETE FROM case_assignment WHERE issue = \(issue)")
            }
        }
    }

    package func assignments(issues: [String]) throws(StoreError) -> [String: String] {
        guard !issues.isEmpty else { return [:] }
        return try read("reading assignments") { connection in
            Dictionary(
                try connection.rows(
                    "SELECT issue, login FROM case_assignment WHERE issue = ANY(\(issues))",
                    as: (String, String).self
                ),
                uniquingKeysWith: { first, _ in first }
            )
        }
    }

    package func templates() throws(StoreError) -> [ResponseTemplate] {
        try read("reading response templates") { connection in
            try connection.rows(
                "SELECT id, name, text FROM response_template ORDER BY name",
                as: (Int64, String, String).self
            )
            .map { ResponseTemplate(id: $0.0, name: $0.1, text: $0.2) }
        }
    }

    package func saveTemplate(name: String, text: String, by login: String, at seconds: Int64) throws(StoreError) {
        try write("saving a response template") { connection in
            try connection.run(
                """
                INSERT INTO response_template (name, text, updated_by, updated_at) VALUES (\(name), \(text), \(login), \(seconds))
                ON CONFLICT (name) DO UPDATE SET text = excluded.text, updated_by = excluded.updated_by,
                    updated_at = excluded.updated_at
                """
            )
        }
    }

    package func deleteTemplate(id: Int64) throws(StoreError) -> Bool {
        try write("deleting a response template") { connection in
            try !connection.run("DELETE FROM response_template WHERE id = \(id) RETURNING 1").isEmpty
        }
    }

    package func setMarker(issue: String, marker: String, by login: String, at seconds: Int64) throws(StoreError) {
        try write("marking a case") { connection in
            try connection.run(
                """
                INSERT INTO case_marker (issue, marker, set_by, at) VALUES (\(issue), \(marker), \(login), \(seconds))
                ON CONFLICT DO NOTHING
                """
            )
        }
    }

    @discardableResult
    package func clearMarker(issue: String, marker: String) throws(StoreError) -> Bool {
        try write("unmarking a case") { connection in
            try !connection.run("DELETE FROM case_marker WHERE issue = \(issue) AND marker = \(marker) RETURNING 1")
                .isEmpty
        }
    }

    package func markers(issues: [String]) throws(StoreError) -> [String: [MarkerRecord]] {
        guard !issues.isEmpty else { return [:] }
        return try read("reading case markers") { connection in
            var found: [String: [MarkerRecord]] = [:]
            for row in try connection.rows(
                "SELECT issue, marker, set_by, at FROM case_marker WHERE issue = ANY(\(issues)) ORDER BY at, marker",
                as: (String, String, String, Int64).self
            ) {
                found[row.0, default: []].append(MarkerRecord(issue: row.0, marker: row.1, by: row.2, at: row.3))
            }
            return found
        }
    }

    package func setPriority(
        issue: String,
        priority: CasePriority,
        by login: String,
        at seconds: Int64
    ) throws(StoreError) {
        try write("setting a case's priority") { connection in
            guard priority != .normal else {
                try connection.run("DELETE FROM case_priority WHERE issue = \(issue)")
                return
            }
            try connection.run(
                """
                INSERT INTO case_priority (issue, priority, set_by, at) VALUES (\(issue), \(priority.rawValue), \(login), \(seconds))
                ON CONFLICT (issue) DO UPDATE SET priority = excluded.priority, set_by = excluded.set_by, at = excluded.at
                """
            )
        }
    }

    package func priorities(issues: [String]) throws(StoreError) -> [String: CasePriority] {
        guard !issues.isEmpty else { return [:] }
        return try read("reading case priorities") { connection in
            var found: [String: CasePriority] = [:]
            for (issue, priority) in try connection.rows(
                "SELECT issue, priority FROM case_priority WHERE issue = ANY(\(issues))",
                as: (String, String).self
            ) {
                found[issue] = CasePriority(rawValue: priority)
            }
            return found
        }
    }

    package func keepOriginal(_ original: RedactedOriginal) throws(StoreError) {
        try write("keeping a removed original") { connection in
            try connection.run(
                """
                INSERT INTO redacted_original (event, issue, content, redacted_by, at, keep_until)
                VALUES (\(original.event), \(original.issue), \(original.content), \(original.redactedBy), \(original.at),
                    \(original.keepUntil))
                ON CONFLICT (event) DO UPDATE SET issue = excluded.issue, content = excluded.content,
                    redacted_by = excluded.redacted_by, at = excluded.at, keep_until = excluded.keep_until
                """
            )
        }
    }

    package func originals(issue: String, now: Int64) throws(StoreError) -> [RedactedOriginal] {
        try read("reading removed originals") { connection in
            try connection.rows(
                """
                SELECT event, issue, content, redacted_by, at, keep_until FROM redacted_original
                WHERE issue = \(issue) AND keep_until > \(now) ORDER BY at, event
                """,
                as: (String, String, String, String, Int64, Int64).self
            ).map {
                RedactedOriginal(event: $0.0, issue: $0.1, content: $0.2, redactedBy: $0.3, at: $0.4, keepUntil: $0.5)
            }
        }
    }

    @discardableResult
    package func purgeOriginals(now: Int64) throws(StoreError) -> Int {
        try write("deleting removed originals whose time is up") { connection in
            let deleted = try connection.run("DELETE FROM redacted_original WHERE keep_until <= \(now) RETURNING 1")
                .count
            if deleted > 0 { try Self.oweScrub(on: connection) }
            return deleted
        }
    }

    @discardableResult
    package func addFlag(
        issue: String,
        event: String,
        reason: String,
        note: String,
        at seconds: Int64,
        cap: Int
    ) throws(StoreError) -> Bool {
        try write("keeping a resident's flag") { connection in
            let open =
                try connection.value("SELECT count(*) FROM resident_flag WHERE event = \(event)", as: Int.self) ?? 0
            guard open < cap else { return false }
            try connection.run(
                """
                INSERT INTO resident_flag (issue, event, reason, note, at)
                VALUES (\(issue), \(event), \(reason), \(note), \(seconds))
                """
            )
            return true
        }
    }

    package func flags(limit: Int) throws(StoreError) -> [ResidentFlag] {
        try read("reading residents' flags") { connection in
            try connection.rows(
                "SELECT id, issue, event, reason, note, at FROM resident_flag ORDER BY id LIMIT \(Int64(limit))",
                as: (Int64, String, String, String, String, Int64).self
            ).map { ResidentFlag(id: $0.0, issue: $0.1, event: $0.2, reason: $0.3, note: $0.4, at: $0.5) }
        }
    }

    @discardableResult
    package func dismissFlags(event: String) throws(StoreError) -> Int {
        try write("closing residents' flags") { connection in
            try connection.run("DELETE FROM resident_flag WHERE event = \(event) RETURNING 1").count
        }
    }

    @discardableResult
    package func appendAudit(
        actor: String,
        action: String,
        subject: String,
        address: String,
        event: String?,
        detail: String,
        at seconds: Int64
    ) throws(StoreError) -> AuditEntry {
        try write("writing the audit trail") { connection in
            let last = try Self.lastAudit(on: connection)
            let draft = AuditEntry(
                seq: (last?.0 ?? 0) + 1,
                at: seconds,
                actor: actor,
                action: action,
                subject: subject,
                address: address,
                event: event,
                detail: detail,
                hash: ""
            )
            let entry = draft.with(hash: draft.expectedHash(previous: last?.1 ?? AuditEntry.genesis))
            try connection.run(
                """
                INSERT INTO audit (seq, at, actor, action, subject, address, event, detail, hash)
                VALUES (\(entry.seq), \(entry.at), \(entry.actor), \(entry.action), \(entry.subject), \(entry.address),
                    \(entry.event), \(entry.detail), \(entry.hash))
                """
            )
            return entry
        }
    }

    package func auditHead() throws(StoreError) -> AuditHead {
        try read("reading the audit trail's head") { connection in
            guard let last = try Self.lastAudit(on: connection) else {
                return AuditHead(entries: 0, head: AuditEntry.genesis)
            }
            return AuditHead(entries: last.0, head: last.1)
        }
    }

    /// The trail's last entry: its place and chain hash.
    static func lastAudit(on connection: PostgresConnection) throws -> (Int64, String)? {
        try connection.rows("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", as: (Int64, String).self).first
    }

    package func auditHash(entries: Int64) throws(StoreError) -> String? {
        guard entries > 0 else { return AuditEntry.genesis }
        return try read("reading the audit trail") { connection in
            try connection.value("SELECT hash FROM audit WHERE seq = \(entries)", as: String.self)
        }
    }

    package func auditEntries(after seq: Int64, limit: Int) throws(StoreError) -> [AuditEntry] {
        try read("reading the audit trail") { connection in
            try connection.rows(
                """
                SELECT seq, at, actor, action, subject, address, event, detail, hash FROM audit
                WHERE seq > \(seq) ORDER BY seq LIMIT \(Int64(limit))
                """,
                as: (Int64, Int64, String, String, String, String, String?, String, String).self
            ).map {
                AuditEntry(
                    seq: $0.0,
                    at: $0.1,
                    actor: $0.2,
                    action: $0.3,
                    subject: $0.4,
                    address: $0.5,
                    event: $0.6,
                    detail: $0.7,
                    hash: $0.8
                )
            }
        }
    }
}
