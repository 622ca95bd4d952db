import CIXStore

/// The roles a node ships with: each a fixed set of permissions.
package enum StaffRole: String, Sendable, CaseIterable {
    case orgAdmin = "org-admin"
    case supervisor
    case caseOfficer = "case-officer"
    case moderator
    case analyst
    case readOnly = "read-only"

    package var permissions: Set<Permission> {
        switch self {
        case .orgAdmin:
            Set(Permission.allCases)
        case .supervisor:
            Set(Permission.allCases).subtracting([.manageStaff, .manageFederation])
        case .caseOfficer:
            [
                .viewInbox, .viewContact, .answer, .setStatus, .publicReply, .internalNote, .partnerNote,
                .markDuplicate, .editReport,
            ]
        case .moderator:
            [.viewInbox, .moderate, .redact, .internalNote]
        case .analyst:
            [.viewInbox, .viewDashboard, .export]
        case .readOnly:
            [.viewInbox]
        }
    }

    /// A role given to an account, as the store keeps it.
    package typealias Grant = StaffGrant

    /// This role, for `categories` only (none: every category).
    package func grant(categories: [String] = [], areas: [String] = []) -> StaffGrant {
        StaffGrant(role: rawValue, categories: categories, areas: areas)
    }

    package var summary: String {
        switch self {
        case .orgAdmin: "everything, including staff accounts, keys and peers"
        case .supervisor: "all case work (restricted cases too), templates, figures and exports"
        case .caseOfficer: "work cases: answer, set status, reply, notes, contact details"
        case .moderator: "moderate and redact"
        case .analyst: "read cases, figures and exports"
        case .readOnly: "read cases"
        }
    }
}
