import CIXCanonicalJSON
import CIXCore
import Foundation

/// A country-shaped federation, generated: councils tiling a country's map,
/// police forces, health trusts and transport operators each over a run of
/// neighbouring councils, voluntary groups in a town each; people spread
/// unevenly (a few cities, many small districts), and reports in proportion to
/// them, with the life a real report has (routed to the body whose category
/// it is, accepted, worked, commented on, sometimes helped by volunteers).
///
/// Each body holds the issues it takes part in: the council that took the
/// report, the agency it was routed to, the volunteers who offered. So an
/// issue is held by one to three bodies, and a mirror pulling from all of
/// them is offered it by each. Deterministic for a seed.
package struct Country: Sendable {
    /// One organisation running a node.
    package struct Body: Sendable {
        package let node: TestNode
        package let kind: NodeKind
        /// The councils (by index in `councils`) whose districts it serves.
        package let districts: Range<Int>
        /// People living where it serves.
        package let population: Int
    }

    /// A council's district: a cell of the country's map.
    package struct District: Sendable {
        package let name: String
        package let south: Double
        package let west: Double
        package let height: Double
        package let width: Double
        package let population: Int
    }

    /// The shares of a national federation of 1,500 bodies (England and Wales and
    /// Scotland's sizes, rounded): 400 councils, 45 police forces, 220 health
    /// trusts, 35 transport operators, 800 voluntary groups.
    static let shares: [(NodeKind, Double)] = [
        (.council, 400 / 1_500), (.police, 45 / 1_500), (.health, 220 / 1_500), (.transport, 35 / 1_500),
    ]
    /// People in the whole country.
    package static let people = 67_000_000
    /// Reports a year per person: 5,000,000 reports a year nationally.
    package static let reportsPerPerson = 5_000_000.0 / Double(people)

    /// A category, the kind of body that answers it, and how often it is reported.
    static let categories: [(category: String, answeredBy: NodeKind, weight: Int, title: String)] = [
        ("pothole", .council, 30, "Pothole"), ("street_lighting", .council, 14, "Street light out"),
        ("fly_tipping", .council, 14, "Fly-tipping"), ("graffiti", .council, 6, "Graffiti"),
        ("grass_verges", .council, 6, "Overgrown verge"),
        ("antisocial_behaviour", .police, 12, "Anti-social behaviour"),
        ("abandoned_vehicle", .police, 4, "Abandoned vehicle"), ("bus_stop", .transport, 8, "Damaged bus stop"),
        ("public_health", .health, 6, "Health risk"),
    ]

    package let bodies: [Body]
    package let districts: [District]

    /// A country of `count` bodies (at least five: one of each kind), in the national shares.
    package init(bodies count: Int, seed: UInt64 = 1) {
        var random = SeededGenerator(seed: seed)
        let total = max(5, count)
        var numbers: [NodeKind: Int] = [:]
        for (kind, share) in Self.shares { numbers[kind] = max(1, Int((Double(total) * share).rounded())) }
        let councils = numbers[.council] ?? 1
        // People: a few cities, many small districts (Zipf's law over the districts' sizes).
        let weights = (1...councils).map { 1 / pow(Double($0), 0.8) }.shuffled(using: &random)
        let scale = Double(Self.people) / weights.reduce(0, +)
        // The map: Great Britain's box, cut into a grid of districts.
        let columns = Int(Double(councils).squareRoot().rounded(.up))
        let rows = (councils + columns - 1) / columns
        let (south, west, height, width) = (50.0, -5.5, 8.5, 7.2)
        districts = (0..<councils).map { index in
            District(
                name: "District \(index + 1)",
                south: south + Double(index / columns) * height / Double(rows),
                west: west + Double(index % columns) * width / Double(columns),
                height: height / Double(rows),
                width: width / Double(columns),
                population: Int(weights[index] * scale)
            )
        }
        var made: [Body] = []
        var seedNumber: UInt32 = 0
        func node(_ name: String) -> TestNode {
            seedNumber += 1
            let bytes = withUnsafeBytes(of: (seed, seedNumber)) { Array($0) }
            return TestNode(name: name, seed: Array((bytes + [UInt8](repeating: 0x5C, count: 32)).prefix(32)))
        }
        let districts = districts
        func population(_ range: Range<Int>) -> Int { districts[range].map(\.population).reduce(0, +) }
        for kind in [NodeKind.council, .police, .health, .transport] {
            let number = numbers[kind] ?? 1
            for index in 0..<number {
                // Neighbouring districts in runs of about equal length.
                let range =
                    (index * councils / number)..<max((index + 1) * councils / number, index * councils / number + 1)
                made.append(
                    Body(
                        node: node("\(kind.rawValue) \(index + 1)"),
                        kind: kind,
                        districts: range,
                        population: population(range)
                    )
                )
            }
        }
        for index in 0..<max(0, total - made.count) {
            let district = Int.random(in: 0..<councils, using: &random)
            made.append(
                Body(
                    node: node("voluntary group \(index + 1)"),
                    kind: .voluntary,
                    districts: district..<district + 1,
                    population: 0
                )
            )
        }
        bodies = made
    }

    /// The bodies of a kind serving a council's district.
    func serving(_ district: Int, kind: NodeKind) -> [Int] {
        bodies.indices.filter { bodies[$0].kind == kind && bodies[$0].districts.contains(district) }
    }

    /// Generates `reports` reports across the country, in proportion to the districts' people,
    /// with their follow-ups; calls `emit` with each event (parents first) and the indices
    /// of the bodies that hold it.
    package func generate(reports: Int, seed: UInt64 = 1, _ emit: (Event, [Int]) throws -> Void) rethrows {
        var random = SeededGenerator(seed: seed)
        var factory = EventFactory()
        let people = districts.map(\.population).reduce(0, +)
        let categoryWeights = Self.categories.map(\.weight).reduce(0, +)
        let councilOf = Dictionary(
            uniqueKeysWithValues: bodies.indices.filter { bodies[$0].kind == .council }.map {
                (bodies[$0].districts.lowerBound, $0)
            }
        )
        var number = 0
        for (index, district) in districts.enumerated() {
            // This district's share, the remainder given to the largest districts by rounding.
            let share = Int((Double(reports) * Double(district.population) / Double(max(people, 1))).rounded())
            let council = councilOf[index] ?? 0
            let volunteers = serving(index, kind: .voluntary)
            for _ in 0..<share {
                number += 1
                var pick = Int.random(in: 0..<categoryWeights, using: &random)
                let category =
                    Self.categories.first { entry in
                        defer { pick -= entry.weight }
                        return pick < entry.weight
                    } ?? Self.categories[0]
                let agency =
                    category.answeredBy == .council
                    ? council : serving(index, kind: category.answeredBy).first ?? council
                var holders = agency == council ? [council] : [council, agency]
                let report = factory.report(
                    by: bodies[council].node,
                    title: "\(category.title) in \(district.name) (#\(number))",
                    category: category.category,
                    lat: district.south + Double.random(in: 0..<district.height, using: &random),
                    lon: district.west + Double.random(in: 0..<district.width, using: &random),
                    description: "Reported by a resident of \(district.name)"
                )
                var life = [report]
                func follow(_ kind: EventKind, by body: Int, _ content: JSONObject) {
                    let event = factory.event(
                        kind,
                        by: bodies[body].node,
                        on: report.id,
                        after: [life[life.count - 1]],
                        body: content
                    )
                    life.append(event)
                }
                if agency != council {
                    follow(.route, by: council, Bodies.route([bodies[agency].node.id]))
                }
                follow(.accept, by: agency, JSONObject())
                follow(.status, by: agency, Bodies.status([.investigating, .scheduled, .fixed].pick(using: &random)))
                // Five events a report on average: a comment or a confirmation or two, volunteers sometimes.
                for _ in 0..<Int.random(in: 0...2, using: &random) {
                    if Bool.random(using: &random) {
                        follow(.confirm, by: council, JSONObject(["note": "Still there"]))
                    } else {
                        follow(.comment, by: council, Bodies.text("Seen again this week"))
                    }
                }
                if !volunteers.isEmpty, Int.random(in: 0..<10, using: &random) == 0 {
                    let group = volunteers.pick(using: &random)
                    follow(
                        .offer,
                        by: group,
                        JSONObject(["what": "We can help on Saturday", "by": .string(bodies[group].node.name)])
                    )
                    holders.append(group)
                }
                for event in life { try emit(event, holders) }
            }
        }
    }
}
