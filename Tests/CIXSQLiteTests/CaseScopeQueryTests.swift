import CIXCore
import CIXSQLite
import CIXStore
import CIXTesting
import Testing

/// Staff scopes in the store's queries: each scope's categories and areas both hold, scopes are
/// alternatives, and the areas are the node's own test (`cix_in_area`), here two half-planes.
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
        let store = try SQLiteStore(path: folder.file("store.sqlite").path, inArea: inArea)
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
    }
}
