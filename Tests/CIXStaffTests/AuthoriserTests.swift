import CIXStaff
import CIXStore
import Testing

/// Every (role, permission) pair, and the edges of category and area scopes.
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
            let decision = Authoriser.decide(grants, permission, on: CaseFacts(category: "pothole"))
            #expect(decision.allowed == allowed, "\(role.rawValue) / \(permission.rawValue)")
            if !allowed, case .deny(let reason) = decision {
                #expect(reason == "your roles do not allow you to \(permission.label)")
            }
        }
    }

    @Test func scopedGrantCoversOnlyItsCategories() {
        let grants = [StaffGrant(role: "case-officer", categories: ["pothole", "street_lighting"])]
        #expect(Authoriser.decide(grants, .answer, on: CaseFacts(category: "pothole")) == .allow)
        #expect(Authoriser.decide(grants, .answer, on: CaseFacts(category: "street_lighting")) == .allow)
        #expect(
            Authoriser.decide(grants, .answer, on: CaseFacts(category: "fly_tipping"))
                == .deny("your roles do not cover the category fly_tipping")
        )
        // A report whose category is unknown (redacted) is beyond a scoped grant.
        #expect(
            Authoriser.decide(grants, .answer, on: CaseFacts(category: nil))
                == .deny("this report's category is not known, and your roles cover only some categories")
        )
        // No issue in question (the inbox as a whole): allowed, and the inbox lists only the scope.
        #expect(Authoriser.decide(grants, .viewInbox) == .allow)
        #expect(Authoriser.scopes(grants, .viewInbox) == [CaseScope(categories: ["pothole", "street_lighting"])])
        // A permission the role lacks stays denied inside the scope.
        #expect(!Authoriser.decide(grants, .redact, on: CaseFacts(category: "pothole")).allowed)
    }

    @Test func nodeWidePermissionsNeedAnUnscopedGrant() {
        let scoped = [StaffGrant(role: "org-admin", categories: ["pothole"])]
        #expect(
            Authoriser.decide(scoped, .manageStaff)
                == .deny("only a grant for every category and area allows you to manage staff")
        )
        #expect(Authoriser.decide(scoped, .answer, on: CaseFacts(category: "pothole")) == .allow)
        #expect(Authoriser.decide([StaffGrant(role: "org-admin")], .manageStaff) == .allow)
    }

    @Test func grantsAddUp() {
        let grants = [
            StaffGrant(role: "case-officer", categories: ["pothole"]),
            StaffGrant(role: "moderator"),
        ]
        // Moderation everywhere, case work only on potholes.
        #expect(Authoriser.decide(grants, .redact, on: CaseFacts(category: "fly_tipping")) == .allow)
        #expect(!Authoriser.decide(grants, .answer, on: CaseFacts(category: "fly_tipping")).allowed)
        #expect(Authoriser.decide(grants, .answer, on: CaseFacts(category: "pothole")) == .allow)
        // The unscoped moderator grant gives the inbox everywhere.
        #expect(Authoriser.scopes(grants, .viewInbox) == nil)
        #expect(Authoriser.scopes(grants, .answer) == [CaseScope(categories: ["pothole"])])
    }

    @Test func noGrantsOrUnknownRolesAllowNothing() {
        for grants in [[], [StaffGrant(role: "superuser")]] {
            for permission in Permission.allCases {
                #expect(!Authoriser.decide(grants, permission, on: CaseFacts(category: "pothole")).allowed)
            }
            #expect(Authoriser.scopes(grants, .viewInbox) == [])
        }
    }

    @Test func areaGrantCoversOnlyCasesInItsAreas() {
        let grants = [StaffGrant(role: "case-officer", areas: ["North Ward"])]
        #expect(Authoriser.decide(grants, .answer, on: CaseFacts(category: "pothole", areas: ["North Ward"])) == .allow)
        // On a boundary, in both wards: the grant for one of them reaches it.
        #expect(
            Authoriser.decide(grants, .answer, on: CaseFacts(category: "pothole", areas: ["North Ward", "Riverside"]))
                == .allow
        )
        #expect(
            Authoriser.decide(grants, .answer, on: CaseFacts(category: "pothole", areas: ["Riverside"]))
                == .deny("your roles do not cover the area Riverside")
        )
        // Outside every named area, or a redacted report (no location): beyond an area grant.
        #expect(
            Authoriser.decide(grants, .answer, on: CaseFacts(category: "pothole"))
                == .deny("this report is in none of the areas your roles cover")
        )
        #expect(!Authoriser.decide(grants, .answer, on: CaseFacts(category: nil)).allowed)
        #expect(Authoriser.scopes(grants, .viewInbox) == [CaseScope(areas: ["North Ward"])])
        // Node-wide permissions need a grant limited in neither way.
        #expect(
            Authoriser.decide([StaffGrant(role: "org-admin", areas: ["North Ward"])], .manageStaff)
                == .deny("only a grant for every category and area allows you to manage staff")
        )
    }

    @Test func categoryAndAreaLimitsOfOneGrantBothHold() {
        let grants = [StaffGrant(role: "case-officer", categories: ["pothole"], areas: ["North Ward"])]
        #expect(Authoriser.decide(grants, .answer, on: CaseFacts(category: "pothole", areas: ["North Ward"])) == .allow)
        #expect(
            Authoriser.decide(grants, .answer, on: CaseFacts(category: "graffiti", areas: ["North Ward"]))
                == .deny("your roles do not cover the category graffiti")
        )
        #expect(
            Authoriser.decide(grants, .answer, on: CaseFacts(category: "pothole", areas: ["Riverside"]))
                == .deny("your roles do not cover the area Riverside")
        )
    }

    @Test func limitedGrantsAreAlternativesNotACrossProduct() {
        // Potholes in the north, and anything in Riverside: not graffiti in the north.
        let grants = [
            StaffGrant(role: "case-officer", categories: ["pothole"], areas: ["North Ward"]),
            StaffGrant(role: "case-officer", areas: ["Riverside"]),
        ]
        #expect(Authoriser.decide(grants, .answer, on: CaseFacts(category: "graffiti", areas: ["Riverside"])) == .allow)
        #expect(Authoriser.decide(grants, .answer, on: CaseFacts(category: "pothole", areas: ["North Ward"])) == .allow)
        #expect(
            !Authoriser.decide(grants, .answer, on: CaseFacts(category: "graffiti", areas: ["North Ward"])).allowed
        )
        #expect(
            Authoriser.scopes(grants, .answer) == [
                CaseScope(categories: ["pothole"], areas: ["North Ward"]), CaseScope(areas: ["Riverside"]),
            ]
        )
        // A role without the permission adds no scope.
        #expect(Authoriser.scopes(grants + [StaffGrant(role: "moderator")], .answer)?.count == 2)
    }
}
