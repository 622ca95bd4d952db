import CIXStore

/// What the authoriser needs to know of a case: its category (nil: not known,
/// its report redacted) and the named areas its location lies in (empty: none,
/// or no location known).
package struct CaseFacts: Sendable, Equatable {
    package var category: String?
    package var areas: Set<String>

    package init(category: String?, areas: Set<String> = []) {
        self.category = category
        self.areas = areas
    }
}

/// The one place that decides whether an account may do something: pure,
/// so that every (role, scope, permission) case is a table test, and every
/// handler asks it before reading or changing anything.
package enum Authoriser {
    /// Allowed, or denied with a reason the page can show.
    package enum Decision: Sendable, Equatable {
        case allow
        case deny(String)

        package var allowed: Bool { self == .allow }
    }

    /// Whether `grants` give `permission` on the case described by `facts`.
    ///
    /// `facts` is nil for what concerns no case (the inbox as a whole, staff
    /// management): a grant limited to some categories or areas gives it,
    /// unless the permission is node-wide. A case whose category is unknown is
    /// reached only by a grant for every category; a case outside every named
    /// area, or without a location, only by a grant for everywhere.
    package static func decide(
        _ grants: [StaffGrant],
        _ permission: Permission,
        on facts: CaseFacts? = nil
    ) -> Decision {
        let giving = grants.filter { StaffRole(rawValue: $0.role)?.permissions.contains(permission) == true }
        guard !giving.isEmpty else {
            return .deny("your roles do not allow you to \(permission.label)")
        }
        if giving.contains(where: \.isUnscoped) { return .allow }
        if permission.isNodeWide {
            return .deny("only a grant for every category and area allows you to \(permission.label)")
        }
        guard let facts else { return .allow }
        let inCategory = giving.filter { grant in
            grant.categories.isEmpty || facts.category.map(grant.categories.contains) == true
        }
        guard !inCategory.isEmpty else {
            guard let category = facts.category else {
                return .deny("this report's category is not known, and your roles cover only some categories")
            }
            return .deny("your roles do not cover the category \(category)")
        }
        if inCategory.contains(where: { $0.areas.isEmpty || !facts.areas.isDisjoint(with: $0.areas) }) {
            return .allow
        }
        let named = facts.areas.sorted()
        return .deny(
            named.isEmpty
                ? "this report is in none of the areas your roles cover"
                : "your roles do not cover the area\(named.count == 1 ? "" : "s") \(named.joined(separator: ", "))"
        )
    }

    /// The cases in which `grants` give `permission`: nil for every case, else one scope per
    /// limited grant (an empty list: none).
    package static func scopes(_ grants: [StaffGrant], _ permission: Permission) -> [CaseScope]? {
        let giving = grants.filter { StaffRole(rawValue: $0.role)?.permissions.contains(permission) == true }
        if giving.contains(where: \.isUnscoped) { return nil }
        func key(_ scope: CaseScope) -> String {
            (scope.categories ?? []).joined(separator: ",") + "|" + (scope.areas ?? []).joined(separator: ",")
        }
        return Array(Set(giving.map(CaseScope.init))).sorted { key($0) < key($1) }
    }
}
