import CIXCore
import CIXRouting
import Foundation

/// Greenfield: a fictional but realistic district for tests, the demo and benchmarks.
///
/// Five bodies whose areas overlap as real ones do: a district council (the
/// town and a detached village, minus the airfield it does not administer), a
/// county highways authority (a much larger area around it), a police force
/// with three neighbourhood areas, a bus operator along its corridors, and a
/// volunteer group in the town centre and by the river. Boundaries are
/// irregular, with tens to hundreds of vertices, generated deterministically.
package enum Greenfield {
    package struct Body: Sendable {
        package let key: String
        package let name: String
        package let kind: NodeKind
        package let categories: [String]
        package let area: Area
    }

    package static let center = Point(x: 0.125, y: 52.205)

    package static let airfield = blob(
        center: Point(x: 0.170, y: 52.220),
        radiusX: 0.008,
        radiusY: 0.005,
        vertices: 24,
        seed: 5
    )
    package static let town = blob(center: center, radiusX: 0.060, radiusY: 0.038, vertices: 180, seed: 1)
    package static let village = blob(
        center: Point(x: 0.215, y: 52.160),
        radiusX: 0.012,
        radiusY: 0.008,
        vertices: 48,
        seed: 2
    )

    package static let bodies: [Body] = [
        Body(
            key: "council",
            name: "Greenfield District Council",
            kind: .council,
            categories: [
                "antisocial_behaviour", "bins", "community_help", "dog_fouling", "empty_property", "fly_tipping",
                "food_safety",
                "graffiti", "grass_verges", "housing_repairs", "litter", "needles", "noise", "parks", "pests",
                "pollution",
                "public_health", "public_toilets", "rough_sleeping", "street_cleaning", "trees",
            ],
            area: area([try? Polygon(outer: town, holes: [airfield]), try? Polygon(outer: village)])
        ),
        Body(
            key: "county",
            name: "Countyshire County Council Highways",
            kind: .county,
            categories: [
                "abandoned_vehicle", "accessibility", "bus_route", "cycle_route", "drains", "flooding", "gritting",
                "parking",
                "pavement", "pothole", "road_markings", "road_obstruction", "road_surface", "street_lighting",
                "traffic_signals",
                "transport_accessibility",
            ],
            area: area([
                try? Polygon(
                    outer: blob(center: Point(x: 0.14, y: 52.19), radiusX: 0.22, radiusY: 0.14, vertices: 360, seed: 3)
                )
            ])
        ),
        Body(
            key: "police",
            name: "Greenfield Neighbourhood Police",
            kind: .police,
            categories: [
                "abandoned_vehicle", "antisocial_behaviour", "drug_dealing", "needles", "parking", "speeding",
                "street_drinking",
                "vandalism",
            ],
            area: area([
                try? Polygon(
                    outer: blob(
                        center: Point(x: 0.110, y: 52.228),
                        radiusX: 0.050,
                        radiusY: 0.022,
                        vertices: 96,
                        seed: 11
                    )
                ),
                try? Polygon(
                    outer: blob(
                        center: Point(x: 0.125, y: 52.205),
                        radiusX: 0.035,
                        radiusY: 0.016,
                        vertices: 96,
                        seed: 12
                    )
                ),
                try? Polygon(
                    outer: blob(
                        center: Point(x: 0.140, y: 52.180),
                        radiusX: 0.055,
                        radiusY: 0.024,
                        vertices: 96,
                        seed: 13
                    )
                ),
            ])
        ),
        Body(
            key: "buses",
            name: "Greenfield & District Buses",
            kind: .transport,
            categories: ["bus_route", "bus_stop", "bus_timetable", "transport_accessibility"],
            area: area([
                try? Polygon(
                    outer: corridor(from: Point(x: 0.05, y: 52.205), to: Point(x: 0.23, y: 52.165), width: 0.010)
                ),
                try? Polygon(
                    outer: corridor(from: Point(x: 0.125, y: 52.250), to: Point(x: 0.125, y: 52.160), width: 0.008)
                ),
            ])
        ),
        Body(
            key: "volunteers",
            name: "Greenfield Volunteers",
            kind: .voluntary,
            categories: [
                "antisocial_behaviour", "community_help", "fly_tipping", "graffiti", "litter", "rough_sleeping",
            ],
            area: area([
                try? Polygon(
                    outer: blob(
                        center: Point(x: 0.120, y: 52.206),
                        radiusX: 0.012,
                        radiusY: 0.008,
                        vertices: 40,
                        seed: 21
                    )
                ),
                try? Polygon(
                    outer: corridor(from: Point(x: 0.100, y: 52.215), to: Point(x: 0.160, y: 52.212), width: 0.004)
                ),
            ])
        ),
    ]

    package static func body(_ key: String) -> Body? { bodies.first { $0.key == key } }

    static func area(_ polygons: [Polygon?]) -> Area { Area(polygons: polygons.compactMap { $0 }) }

    /// An irregular closed outline around `center`, like a real boundary.
    package static func blob(center: Point, radiusX: Double, radiusY: Double, vertices: Int, seed: UInt64) -> [Point] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        func noise() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var points: [Point] = []
        let phase1 = noise() * 6.283
        let phase2 = noise() * 6.283
        for index in 0..<vertices {
            let angle = Double(index) / Double(vertices) * 2 * Double.pi
            let wobble = 1 + 0.12 * sin(3 * angle + phase1) + 0.06 * sin(7 * angle + phase2) + 0.03 * (noise() - 0.5)
            points.append(
                Point(
                    x: ((center.x + radiusX * wobble * cos(angle)) * 1e6).rounded() / 1e6,
                    y: ((center.y + radiusY * wobble * sin(angle)) * 1e6).rounded() / 1e6
                )
            )
        }
        points.append(points[0])
        return points
    }

    /// A band of the given width along a straight road, for a bus route.
    static func corridor(from a: Point, to b: Point, width: Double) -> [Point] {
        let (dx, dy) = (b.x - a.x, b.y - a.y)
        let length = (dx * dx + dy * dy).squareRoot()
        let (nx, ny) = (-dy / length * width, dx / length * width)
        return [
            Point(x: a.x + nx, y: a.y + ny), Point(x: b.x + nx, y: b.y + ny), Point(x: b.x - nx, y: b.y - ny),
            Point(x: a.x - nx, y: a.y - ny), Point(x: a.x + nx, y: a.y + ny),
        ]
    }
}
