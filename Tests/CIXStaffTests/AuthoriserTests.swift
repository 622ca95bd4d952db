import CIXStaff
import CIXStore
import Testing

/// Every (role, permission) pair, and the edges of category scopes.
@Suite("Authoriser")
struct AuthoriserTests {
    /// The expected permissions of each shipped role, written out in full so that a change to a role shows here.
    static let expected: [StaffRole: Set<Permission>] = [
        .orgAdmin: Set(Permission.allCases),
        .supervisor: [
            .viewInbox, .viewContact, .answer, .setStatus, .publicReply, .internalNote, .partnerNote, .moderate,
            .redact, .markDuplicate, .editReport, .viewRestricted, .manageTemplates, .viewDashboard, .export,
        ],
        .caseOfficer: [
            .viewInbox, .viewContact, .answer, .setStatus, .publicReply, .internalNote, .partnerNote, .markDuplicate,
            .editReport,
        ],
        .moderator: [.viewInbox, .moderate, .redact, .internalNote],
        .analyst: [.viewInbox, .viewDashboard, .export],
        .readOnly: [.viewInbox],
    ]

    @Test(arguments: StaffRole.allCases)
    func everyPermissionOfEveryRole(_ role: StaffRole) {
        let grants = [StaffGrant(role: role.rawValue)]
        for permission in Permission.allCases {
            let allowed = Self.expected[role]?.contains(permission) == true
            let decision = Authoriser.decide(grants, permission, category: .some("pothole"))
            #expect(decision.allowed == allowed, "\(role.rawValue) / \(permission.rawValue)")
            if !allowed, case .deny(let reason) = decision {
                #expect(reason == "your roles do not allow you to \(permission.label)")
            }
        }
    }

    @Test func scopedGrantCoversOnlyItsCategories() {
        let grants = [StaffGrant(role: "case-officer", categories: ["pothole", "street_lighting"])]
        #expect(Authoriser.decide(grants, .answer, category: .some("pothole")) == .allow)
        #expect(Authoriser.decide(grants, .answer, category: .some("street_lighting")) == .allow)
        #expect(
            Authoriser.decide(grants, .answer, category: .some("fly_tipping"))
                == .deny("your roles do not cover the category fly_tipping")
        )
        // A report whose category is unknown (redacted) is beyond a scoped grant.
        #expect(
            Authoriser.decide(grants, .answer, category: .some(nil))
                == .deny("this report's category is not known, and your roles cover only some categories")
        )
        // No issue in question (the inbox as a whole): allowed, and the inbox lists only the scope.
        #expect(Authoriser.decide(grants, .viewInbox) == .allow)
        #expect(Authoriser.categories(grants, .viewInbox) == ["pothole", "street_lighting"])
        // A permission the role lacks stays denied inside the scope.
        #expect(!Authoriser.decide(grants, .redact, category: .some("pothole")).allowed)
    }

    @Test func nodeWidePermissionsNeedAnUnscopedGrant() {
        let scoped = [StaffGrant(role: "org-admin", categories: ["pothole"])]
        #expect(
            Authoriser.decide(scoped, .manageStaff)
                == .deny("only a grant for every category allows you to manage staff")
        )
        #expect(Authoriser.decide(scoped, .answer, category: .some("pothole")) == .allow)
        #expect(Authoriser.decide([StaffGrant(role: "org-admin")], .manageStaff) == .allow)
    }

    @Test func grantsAddUp() {
        let grants = [
            StaffGrant(role: "case-officer", categories: ["pothole"]),
            StaffGrant(role: "moderator"),
        ]
        // Moderation everywhere, case work only on potholes.
        #expect(Authoriser.decide(grants, .redact, category: .some("fly_tipping")) == .allow)
        #expect(!Authoriser.decide(grants, .answer, category: .some("fly_tipping")).allowed)
        #expect(Authoriser.decide(grants, .answer, category: .some("pothole")) == .allow)
        // The unscoped moderator grant gives the inbox everywhere.
        #expect(Authoriser.categories(grants, .viewInbox) == nil)
        #expect(Authoriser.categories(grants, .answer) == ["pothole"])
    }

    @Test func noGrantsOrUnknownRolesAllowNothing() {
        for grants in [[], [StaffGrant(role: "superuser")]] {
            for permission in Permission.allCases {
                #expect(!Authoriser.decide(grants, permission, category: .some("pothole")).allowed)
            }
            #expect(Authoriser.categories(grants, .viewInbox) == [])
        }
    }
}
