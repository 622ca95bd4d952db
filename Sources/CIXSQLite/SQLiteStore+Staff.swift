import CIXCore
import CIXStore
import GRDB

extension SQLiteStore: StaffStore {
    package func addStaff(
        login: String,
        displayName: String,
        passwordHash: String,
        totpSecret: String,
        grants: [StaffGrant],
        recoveryHashes: [String],
        at moment: Timestamp
    ) throws(StoreError) -> Int64 {
        try write("adding a staff account") { db in
            if try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM staff_account WHERE login = ?)",
                arguments: [login]
            )
                == true
            {
                throw StoreError.conflict("an account named \(login) already exists; choose another login")
            }
            try db.execute(
                sql: """
                    INSERT INTO staff_account (login, display_name, password_hash, totp_secret, grants, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    login, displayName, passwordHash, totpSecret, StaffGrant.encode(grants), moment.secondsSinceEpoch,
                ]
            )
            let id = db.lastInsertedRowID
            try Self.insertRecoveryCodes(recoveryHashes, account: id, db: db)
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
        try write("adding a staff account") { db in
            var chosen = login
            var suffix = 1
            while try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM staff_account WHERE login = ?)",
                arguments: [chosen]
            ) == true {
                suffix += 1
                chosen = "\(login.prefix(60))-\(suffix)"
            }
            try db.execute(
                sql: """
                    INSERT INTO staff_account
                        (login, display_name, password_hash, totp_secret, grants, created_at, openid_issuer, openid_subject)
                    VALUES (?, ?, '', '', ?, ?, ?, ?)
                    """,
                arguments: [
                    chosen, displayName, StaffGrant.encode(grants), moment.secondsSinceEpoch, openID.issuer,
                    openID.subject,
                ]
            )
            let id = db.lastInsertedRowID
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM staff_account WHERE id = ?", arguments: [id])
            else { throw StoreError.conflict("the new account \(chosen) could not be read back") }
            return Self.account(row)
        }
    }

    package func staff(openID: OpenIDSubject) throws(StoreError) -> StaffAccount? {
        try read("reading a staff account") { db in
            try Row.fetchOne(
                db,
                sql: "SELECT * FROM staff_account WHERE openid_issuer = ? AND openid_subject = ?",
                arguments: [openID.issuer, openID.subject]
            ).map(Self.account)
        }
    }

    private static func insertRecoveryCodes(_ hashes: [String], account: Int64, db: Database) throws {
        try db.execute(sql: "DELETE FROM staff_recovery_code WHERE account = ?", arguments: [account])
        for hash in hashes {
            try db.execute(
                sql: "INSERT INTO staff_recovery_code (account, hash) VALUES (?, ?)",
                arguments: [account, hash]
            )
        }
    }

    private static func account(_ row: Row) -> StaffAccount {
        StaffAccount(
            id: row["id"],
            login: row["login"],
            displayName: row["display_name"],
            passwordHash: row["password_hash"],
            totpSecret: row["totp_secret"],
            totpLastStep: row["totp_last_step"],
            grants: StaffGrant.decode(row["grants"]),
            failedAttempts: row["failed_attempts"],
            lockedUntil: row["locked_until"],
            createdAt: Timestamp(secondsSinceEpoch: row["created_at"]),
            disabledAt: (row["disabled_at"] as Int64?).map { Timestamp(secondsSinceEpoch: $0) },
            openID: (row["openid_issuer"] as String?).flatMap { issuer in
                (row["openid_subject"] as String?).map { OpenIDSubject(issuer: issuer, subject: $0) }
            },
            team: row["team"]
        )
    }

    package func staff(login: String) throws(StoreError) -> StaffAccount? {
        try read("reading a staff account") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM staff_account WHERE login = ?", arguments: [login]).map(
                Self.account
            )
        }
    }

    package func staff(id: Int64) throws(StoreError) -> StaffAccount? {
        try read("reading a staff account") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM staff_account WHERE id = ?", arguments: [id]).map(Self.account)
        }
    }

    package func staffList() throws(StoreError) -> [StaffAccount] {
        try read("listing staff accounts") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM staff_account ORDER BY login").map(Self.account)
        }
    }

    package func setGrants(_ grants: [StaffGrant], account: Int64, at moment: Timestamp) throws(StoreError) {
        try write("changing an account's roles") { db in
            try db.execute(
                sql: "UPDATE staff_account SET grants = ? WHERE id = ?",
                arguments: [StaffGrant.encode(grants), account]
            )
            try Self.endSessions(account: account, at: moment.secondsSinceEpoch, db: db)
        }
    }

    package func setTeam(_ team: String?, account: Int64) throws(StoreError) {
        try write("changing an account's team") { db in
            try db.execute(sql: "UPDATE staff_account SET team = ? WHERE id = ?", arguments: [team, account])
        }
    }

    package func disableStaff(account: Int64, at moment: Timestamp) throws(StoreError) {
        try write("disabling an account") { db in
            try db.execute(
                sql: "UPDATE staff_account SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL",
                arguments: [moment.secondsSinceEpoch, account]
            )
            try Self.endSessions(account: account, at: moment.secondsSinceEpoch, db: db)
        }
    }

    package func resetStaff(
        account: Int64,
        passwordHash: String,
        totpSecret: String,
        recoveryHashes: [String],
        at moment: Timestamp
    ) throws(StoreError) {
        try write("resetting an account") { db in
            try db.execute(
                sql: """
                    UPDATE staff_account SET password_hash = ?, totp_secret = ?, totp_last_step = 0,
                        failed_attempts = 0, locked_until = 0, disabled_at = NULL
                    WHERE id = ?
                    """,
                arguments: [passwordHash, totpSecret, account]
            )
            try Self.insertRecoveryCodes(recoveryHashes, account: account, db: db)
            try Self.endSessions(account: account, at: moment.secondsSinceEpoch, db: db)
        }
    }

    private static func endSessions(account: Int64, at seconds: Int64, db: Database) throws {
        try db.execute(
            sql: "UPDATE staff_session SET revoked_at = ? WHERE account = ? AND revoked_at IS NULL",
            arguments: [seconds, account]
        )
    }

    package func recordFailedSignIn(account: Int64, lockUntil: Int64?) throws(StoreError) {
        try write("counting a failed sign-in") { db in
            if let lockUntil {
                try db.execute(
                    sql: "UPDATE staff_account SET failed_attempts = 0, locked_until = ? WHERE id = ?",
                    arguments: [lockUntil, account]
                )
            } else {
                try db.execute(
                    sql: "UPDATE staff_account SET failed_attempts = failed_attempts + 1 WHERE id = ?",
                    arguments: [account]
                )
            }
        }
    }

    package func takeTOTPStep(_ step: Int64, account: Int64) throws(StoreError) -> Bool {
        try write("taking a sign-in code") { db in
            try db.execute(
                sql: """
                    UPDATE staff_account SET totp_last_step = ?, failed_attempts = 0
                    WHERE id = ? AND totp_last_step < ?
                    """,
                arguments: [step, account, step]
            )
            return db.changesCount == 1
        }
    }

    package func takeRecoveryCode(hash: String, account: Int64, at moment: Timestamp) throws(StoreError) -> Bool {
        try write("taking a recovery code") { db in
            try db.execute(
                sql: "UPDATE staff_recovery_code SET used_at = ? WHERE account = ? AND hash = ? AND used_at IS NULL",
                arguments: [moment.secondsSinceEpoch, account, hash]
            )
            guard db.changesCount == 1 else { return false }
            try db.execute(sql: "UPDATE staff_account SET failed_attempts = 0 WHERE id = ?", arguments: [account])
            return true
        }
    }

    package func recoveryCodesLeft(account: Int64) throws(StoreError) -> Int {
        try read("counting recovery codes") { db in
            try Int.fetchOne(
                db,
                sql: "SELECT count(*) FROM staff_recovery_code WHERE account = ? AND used_at IS NULL",
                arguments: [account]
            ) ?? 0
        }
    }

    private static func session(_ row: Row) -> StaffSession {
        StaffSession(
            id: row["id"],
            account: row["account"],
            csrf: row["csrf"],
            createdAt: row["created_at"],
            authenticatedAt: row["authenticated_at"],
            lastSeen: row["last_seen"],
            address: row["address"],
            revokedAt: row["revoked_at"]
        )
    }

    package func addSession(_ session: StaffSession) throws(StoreError) {
        try write("starting a session") { db in
            try db.execute(
                sql: """
                    INSERT INTO staff_session (id, account, csrf, created_at, authenticated_at, last_seen, address)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.id, session.account, session.csrf, session.createdAt, session.authenticatedAt,
                    session.lastSeen, session.address,
                ]
            )
        }
    }

    package func session(id: String) throws(StoreError) -> StaffSession? {
        try read("reading a session") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM staff_session WHERE id = ?", arguments: [id]).map(Self.session)
        }
    }

    package func liveSessions(account: Int64?) throws(StoreError) -> [StaffSession] {
        try read("listing sessions") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM staff_session WHERE revoked_at IS NULL AND (? IS NULL OR account = ?)
                    ORDER BY created_at DESC
                    """,
                arguments: [account, account]
            ).map(Self.session)
        }
    }

    package func touchSession(id: String, at seconds: Int64) throws(StoreError) {
        try write("keeping a session alive") { db in
            try db.execute(sql: "UPDATE staff_session SET last_seen = ? WHERE id = ?", arguments: [seconds, id])
        }
    }

    package func revokeSession(id: String, at seconds: Int64) throws(StoreError) {
        try write("ending a session") { db in
            try db.execute(
                sql: "UPDATE staff_session SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [seconds, id]
            )
        }
    }

    package func addCaseNote(issue: String, author: String, text: String, at seconds: Int64) throws(StoreError) {
        try write("adding a case note") { db in
            try db.execute(
                sql: "INSERT INTO case_note (issue, author, at, text) VALUES (?, ?, ?, ?)",
                arguments: [issue, author, seconds, text]
            )
        }
    }

    package func caseNotes(issue: String) throws(StoreError) -> [CaseNote] {
        try read("reading case notes") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM case_note WHERE issue = ? ORDER BY seq", arguments: [issue]).map {
                CaseNote(seq: $0["seq"], issue: $0["issue"], author: $0["author"], at: $0["at"], text: $0["text"])
            }
        }
    }

    package func assign(issue: String, to login: String?, by actor: String, at seconds: Int64) throws(StoreError) {
        try write("assigning a case") { db in
            if let login {
                try db.execute(
                    sql: """
                        INSERT INTO case_assignment (issue, login, assigned_by, at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (issue) DO UPDATE SET login = excluded.login, assigned_by = excluded.assigned_by,
                            at = excluded.at
                        """,
                    arguments: [issue, login, actor, seconds]
                )
            } else {
                try db.execute(sql: "DELETE FROM case_assignment WHERE issue = ?", arguments: [issue])
            }
        }
    }

    package func assignments(issues: [String]) throws(StoreError) -> [String: String] {
        guard !issues.isEmpty else { return [:] }
        return try read("reading assignments") { db in
            let marks = Array(repeating: "?", count: issues.count).joined(separator: ", ")
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT issue, login FROM case_assignment WHERE issue IN (\(marks))",
                arguments: StatementArguments(issues)
            )
            return Dictionary(rows.map { ($0["issue"], $0["login"]) }, uniquingKeysWith: { first, _ in first })
        }
    }

    package func templates() throws(StoreError) -> [ResponseTemplate] {
        try read("reading response templates") { db in
            try Row.fetchAll(db, sql: "SELECT id, name, text FROM response_template ORDER BY name").map {
                ResponseTemplate(id: $0["id"], name: $0["name"], text: $0["text"])
            }
        }
    }

    package func saveTemplate(name: String, text: String, by login: String, at seconds: Int64) throws(StoreError) {
        try write("saving a response template") { db in
            try db.execute(
                sql: """
                    INSERT INTO response_template (name, text, updated_by, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET text = excluded.text, updated_by = excluded.updated_by,
                        updated_at = excluded.updated_at
                    """,
                arguments: [name, text, login, seconds]
            )
        }
    }

    package func deleteTemplate(id: Int64) throws(StoreError) -> Bool {
        try write("deleting a response template") { db in
            try db.execute(sql: "DELETE FROM response_template WHERE id = ?", arguments: [id])
            return db.changesCount == 1
        }
    }

    package func setMarker(issue: String, marker: String, by login: String, at seconds: Int64) throws(StoreError) {
        try write("marking a case") { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO case_marker (issue, marker, set_by, at) VALUES (?, ?, ?, ?)",
                arguments: [issue, marker, login, seconds]
            )
        }
    }

    @discardableResult
    package func clearMarker(issue: String, marker: String) throws(StoreError) -> Bool {
        try write("unmarking a case") { db in
            try db.execute(sql: "DELETE FROM case_marker WHERE issue = ? AND marker = ?", arguments: [issue, marker])
            return db.changesCount == 1
        }
    }

    package func markers(issues: [String]) throws(StoreError) -> [String: [MarkerRecord]] {
        guard !issues.isEmpty else { return [:] }
        return try read("reading case markers") { db in
            var found: [String: [MarkerRecord]] = [:]
            for chunk in stride(from: 0, to: issues.count, by: 500).map({
                Array(issues[$0..<min($0 + 500, issues.count)])
            }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                for row in try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM case_marker WHERE issue IN (\(marks)) ORDER BY at, marker",
                    arguments: StatementArguments(chunk)
                ) {
                    let record = MarkerRecord(
                        issue: row["issue"],
                        marker: row["marker"],
                        by: row["set_by"],
                        at: row["at"]
                    )
                    found[record.issue, default: []].append(record)
                }
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
        try write("setting a case's priority") { db in
            guard priority != .normal else {
                try db.execute(sql: "DELETE FROM case_priority WHERE issue = ?", arguments: [issue])
                return
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO case_priority (issue, priority, set_by, at) VALUES (?, ?, ?, ?)",
                arguments: [issue, priority.rawValue, login, seconds]
            )
        }
    }

    package func priorities(issues: [String]) throws(StoreError) -> [String: CasePriority] {
        guard !issues.isEmpty else { return [:] }
        return try read("reading case priorities") { db in
            var found: [String: CasePriority] = [:]
            for chunk in stride(from: 0, to: issues.count, by: 500).map({
                Array(issues[$0..<min($0 + 500, issues.count)])
            }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                for row in try Row.fetchAll(
                    db,
                    sql: "SELECT issue, priority FROM case_priority WHERE issue IN (\(marks))",
                    arguments: StatementArguments(chunk)
                ) {
                    found[row[0]] = CasePriority(rawValue: row[1])
                }
            }
            return found
        }
    }

    package func keepOriginal(_ original: RedactedOriginal) throws(StoreError) {
        try write("keeping a removed original") { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO redacted_original (event, issue, content, redacted_by, at, keep_until)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    original.event, original.issue, original.content, original.redactedBy, original.at,
                    original.keepUntil,
                ]
            )
        }
    }

    package func originals(issue: String, now: Int64) throws(StoreError) -> [RedactedOriginal] {
        try read("reading removed originals") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM redacted_original WHERE issue = ? AND keep_until > ? ORDER BY at, event",
                arguments: [issue, now]
            ).map {
                RedactedOriginal(
                    event: $0["event"],
                    issue: $0["issue"],
                    content: $0["content"],
                    redactedBy: $0["redacted_by"],
                    at: $0["at"],
                    keepUntil: $0["keep_until"]
                )
            }
        }
    }

    @discardableResult
    package func purgeOriginals(now: Int64) throws(StoreError) -> Int {
        try write("deleting removed originals whose time is up") { db in
            try db.execute(sql: "DELETE FROM redacted_original WHERE keep_until <= ?", arguments: [now])
            let deleted = db.changesCount
            if deleted > 0 { try Self.oweScrub(db) }
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
        try write("keeping a resident's flag") { db in
            let open = try Int.fetchOne(
                db,
                sql: "SELECT count(*) FROM resident_flag WHERE event = ?",
                arguments: [event]
            )
            guard (open ?? 0) < cap else { return false }
            try db.execute(
                sql: "INSERT INTO resident_flag (issue, event, reason, note, at) VALUES (?, ?, ?, ?, ?)",
                arguments: [issue, event, reason, note, seconds]
            )
            return true
        }
    }

    package func flags(limit: Int) throws(StoreError) -> [ResidentFlag] {
        try read("reading residents' flags") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM resident_flag ORDER BY id LIMIT ?", arguments: [limit]).map {
                row in
                ResidentFlag(
                    id: row["id"],
                    issue: row["issue"],
                    event: row["event"],
                    reason: row["reason"],
                    note: row["note"],
                    at: row["at"]
                )
            }
        }
    }

    @discardableResult
    package func dismissFlags(event: String) throws(StoreError) -> Int {
        try write("closing residents' flags") { db in
            try db.execute(sql: "DELETE FROM resident_flag WHERE event = ?", arguments: [event])
            return db.changesCount
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
        try write("writing the audit trail") { db in
            let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
            let draft = AuditEntry(
                seq: (last?["seq"] as Int64? ?? 0) + 1,
                at: seconds,
                actor: actor,
                action: action,
                subject: subject,
                address: address,
                event: event,
                detail: detail,
                hash: ""
            )
            let entry = draft.with(hash: draft.expectedHash(previous: last?["hash"] ?? AuditEntry.genesis))
            try db.execute(
                sql: """
                    INSERT INTO audit (seq, at, actor, action, subject, address, event, detail, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    entry.seq, entry.at, entry.actor, entry.action, entry.subject, entry.address, entry.event,
                    entry.detail, entry.hash,
                ]
            )
            return entry
        }
    }

    package func auditHead() throws(StoreError) -> AuditHead {
        try read("reading the audit trail's head") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1") else {
                return AuditHead(entries: 0, head: AuditEntry.genesis)
            }
            return AuditHead(entries: row["seq"], head: row["hash"])
        }
    }

    package func auditHash(entries: Int64) throws(StoreError) -> String? {
        guard entries > 0 else { return AuditEntry.genesis }
        return try read("reading the audit trail") { db in
            try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE seq = ?", arguments: [entries])
        }
    }

    package func auditEntries(after seq: Int64, limit: Int) throws(StoreError) -> [AuditEntry] {
        try read("reading the audit trail") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?",
                arguments: [seq, limit]
            ).map {
                AuditEntry(
                    seq: $0["seq"],
                    at: $0["at"],
                    actor: $0["actor"],
                    action: $0["action"],
                    subject: $0["subject"],
                    address: $0["address"],
                    event: $0["event"],
                    detail: $0["detail"],
                    hash: $0["hash"]
                )
            }
        }
    }
}
