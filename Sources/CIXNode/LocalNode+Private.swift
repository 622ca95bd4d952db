import CIXCore
import CIXMail
import CIXStore

/// The door to what only this node may see. Pages, feeds, exports and peers
/// never come through here; the staff console does, behind its roles (`Authoriser`).
extension LocalNode {
    /// Staff accounts, sessions, case notes and the audit trail, for `CIXStaff`'s desk and the staff console.
    package var staffRecords: any StaffStore { vault }

    /// The contact details a resident left with a report made here.
    package func contact(forIssue issue: EventID) throws(NodeError) -> ReporterContact? {
        do { return try vault.contact(forIssue: issue) } catch { throw NodeError(error) }
    }

    /// A resident's confirmation from one browser (`browser`: its form cookie), and with one e-mail
    /// address when they give one: made once, signed and published; a second from the same browser
    /// or address is refused (`alreadyConfirmed`, `alreadyConfirmedByEmail`), so that the count says
    /// how many people see the problem. Only hashes are kept: of the cookie, and of the address
    /// with this node's id (`confirmationKey`); the address itself is not.
    package func confirmOnce(
        _ submission: ContributionSubmission,
        on issue: EventID,
        browser: String,
        email: String? = nil,
        now: Timestamp
    ) throws(IntakeError) -> Event {
        var address: String?
        if let email, !email.trimmingCharacters(in: .whitespaces).isEmpty {
            do { address = try MailAddress(email).text } catch {
                throw .invalid([
                    IntakeProblem.notAnEmail
                ])
            }
        }
        let keys = [SHA256Hex.hash(Array(browser.utf8))] + (address.map { [confirmationKey(email: $0)] } ?? [])
        var claimed: [String] = []
        func releaseClaims() { for key in claimed { try? vault.releaseConfirmation(issue: issue.hex, browser: key) } }
        for (index, key) in keys.enumerated() {
            let fresh: Bool
            do {
                fresh = try vault.claimConfirmation(issue: issue.hex, browser: key, at: now)
            } catch {
                releaseClaims()
                throw .failed(NodeError(error))
            }
            guard fresh else {
                releaseClaims()
                throw .invalid([index == 0 ? IntakeProblem.alreadyConfirmed : IntakeProblem.alreadyConfirmedByEmail])
            }
            claimed.append(key)
        }
        do {
            return try intake.contribute(submission, on: issue, now: now)
        } catch {
            releaseClaims()
            throw error
        }
    }

    /// What a confirmation with this (lower-case) address is remembered by: a hash of it with this node's id.
    package func confirmationKey(email: String) -> String {
        "email:" + SHA256Hex.hash(Array("\(id.hex):\(email)".utf8))
    }

    /// Issues a new Open311 API key under a name no live key has; returns the key (shown once) and its id.
    package func addAPIKey(name: String, now: Timestamp) throws(NodeError) -> (key: String, id: Int64) {
        let key = "cix_" + Hex.encode(Self.randomBytes(24))
        do {
            return (key, try vault.addAPIKey(name: name, hash: Self.apiKeyHash(key), at: now))
        } catch  where error.code == .conflict {
            throw NodeError(.invalidInput, error.message)
        } catch {
            throw NodeError(error)
        }
    }

    package func apiKeys() throws(NodeError) -> [APIKey] {
        do { return try vault.apiKeys() } catch { throw NodeError(error) }
    }

    /// Revokes the live key with this id; false if there is none.
    package func revokeAPIKey(id: Int64, now: Timestamp) throws(NodeError) -> Bool {
        do { return try vault.revokeAPIKey(id: id, at: now) } catch { throw NodeError(error) }
    }

    /// The live key that `key` is, if any (only its hash is stored).
    package func apiKey(matching key: String) throws(NodeError) -> APIKey? {
        do { return try vault.apiKey(hash: Self.apiKeyHash(key)) } catch { throw NodeError(error) }
    }

    /// Records an Open311 post; false if this key already used `clientUpdateID`.
    @discardableResult
    package func logOpen311(
        key: Int64,
        action: String,
        issue: String?,
        event: String?,
        clientUpdateID: String?,
        details: String,
        now: Timestamp
    ) throws(NodeError) -> Bool {
        do {
            return try vault.logOpen311(
                key: key,
                action: action,
                issue: issue,
                event: event,
                clientUpdateID: clientUpdateID,
                details: details,
                at: now
            )
        } catch {
            throw NodeError(error)
        }
    }

    /// The event id recorded for this key's client update id, if it was used before.
    package func open311Update(key: Int64, clientUpdateID: String) throws(NodeError) -> String? {
        do { return try vault.open311Update(key: key, clientUpdateID: clientUpdateID) } catch { throw NodeError(error) }
    }

    /// The Open311 statuses these events were posted with, by event id.
    package func open311PostedStatuses(events: [String]) throws(NodeError) -> [String: String] {
        do { return try vault.open311PostedStatuses(events: events) } catch { throw NodeError(error) }
    }

    static func apiKeyHash(_ key: String) -> String { SHA256Hex.hash(Array(key.utf8)) }
}
