import CIXCanonicalJSON
import CIXCore

/// A member of staff's account on this node. Private to the node, like
/// residents' contacts: never exported, federated or shown outside `/staff`.
package struct StaffAccount: Sendable, Equatable {
    package let id: Int64
    /// What the person types to sign in; unique on the node.
    package let login: String
    package var displayName: String
    /// bcrypt hash of the password.
    package var passwordHash: String
    /// The TOTP shared secret (the key bytes are its UTF-8).
    package var totpSecret: String
    /// The last TOTP time step accepted: a code of that step or an earlier one is never taken again.
    package var totpLastStep: Int64
    package var grants: [StaffGrant]
    /// Failed sign-ins since the last success, and until when (Unix seconds) the account refuses sign-ins.
    package var failedAttempts: Int
    package var lockedUntil: Int64
    package let createdAt: Timestamp
    package var disabledAt: Timestamp?
    /// The identity at the organisation's OpenID provider this account signs in as, if any.
    /// Such an account has no password or TOTP secret here: the provider checks the person.
    package var openID: OpenIDSubject?
    /// The team the person works in, if any (the inbox's "my team").
    package var team: String?

    package init(
        id: Int64,
        login: String,
        displayName: String,
        passwordHash: String,
        totpSecret: String,
        totpLastStep: Int64 = 0,
        grants: [StaffGrant],
        failedAttempts: Int = 0,
        lockedUntil: Int64 = 0,
        createdAt: Timestamp,
        disabledAt: Timestamp? = nil,
        openID: OpenIDSubject? = nil,
        team: String? = nil
    ) {
        self.team = team
        self.id = id
        self.login = login
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.totpSecret = totpSecret
        self.totpLastStep = totpLastStep
        self.grants = grants
        self.failedAttempts = failedAttempts
        self.lockedUntil = lockedUntil
        self.createdAt = createdAt
        self.disabledAt = disabledAt
        self.openID = openID
    }

    /// How the account signs in, as the staff pages and `cix staff list` say it.
    package var signsInWith: String {
        openID.map { "OpenID Connect (\($0.issuer))" } ?? "password and TOTP code"
    }
}

/// A person at an OpenID provider: accounts are linked by issuer and subject, never by e-mail.
package struct OpenIDSubject: Sendable, Equatable, Hashable {
    package let issuer: String
    package let subject: String

    package init(issuer: String, subject: String) {
        self.issuer = issuer
        self.subject = subject
    }
}

/// A role given to an account, optionally only for some categories (empty: every category).
package struct StaffGrant: Sendable, Equatable, Hashable {
    package var role: String
    /// Only reports of these categories (empty: every category).
    package var categories: [String]
    /// Only reports located in these named areas (`[staff] areas_file`; empty: everywhere).
    package var areas: [String]

    package init(role: String, categories: [String] = [], areas: [String] = []) {
        self.role = role
        self.categories = categories.sorted()
        self.areas = areas.sorted()
    }

    /// Whether the grant reaches every case: no category and no area limit.
    package var isUnscoped: Bool { categories.isEmpty && areas.isEmpty }

    /// `[{"areas":[…],"categories":[…],"role":"…"}]`, as the store keeps a list of grants
    /// (`areas` only when the grant has some, so grants made before areas existed read the same).
    package static func encode(_ grants: [StaffGrant]) -> String {
        let value = JSONValue.array(
            grants.map { grant in
                let role = JSONValue.string(grant.role)
                let categories = JSONValue.array(grant.categories.map { .string($0) })
                guard !grant.areas.isEmpty else {
                    return .object(JSONObject(["role": role, "categories": categories]))
                }
                let areas = JSONValue.array(grant.areas.map { .string($0) })
                return .object(JSONObject(["role": role, "categories": categories, "areas": areas]))
            }
        )
        return String(decoding: (try? value.canonicalBytes()) ?? Array("[]".utf8), as: UTF8.self)
    }

    package static func decode(_ text: String) -> [StaffGrant] {
        guard let value = try? JSONParser().parse(text), let list = value.arrayValue else { return [] }
        return list.compactMap { item in
            guard let role = item["role"]?.stringValue else { return nil }
            return StaffGrant(
                role: role,
                categories: (item["categories"]?.arrayValue ?? []).compactMap(\.stringValue),
                areas: (item["areas"]?.arrayValue ?? []).compactMap(\.stringValue)
            )
        }
    }
}

/// A signed-in browser. The cookie holds a random secret; the store keeps only its SHA-256 (`id`).
package struct StaffSession: Sendable, Equatable {
    package let id: String
    package let account: Int64
    /// The anti-forgery token every form of this session carries.
    package let csrf: String
    package let createdAt: Int64
    /// When the password and code were last given: sensitive actions need this to be recent.
    package let authenticatedAt: Int64
    package var lastSeen: Int64
    package let address: String
    package var revokedAt: Int64?

    package init(
        id: String,
        account: Int64,
        csrf: String,
        createdAt: Int64,
        authenticatedAt: Int64,
        lastSeen: Int64,
        address: String,
        revokedAt: Int64? = nil
    ) {
        self.id = id
        self.account = account
        self.csrf = csrf
        self.createdAt = createdAt
        self.authenticatedAt = authenticatedAt
        self.lastSeen = lastSeen
        self.address = address
        self.revokedAt = revokedAt
    }
}

/// A note staff keep on a case: local to this node, never signed, federated or published.
package struct CaseNote: Sendable, Equatable {
    package let seq: Int64
    package let issue: String
    package let author: String
    package let at: Int64
    package let text: String

    package init(seq: Int64, issue: String, author: String, at: Int64, text: String) {
        self.seq = seq
        self.issue = issue
        self.author = author
        self.at = at
        self.text = text
    }
}

/// A response template: wording staff reuse in public notes (the text goes into the event, not the name).
package struct ResponseTemplate: Sendable, Equatable {
    package let id: Int64
    package let name: String
    package let text: String

    package init(id: Int64, name: String, text: String) {
        self.id = id
        self.name = name
        self.text = text
    }
}

/// A marker on a case (a restriction or a safeguarding marker), local to the node.
package struct MarkerRecord: Sendable, Equatable {
    package let issue: String
    package let marker: String
    package let by: String
    package let at: Int64

    package init(issue: String, marker: String, by: String, at: Int64) {
        self.issue = issue
        self.marker = marker
        self.by = by
        self.at = at
    }
}

/// A resident's "report this" on a published report or contribution, waiting for a moderator.
/// Kept on this node only, with no personal data beyond what the resident chose to write.
package struct ResidentFlag: Sendable, Equatable {
    package let id: Int64
    package let issue: String
    /// The flagged event (the report or a contribution).
    package let event: String
    package let reason: String
    package let note: String
    package let at: Int64

    package init(id: Int64, issue: String, event: String, reason: String, note: String, at: Int64) {
        self.id = id
        self.issue = issue
        self.event = event
        self.reason = reason
        self.note = note
        self.at = at
    }
}

/// One entry of the audit trail: who did what, when, from where, and which event it produced.
///
/// Entries are chained: `hash` is SHA-256 over the previous entry's hash and
/// this entry's canonical JSON (`expectedHash`), so an entry altered,
/// removed or moved breaks every hash after it.
package struct AuditEntry: Sendable, Equatable {
    package let seq: Int64
    package let at: Int64
    /// The account's login, or `cli:USER` for the shell, or `-` before anyone signed in.
    package let actor: String
    package let action: String
    /// What it was done to: an issue id, an account's login, a session.
    package let subject: String
    /// The client address, or `shell`.
    package let address: String
    /// The signed event the action produced, if any.
    package let event: String?
    package let detail: String
    package let hash: String

    package init(
        seq: Int64,
        at: Int64,
        actor: String,
        action: String,
        subject: String,
        address: String,
        event: String?,
        detail: String,
        hash: String
    ) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.address = address
        self.event = event
        self.detail = detail
        self.hash = hash
    }

    /// The hash before the first entry.
    package static let genesis = String(repeating: "0", count: 64)

    /// SHA-256 (hex) of `previous` + "\n" + the canonical JSON object of this entry's fields but `hash`:
    /// the hash the entry must carry after `previous`.
    package func expectedHash(previous: String) -> String {
        let object: JSONValue = .object(
            JSONObject([
                "seq": .number(Double(seq)), "at": .number(Double(at)), "actor": .string(actor),
                "action": .string(action), "subject": .string(subject), "address": .string(address),
                "event": event.map { .string($0) } ?? .null, "detail": .string(detail),
            ])
        )
        let bytes = (try? object.canonicalBytes()) ?? []
        return SHA256Hex.hash(Array(previous.utf8) + [0x0A] + bytes)
    }

    /// The same entry carrying `hash`.
    package func with(hash: String) -> AuditEntry {
        AuditEntry(
            seq: seq,
            at: at,
            actor: actor,
            action: action,
            subject: subject,
            address: address,
            event: event,
            detail: detail,
            hash: hash
        )
    }
}

/// How urgent a body judges one of its cases; kept on this node only. Cases without one are `normal`.
package enum CasePriority: String, Sendable, CaseIterable {
    case urgent, high, normal, low

    package var label: String {
        switch self {
        case .urgent: "Urgent"
        case .high: "High"
        case .normal: "Normal"
        case .low: "Low"
        }
    }
}

/// What staff removed from a contribution (its body as canonical JSON), kept on this node for
/// moderators until `keepUntil` (Unix seconds), then deleted.
package struct RedactedOriginal: Sendable, Equatable {
    package let event: String
    package let issue: String
    package let content: String
    package let redactedBy: String
    package let at: Int64
    package let keepUntil: Int64

    package init(event: String, issue: String, content: String, redactedBy: String, at: Int64, keepUntil: Int64) {
        self.event = event
        self.issue = issue
        self.content = content
        self.redactedBy = redactedBy
        self.at = at
        self.keepUntil = keepUntil
    }
}
