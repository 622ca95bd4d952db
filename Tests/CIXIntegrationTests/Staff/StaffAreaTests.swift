import CIXCore
import CIXNode
import CIXTesting
import Foundation
import Testing

/// Grants limited to named areas (`[staff] areas_file`) on a real node: the inbox, the case
/// page, actions and figures reach only what lies in the person's areas.
@Suite("Staff areas", .serialized)
struct StaffAreaTests {
    /// Two wards of the town that meet along latitude 52.205 (a thin band lies in both).
    static let wards = """
        {"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"name": "North Ward"}, "geometry": {"type": "Polygon",
            "coordinates": [[[0.0, 52.205], [0.3, 52.205], [0.3, 52.3], [0.0, 52.3], [0.0, 52.205]]]}},
          {"type": "Feature", "properties": {"name": "Riverside"}, "geometry": {"type": "Polygon",
            "coordinates": [[[0.0, 52.1], [0.3, 52.1], [0.3, 52.2055], [0.0, 52.2055], [0.0, 52.1]]]}}
        ]}
        """

    @Test func areaGrantsReachOnlyTheirAreas() async throws {
        let files = TemporaryDirectory("staff-area-file")
        defer { files.remove() }
        let areasFile = files.file("wards.geojson")
        try Data(Self.wards.utf8).write(to: areasFile)
        try await WebTown.run("staff-areas", councilTOML: "[staff]\nareas_file = \"\(areasFile.path)\"") { town in
            try await check(town)
        }
    }

    func check(_ town: WebTown) async throws {
        let council = town.council.node
        func report(_ title: String, latitude: Double) throws -> EventID {
            try council.intake.report(
                ReportSubmission(title: title, category: "fly_tipping", latitude: latitude, longitude: 0.121),
                now: .now()
            ).id
        }
        let north = try report("Sofa by the north shops", latitude: 52.215)
        let south = try report("Bags by the river path", latitude: 52.195)
        let boundary = try report("Tyres on the ward boundary", latitude: 52.2052)

        let nora = try await StaffClient.signIn(
            WebClient(node: town.council),
            try await town.addStaff("nora", role: "case-officer", areas: ["North Ward"])
        )
        let inbox = try await nora.get("/staff")
        #expect(inbox.status == 200)
        #expect(inbox.text.contains("Sofa by the north shops"))
        #expect(inbox.text.contains("Tyres on the ward boundary"))
        #expect(!inbox.text.contains("Bags by the river path"))
        #expect(inbox.text.contains("Your roles cover: Every category in North Ward."))
        #expect(inbox.text.contains("Waiting for our answer (2)"))
        // The area filter offers only her area; the other is refused.
        #expect(inbox.text.contains("<option value=\"North Ward\">North Ward</option>"))
        #expect(!inbox.text.contains("<option value=\"Riverside\">"))
        #expect(try await nora.get("/staff?area=Riverside").status == 403)
        #expect(try await nora.get("/staff?area=Nowhere").status == 400)

        // Outside her area: the case page and its actions are refused, and nothing changes.
        let before = try town.councilEventCount()
        let page = try await nora.get("/staff/cases/\(south.hex)")
        #expect(page.status == 403)
        #expect(page.text.contains("your roles do not cover the area Riverside"))
        #expect(try await nora.post("/staff/cases/\(south.hex)/accept", []).status == 403)
        #expect(try await nora.post("/staff/inbox/accept", [("issue", south.hex)]).status == 403)
        #expect(try town.councilEventCount() == before)
        // Inside it: she works the case.
        #expect(try await nora.get("/staff/cases/\(boundary.hex)").status == 200)
        #expect(try await nora.post("/staff/cases/\(north.hex)/accept", []).status == 303)
        #expect(try council.store.issueState(north)?.agencies[council.id]?.role == .accepted)

        // An administrator sees everything and filters by either area.
        let admin = try await StaffClient.signIn(
            WebClient(node: town.council),
            try await town.addStaff("ada", role: "org-admin")
        )
        let riverside = try await admin.get("/staff?area=Riverside")
        #expect(riverside.text.contains("Bags by the river path"))
        #expect(riverside.text.contains("Tyres on the ward boundary"))
        #expect(!riverside.text.contains("Sofa by the north shops"))
        // Each case says which areas it lies in.
        #expect(riverside.text.contains("reported today · North Ward, Riverside"))

        // A grant to an area the node does not name is refused from the shell, naming the areas.
        let cli = CLI(data: council.directory.root.path)
        let refused = try await cli.runAsync(["staff", "grant", "nora", "--role", "case-officer", "--area", "Nowhere"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("unknown area Nowhere; the areas are North Ward, Riverside"))

        // Figures by area, public and staff; a reader limited to one area sees only it.
        let csv = try await WebClient(node: town.council).get("/figures-by-area.csv")
        #expect(csv.status == 200)
        let lines = csv.text.split(separator: "\r\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        #expect(lines.first?.first == "area")
        // Each ward has two reports (the boundary one in both), one of the north's accepted.
        #expect(lines.dropFirst().map { Array($0.prefix(3)) } == [["North Ward", "2", "1"], ["Riverside", "2", "0"]])
        let figures = try await WebClient(node: town.council).get("/figures")
        #expect(figures.text.contains("<h2>By area</h2>"))
        let analyst = try await StaffClient.signIn(
            WebClient(node: town.council),
            try await town.addStaff("ann", role: "analyst", areas: ["Riverside"])
        )
        let theirs = try await analyst.get("/staff/figures.csv")
        let all = theirs.text.split(separator: "\r\n").first { $0.hasPrefix("all,") }
        #expect(all?.hasPrefix("all,2,0,") == true)
    }
}
