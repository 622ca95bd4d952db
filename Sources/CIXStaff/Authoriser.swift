import CIXStore

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

    /// Whether `grants` give `permission` on an issue of `category`.
    ///
    /// `category` is nil for what concerns no issue (the inbox as a whole,
    /// staff management) and `.some(nil)` for an issue whose category is not
    /// known (its report redacted): only an unscoped grant reaches that.
    package static func decide(
        _ grants: [StaffGrant],
        _ permission: Permission,
        category: String?? = nil
    ) -> Decision {
        let giving = grants.filter { StaffRole(rawValue: $0.role)?.permissions.contains(permission) == true }
        guard !giving.isEmpty else {
            return .deny("your roles do not allow you to \(permission.label)")
        }
        if giving.contains(where: { $0.categories.isEmpty }) { return .allow }
        if permission.isNodeWide {
            return .deny("only a grant for every category allows you to \(permission.label)")
        }
        switch category {
        case .none:
            return .allow
        case .some(.none):
            return .deny("this report's category is not known, and your roles cover only some categories")
        case .some(.some(let category)):
            if giving.contains(where: { $0.categories.contains(category) }) { return .allow }
            return .deny("your roles do not cover the category \(category)")
        }
    }

    /// The categories in which `grants` give `permission`: nil for every category.
    package static func categories(_ grants: [StaffGrant], _ permission: Permission) -> Set<String>? {
        let giving = grants.filter { StaffRole(rawValue: $0.role)?.permissions.contains(permission) == true }
        if giving.contains(where: { $0.categories.isEmpty }) { return nil }
        return Set(giving.flatMap(\.categories))
    }
}
