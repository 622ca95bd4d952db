import CIXCore
import CIXStore

extension StaffDesk {
    /// Starts a session for a person the organisation's OpenID provider vouched
    /// for (the ID token already checked by `IDTokenCheck`). The account is
    /// found by (issuer, subject) — never by e-mail — and made at the first
    /// sign-in; its roles are set from `grants` (mapped from the provider's
    /// claim) every time, and a person with no mapped role is refused.
    package func signIn(
        identity: IDTokenCheck.Identity,
        grants: [StaffGrant],
        address: String,
        now: Int64
    ) throws(StaffError) -> SignedIn {
        let who = "\(identity.subject.subject) at \(identity.subject.issuer)"
        guard !grants.isEmpty else {
            audit(
                actor: "-",
                action: "sign-in-refused",
                subject: who,
                address: address,
                detail: "no mapped role",
                now: now
            )
            throw StaffError(
                .forbidden,
                "your account at the identity provider has no role on this node; ask your administrator to add you to a group this node maps to a role"
            )
        }
        var account: StaffAccount
        do {
            if let found = try records.staff(openID: identity.subject) {
                account = found
            } else {
                account = try records.addLinkedStaff(
                    login: Self.login(from: identity.loginHint),
                    displayName: String(identity.displayName.prefix(120)),
                    openID: identity.subject,
                    grants: grants,
                    at: Timestamp(secondsSinceEpoch: now)
                )
                audit(
                    actor: "openid",
                    action: "staff-add",
                    subject: account.login,
                    address: address,
                    detail: "\(who): \(Self.describe(grants))",
                    now: now
                )
            }
            guard account.disabledAt == nil else {
                audit(
                    actor: "-",
                    action: "sign-in-refused",
                    subject: account.login,
                    address: address,
                    detail: "account disabled",
                    now: now
                )
                throw StaffError(.forbidden, "this staff account is disabled on this node; ask your administrator")
            }
            if account.grants != grants {
                try records.setGrants(grants, account: account.id, at: Timestamp(secondsSinceEpoch: now))
                audit(
                    actor: "openid",
                    action: "staff-grant",
                    subject: account.login,
                    address: address,
                    detail: Self.describe(grants),
                    now: now
                )
                account.grants = grants
            }
        } catch let error as StaffError {
            throw error
        } catch {
            throw StaffError(error as? StoreError ?? .conflict("\(error)"))
        }
        return try startSession(
            account,
            authenticatedAt: identity.authenticatedAt,
            how: "OpenID Connect (\(identity.subject.issuer))",
            address: address,
            now: now
        )
    }

    /// Records an OpenID sign-in the node refused, with why.
    package func refuseOpenID(_ reason: String, address: String, now: Int64) {
        audit(actor: "-", action: "sign-in-refused", subject: "openid", address: address, detail: reason, now: now)
    }

    /// A login made from the provider's hint: the characters a login allows, at most 56 of them.
    static func login(from hint: String) -> String {
        let kept = hint.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }.prefix(56)
        return kept.isEmpty ? "staff" : String(kept)
    }
}
