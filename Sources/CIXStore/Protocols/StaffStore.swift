import CIXCore

/// Staff accounts, their sessions, case notes and the audit trail: how a body
/// runs its work on this node. Private like `PrivateStore`; nothing here is
/// signed, federated or exported.
package protocol StaffStore: Sendable {
    /// Adds an account with its recovery codes' hashes; `conflict` if the login is taken.
    func addStaff(
        login: String,
        displayName: String,
        passwordHash: String,
        totpSecret: String,
        grants: [StaffGrant],
        recoveryHashes: [String],
        at moment: Timestamp
    ) throws(StoreError) -> Int64

    /// Adds an account that signs in through an OpenID provider (no password or TOTP
    /// secret), under `login` or, if that is taken, `login-2`, `login-3`, …; returns it.
    func addLinkedStaff(
        login: String,
        displayName: String,
        openID: OpenIDSubject,
        grants: [StaffGrant],
        at moment: Timestamp
    ) throws(StoreError) -> StaffAccount
    /// The account linked to this provider identity, if any.
    func staff(openID: OpenIDSubject) throws(StoreError) -> StaffAccount?

    func staff(login: String) throws(StoreError) -> StaffAccount?
    func staff(id: Int64) throws(StoreError) -> StaffAccount?
    func staffList() throws(StoreError) -> [StaffAccount]

    /// Puts an account in a team, or in none.
    func setTeam(_ team: String?, account: Int64) throws(StoreError)
    /// Replaces an account's grants and ends its sessions (a privilege change needs a new sign-in).
    func setGrants(_ grants: [StaffGrant], account: Int64, at moment: Timestamp) throws(StoreError)
    /// Disables an account and ends its sessions.
    func disableStaff(account: Int64, at moment: Timestamp) throws(StoreError)
    /// New password, TOTP secret and recovery codes; enables the account, clears its lock, ends its sessions.
    func resetStaff(
        account: Int64,
        passwordHash: String,
        totpSecret: String,
        recoveryHashes: [String],
        at moment: Timestamp
    ) throws(StoreError)

    /// Counts a failed sign-in; the account refuses sign-ins until `lockUntil` (Unix seconds) if given.
    func recordFailedSignIn(account: Int64, lockUntil: Int64?) throws(StoreError)
    /// Takes TOTP `step` for the account if it is later than every step taken before; false otherwise.
    func takeTOTPStep(_ step: Int64, account: Int64) throws(StoreError) -> Bool
    /// Marks an unused recovery code as used; false if no unused code has this hash.
    func takeRecoveryCode(hash: String, account: Int64, at moment: Timestamp) throws(StoreError) -> Bool
    /// How many unused recovery codes the account has left.
    func recoveryCodesLeft(account: Int64) throws(StoreError) -> Int

    func addSession(_ session: StaffSession) throws(StoreError)
    func session(id: String) throws(StoreError) -> StaffSession?
    /// Sessions not revoked, newest first (of one account, or of all).
    func liveSessions(account: Int64?) throws(StoreError) -> [StaffSession]
    func touchSession(id: String, at seconds: Int64) throws(StoreError)
    func revokeSession(id: String, at seconds: Int64) throws(StoreError)

    func addCaseNote(issue: String, author: String, text: String, at seconds: Int64) throws(StoreError)
    func caseNotes(issue: String) throws(StoreError) -> [CaseNote]

    /// Gives a case to an account (by login), or to nobody.
    func assign(issue: String, to login: String?, by actor: String, at seconds: Int64) throws(StoreError)
    /// Who works each of these cases, by issue id (unassigned ones are absent).
    func assignments(issues: [String]) throws(StoreError) -> [String: String]

    func templates() throws(StoreError) -> [ResponseTemplate]
    /// Adds a template, or replaces the text of the one with this name.
    func saveTemplate(name: String, text: String, by login: String, at seconds: Int64) throws(StoreError)
    /// Deletes a template by id; false if there was none.
    func deleteTemplate(id: Int64) throws(StoreError) -> Bool

    /// Puts a marker on a case (again: no change).
    func setMarker(issue: String, marker: String, by login: String, at seconds: Int64) throws(StoreError)
    /// Takes a marker off a case; false if it was not there.
    @discardableResult
    func clearMarker(issue: String, marker: String) throws(StoreError) -> Bool
    /// The markers of these cases, by issue id (cases without any are absent).
    func markers(issues: [String]) throws(StoreError) -> [String: [MarkerRecord]]

    /// Sets a case's priority (`normal`: none kept).
    func setPriority(issue: String, priority: CasePriority, by login: String, at seconds: Int64) throws(StoreError)
    /// The priorities of these cases that are not `normal`, by issue id.
    func priorities(issues: [String]) throws(StoreError) -> [String: CasePriority]

    /// Keeps what a redaction removed until `keepUntil` (Unix seconds).
    func keepOriginal(_ original: RedactedOriginal) throws(StoreError)
    /// What was removed from an issue and is still kept at `now`, oldest first.
    func originals(issue: String, now: Int64) throws(StoreError) -> [RedactedOriginal]
    /// Deletes every original whose time is up at `now`; returns how many.
    @discardableResult
    func purgeOriginals(now: Int64) throws(StoreError) -> Int

    /// Keeps a resident's flag, unless the event already has `cap` open flags; returns whether it was kept.
    @discardableResult
    func addFlag(
        issue: String,
        event: String,
        reason: String,
        note: String,
        at seconds: Int64,
        cap: Int
    )
        throws(StoreError) -> Bool
    /// Open flags, oldest first, at most `limit`.
    func flags(limit: Int) throws(StoreError) -> [ResidentFlag]
    /// Closes every flag on an event (dealt with: removed or judged fine); returns how many.
    @discardableResult
    func dismissFlags(event: String) throws(StoreError) -> Int

    /// Appends an entry to the audit trail, chained to the last one, and returns it.
    @discardableResult
    func appendAudit(
        actor: String,
        action: String,
        subject: String,
        address: String,
        event: String?,
        detail: String,
        at seconds: Int64
    ) throws(StoreError) -> AuditEntry
    /// The trail's head: how many entries, and the last one's chain hash (`AuditEntry.genesis` if none).
    func auditHead() throws(StoreError) -> AuditHead
    /// The chain hash after `entries` entries (genesis for 0); nil if the trail is shorter.
    func auditHash(entries: Int64) throws(StoreError) -> String?
    /// Entries in order, from `after` (exclusive), at most `limit`.
    func auditEntries(after seq: Int64, limit: Int) throws(StoreError) -> [AuditEntry]
}
