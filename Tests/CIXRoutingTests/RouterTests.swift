import CIXCanonicalJSON
import CIXCore
import CIXDemo
import CIXRouting
import CIXTesting
import Foundation
import Testing

@Suite("Routing on the Greenfield fixture")
struct RouterTests {
    let router = Router(agencies: GreenfieldNodes.agencies)

    func recipients(_ category: String, _ point: Point) -> Set<String> {
        let ids = Set(router.route(category: category, latitude: point.y, longitude: point.x).map(\.node))
        return Set(GreenfieldNodes.keys.filter { ids.contains($0.value.id) }.map(\.key))
    }

    static let townVertex = Greenfield.town[17]
    static let townEdgeMidpoint = Point(
        x: (Greenfield.town[40].x + Greenfield.town[41].x) / 2,
        y: (Greenfield.town[40].y + Greenfield.town[41].y) / 2
    )
    static let airfieldCenter = Point(x: 0.170, y: 52.220)
    static let airfieldVertex = Greenfield.airfield[3]
    static let villageCenter = Point(x: 0.215, y: 52.160)
    static let farAway = Point(x: 1.5, y: 53.0)
    static let countyOnly = Point(x: 0.30, y: 52.10)

    static let cases: [(String, String, Point, Set<String>)] = [
        (
            "ASB in the town centre: council, police, volunteers", "antisocial_behaviour", Greenfield.center,
            ["council", "police", "volunteers"]
        ),
        ("pothole in the town: the county only", "pothole", Greenfield.center, ["county"]),
        (
            "fly-tipping in the town centre: council and volunteers", "fly_tipping", Greenfield.center,
            ["council", "volunteers"]
        ),
        ("late bus on the corridor: the bus company", "bus_timetable", Point(x: 0.125, y: 52.200), ["buses"]),
        ("litter in the detached village: council only", "litter", villageCenter, ["council"]),
        ("litter inside the airfield hole: nobody", "litter", airfieldCenter, []),
        ("pothole inside the airfield hole: county still covers it", "pothole", airfieldCenter, ["county"]),
        ("litter on a vertex of the hole: the council (edges count as inside)", "litter", airfieldVertex, ["council"]),
        ("litter on a vertex of the town boundary", "litter", townVertex, ["council"]),
        ("litter on an edge of the town boundary", "litter", townEdgeMidpoint, ["council"]),
        ("pothole outside the town, inside the county", "pothole", countyOnly, ["county"]),
        ("anything far away: nobody", "pothole", farAway, []),
        ("a category nobody serves", "rail_station", Greenfield.center, []),
    ]

    @Test("fixture place", arguments: cases)
    func fixture(name: String, category: String, point: Point, expected: Set<String>) {
        #expect(recipients(category, point) == expected, "\(name)")
    }

    @Test func recipientsCarryReasonsAndAreSorted() {
        let routed = router.route(
            category: "antisocial_behaviour",
            latitude: Greenfield.center.y,
            longitude: Greenfield.center.x
        )
        #expect(routed.map(\.node) == routed.map(\.node).sorted())
        #expect(routed.allSatisfy { $0.reason.contains("anti-social behaviour") })
    }

    @Test func localRulesAddExcludeAndReplace() {
        let council = GreenfieldNodes.id("council")
        let police = GreenfieldNodes.id("police")
        let buses = GreenfieldNodes.id("buses")
        let add = Router(
            agencies: GreenfieldNodes.agencies,
            rules: [RoutingRule(action: .add, category: "pothole", node: council, reason: "we inspect too")]
        )
        #expect(
            Set(
                add.route(category: "pothole", latitude: Greenfield.center.y, longitude: Greenfield.center.x).map(
                    \.node
                )
            ) == [council, GreenfieldNodes.id("county")]
        )
        let exclude = Router(
            agencies: GreenfieldNodes.agencies,
            rules: [RoutingRule(action: .exclude, category: nil, node: police, reason: "")]
        )
        #expect(
            !exclude.route(
                category: "antisocial_behaviour",
                latitude: Greenfield.center.y,
                longitude: Greenfield.center.x
            ).map(\.node).contains(police)
        )
        let replace = Router(
            agencies: GreenfieldNodes.agencies,
            rules: [RoutingRule(action: .replace, category: "noise", node: buses, reason: "test")]
        )
        #expect(
            replace.route(category: "noise", latitude: Greenfield.center.y, longitude: Greenfield.center.x).map(\.node)
                == [buses]
        )
        // A rule for another category changes nothing.
        #expect(
            replace.route(category: "litter", latitude: Greenfield.center.y, longitude: Greenfield.center.x).count == 2
        )
    }

    @Test func mirrorsNeverReceiveRoutes() {
        let mirror = Agency(
            node: FixedKeys.stranger.id,
            name: "Mirror",
            kind: .mirror,
            categories: ["pothole"],
            area: nil
        )
        #expect(Router(agencies: [mirror]).route(category: "pothole", latitude: 52.2, longitude: 0.1).isEmpty)
    }

    /// A deliberately naive router: every edge of every ring, no index, no bounding boxes.
    static func naive(_ agencies: [Agency], _ category: String, _ x: Double, _ y: Double) -> Set<NodeID> {
        func locate(_ ring: [Point]) -> Int {  // 1 inside, 0 boundary, -1 outside
            var inside = false
            for i in 0..<(ring.count - 1) {
                let (a, b) = (ring[i], ring[i + 1])
                let cross = (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x)
                if x >= min(a.x, b.x), x <= max(a.x, b.x), y >= min(a.y, b.y), y <= max(a.y, b.y),
                    abs(cross) <= 1e-12 * max(abs(b.x - a.x), abs(b.y - a.y), 1e-12)
                {
                    return 0
                }
                if (a.y > y) != (b.y > y), x < a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y) { inside.toggle() }
            }
            return inside ? 1 : -1
        }
        return Set(
            agencies.filter { agency in
                guard agency.categories.contains(category) else { return false }
                guard let area = agency.area else { return true }
                return area.polygons.contains { polygon in
                    locate(polygon.rings[0].points) >= 0
                        && !polygon.rings.dropFirst().contains { locate($0.points) == 1 }
                }
            }.map(\.node)
        )
    }

    @Test func agreesWithTheNaiveRouterOnRandomPoints() {
        var random = SeededGenerator(seed: 42)
        let categories = Taxonomy.categories.map(\.code)
        var disagreements = 0
        var routedSome = 0
        for _ in 0..<5_000 {
            let x = Double.random(in: -0.15...0.45, using: &random)
            let y = Double.random(in: 52.0...52.4, using: &random)
            let category = categories.randomElement(using: &random)!
            let real = Set(router.route(category: category, latitude: y, longitude: x).map(\.node))
            if real != Self.naive(GreenfieldNodes.agencies, category, x, y) { disagreements += 1 }
            if !real.isEmpty { routedSome += 1 }
        }
        #expect(disagreements == 0)
        #expect(routedSome > 500)  // the sample really exercises the areas
    }

    @Test func areasReadBackFromTheirGeoJSON() throws {
        for body in Greenfield.bodies {
            let again = try Area(geoJSON: body.area.geoJSON)
            #expect(again.polygons.count == body.area.polygons.count)
            #expect(
                again.contains(latitude: Greenfield.center.y, longitude: Greenfield.center.x)
                    == body.area.contains(latitude: Greenfield.center.y, longitude: Greenfield.center.x)
            )
        }
        #expect(throws: RoutingError.self) {
            try Area(geoJSON: JSONObject(["type": "Point", "coordinates": .array([1, 2])]))
        }
    }
}

@Suite("Taxonomy")
struct TaxonomyTests {
    @Test func codesAreUniqueAndValid() {
        let codes = Taxonomy.categories.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(Set(Taxonomy.categories.map(\.open311)).count == codes.count)
        #expect(codes.count >= 40)
        for code in codes { #expect(code.allSatisfy { $0.isLowercase || $0 == "_" }) }
    }

    @Test func protocolFileMatchesTheCode() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/taxonomy.json")
        #expect(try String(contentsOf: url, encoding: .utf8) == TaxonomyDocument.text)
    }

    @Test func everyFixtureCategoryIsInTheTaxonomy() {
        for body in Greenfield.bodies {
            for code in body.categories { #expect(Taxonomy.category(code) != nil, "\(code)") }
        }
    }
}
