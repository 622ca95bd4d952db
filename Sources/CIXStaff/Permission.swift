/// What a member of staff may do. Roles are sets of these; every staff
/// handler asks `Authoriser` for one before it reads or changes anything.
package enum Permission: String, Sendable, CaseIterable {
    case viewInbox = "view-inbox"
    case viewContact = "view-contact"
    /// Accept, decline (with a referral) or transfer this body's part.
    case answer
    case setStatus = "set-status"
    case publicReply = "public-reply"
    case internalNote = "internal-note"
    case partnerNote = "partner-note"
    case moderate
    case redact
    case markDuplicate = "mark-duplicate"
    case editReport = "edit-report"
    /// See and work cases marked restricted (need to know) without being assigned to them.
    case viewRestricted = "view-restricted"
    case manageTemplates = "manage-templates"
    case viewDashboard = "view-dashboard"
    case export
    case manageStaff = "manage-staff"
    case manageFederation = "manage-federation"

    /// Whether a grant scoped to categories can give it: node-wide permissions
    /// (staff, keys and peers, templates) need an unscoped grant.
    package var isNodeWide: Bool {
        switch self {
        case .manageStaff, .manageFederation, .manageTemplates: true
        default: false
        }
    }

    /// What the permission allows, as the staff pages say it.
    package var label: String {
        switch self {
        case .viewInbox: "see the inbox and cases"
        case .viewContact: "see residents' contact details"
        case .answer: "accept, decline or transfer"
        case .setStatus: "set this body's status"
        case .publicReply: "answer the public"
        case .internalNote: "write internal notes"
        case .partnerNote: "write notes to partner bodies"
        case .moderate: "moderate reports and contributions"
        case .redact: "redact"
        case .markDuplicate: "mark duplicates"
        case .editReport: "edit the category and place of our own reports"
        case .viewRestricted: "see cases restricted to those who need to know"
        case .manageTemplates: "manage response templates"
        case .viewDashboard: "see the figures"
        case .export: "export"
        case .manageStaff: "manage staff"
        case .manageFederation: "manage keys and peers"
        }
    }
}
