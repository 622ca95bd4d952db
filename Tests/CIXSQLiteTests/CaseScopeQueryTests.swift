import CIXCore
import CIXSQLite
import CIXStore
import CIXTesting
import Testing

/// Staff scopes in the store's queries: each scope's categories and areas both hold, scopes are
/// alternatives, and each issue's areas (kept at ingest, from the node's own test: here two
/// half-planes) are worked out again when the areas change.
@Suite("Case scopes in queries")
struct CaseScopeQueryTests {
    @Test func scopesAndAreaFilterMatchTheSameTestDoneByHand() throws {
        let folder = TemporaryDirectory("case-scopes")
        defer { folder.remove() }
        var events: [Event] = []
        Workload(issues: 300, eventsPerIssue: 4, seed: 12).generate { events.append($0) }
        let reports = events.compactMap { event -> (Double, Double)? in
            guard case .report(let body)? = event.content else { return nil }
            return (body.location.longitude, body.location.latitude)
        }
        let middleLongitude = reports.map(\.0).sorted()[reports.count / 2]
        let middleLatitude = reports.map(\.1).sorted()[reports.count / 2]
        let inArea: @Sendable (String, Double, Double) -> Bool = { name, longitude, latitude in
            switch name {
            case "West": longitude < middleLongitude
            case "North": latitude >= middleLatitude
            default: false
            }
        }
        let names = ["West", "North"]
        let locator = AreaLocator(fingerprint: "halves") { longitude, latitude in
            names.filter { inArea($0, longitude, latitude) }
        }
        let path = folder.file("store.sqlite").path
        let store = try SQLiteStore(path: path, areas: locator)
        _ = try store.ingestNow(events, source: "test", now: .now())
        let police = FixedKeys.police.id.hex
        let all = try store.issues(IssueQuery(agency: police, limit: 1_000))
        #expect(all.count > 100)
        func located(_ issue: IssueSummary, in name: String) -> Bool {
            guard let longitude = issue.longitude, let latitude = issue.latitude else { return false }
            return inArea(name, longitude, latitude)
        }

        var query = IssueQuery(agency: police, limit: 1_000)
        query.scopes = [CaseScope(categories: ["pothole", "graffiti"], areas: ["North"]), CaseScope(areas: ["West"])]
        let expected = all.filter { issue in
            (["pothole", "graffiti"].contains(issue.category ?? "") && located(issue, in: "North"))
                || located(issue, in: "West")
        }
        #expect(!expected.isEmpty && expected.count < all.count)
        #expect(Set(try store.issues(query).map(\.id)) == Set(expected.map(\.id)))
        #expect(try store.issueCount(query) == expected.count)

        // The area filter narrows within the scopes.
        query.inArea = "North"
        let north = expected.filter { located($0, in: "North") }
        #expect(Set(try store.issues(query).map(\.id)) == Set(north.map(\.id)))
        #expect(try store.issueCount(query) == north.count)

        // An area the node does not name holds nothing; an empty list of scopes reaches nothing.
        query.inArea = "Nowhere"
        #expect(try store.issueCount(query) == 0)
        query.inArea = nil
        query.scopes = []
        #expect(try store.issues(query).isEmpty)

        // The inbox's counts, limited by areas alone, come from the indexes; they agree with the list,
        // an issue in both areas counted once, restricted cases left out for one who may not see them.
        let open = AgencyStatus.allCases.filter { !$0.isTerminal }.map(\.rawValue)
        var inbox = IssueQuery(agency: police, limit: 1_000)
        inbox.agencyRoles = ["accepted", "routed", "origin"]
        inbox.agencyStatuses = open
        for issue in all.prefix(40) where located(issue, in: "West") {
            try store.setMarker(issue: issue.id, marker: "restricted", by: "test", at: 1)
        }
        for scopes in [[CaseScope(areas: ["West"])], [CaseScope(areas: ["West"]), CaseScope(areas: ["North"])]] {
            for login in [nil, "olive"] {
                for chosen in [nil, "North", "Nowhere"] {
                    inbox.scopes = scopes
                    inbox.needToKnow = login
                    inbox.inArea = chosen
                    #expect(
                        try store.issueCount(inbox) == store.issues(inbox).count,
                        "\(scopes) \(login ?? "-") \(chosen ?? "-")"
                    )
                }
            }
        }
        inbox.inArea = nil
        inbox.scopes = [CaseScope(areas: ["West"]), CaseScope(areas: ["North"])]
        inbox.needToKnow = nil
        var westOnly = inbox
        westOnly.scopes = [CaseScope(areas: ["West"])]
        #expect(try store.issueCount(inbox) > store.issueCount(westOnly))

        // The areas change (West becomes the eastern half): opened again, the store places every issue anew.
        let east = AreaLocator(fingerprint: "halves-2") { longitude, _ in longitude >= middleLongitude ? ["West"] : [] }
        let reopened = try SQLiteStore(path: path, areas: east)
        var west = IssueQuery(agency: police, limit: 1_000)
        west.inArea = "West"
        let eastern = all.filter { ($0.longitude ?? -1_000) >= middleLongitude }
        #expect(Set(try reopened.issues(west).map(\.id)) == Set(eastern.map(\.id)))
        west.inArea = "North"
        #expect(try reopened.issueCount(west) == 0)
    }
}
