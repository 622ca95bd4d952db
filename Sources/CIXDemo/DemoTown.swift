import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXStore

/// Realistic reports for the fictional district of Greenfield, for `cix demo`.
///
/// Deterministic for a seed, so two demos look the same.
package struct DemoTown: Sendable {
    struct Fault {
        let category: String
        let titles: [String]
        let descriptions: [String]
    }

    static let streets = [
        ("Mill Lane", 52.2053, 0.1218), ("Station Road", 52.1949, 0.1372), ("Market Square", 52.2059, 0.1190),
        ("Riverside Park", 52.2110, 0.1355), ("Orchard Estate", 52.1880, 0.1620), ("Church Street", 52.2080, 0.1170),
        ("Victoria Road", 52.2001, 0.1290), ("The Green", 52.2134, 0.1101), ("Hollybush Way", 52.1910, 0.1480),
        ("Bridge Street", 52.2092, 0.1243), ("Kingsway Retail Park", 52.1862, 0.1389),
        ("Canal Towpath", 52.2150, 0.1300),
    ]

    static let faults = [
        Fault(
            category: "pothole",
            titles: ["Deep pothole", "Potholes across the junction", "Broken road surface"],
            descriptions: [
                "Cars are swerving into the cycle lane to avoid it.", "About 15 cm deep and filling with water.",
                "A cyclist came off here this morning.",
            ]
        ),
        Fault(
            category: "street_lighting",
            titles: ["Street light out", "Lamp flickering all night", "Row of lights dark"],
            descriptions: [
                "The path is completely unlit after 6pm.", "It has been out for two weeks now.",
                "Residents walking home from the station feel unsafe.",
            ]
        ),
        Fault(
            category: "fly_tipping",
            titles: ["Fly-tipping by the garages", "Mattresses dumped", "Builders' rubble left on verge"],
            descriptions: [
                "Bags of rubble and an old sofa.", "Blocking the footpath for pushchairs.",
                "Third time this month at the same spot.",
            ]
        ),
        Fault(
            category: "graffiti",
            titles: ["Graffiti on the bus shelter", "Tags on the underpass", "Offensive graffiti"],
            descriptions: [
                "Large tags across the timetable panel.", "Spray paint on the newly painted wall.",
                "Near the primary school entrance.",
            ]
        ),
        Fault(
            category: "antisocial_behaviour",
            titles: [
                "Anti-social behaviour in the park", "Groups drinking by the play area", "Motorbikes on the footpath",
            ],
            descriptions: [
                "Loud music and broken glass most evenings after 9pm.",
                "Parents no longer take children there in the evening.", "Riding at speed between pedestrians.",
            ]
        ),
        Fault(
            category: "bus_timetable",
            titles: ["No early bus for shift workers", "Bus never arrives on time", "Evening service withdrawn"],
            descriptions: [
                "The first bus reaches the hospital after the 7am shift starts.",
                "The 6.40 is regularly 20 minutes late.", "No way home after 8pm since the timetable changed.",
            ]
        ),
        Fault(
            category: "bins",
            titles: ["Bins not collected", "Recycling left behind", "Overflowing litter bin"],
            descriptions: [
                "The whole street was missed on Tuesday.", "Crews took the general waste but not the recycling.",
                "Rubbish blowing across the square.",
            ]
        ),
        Fault(
            category: "flooding",
            titles: ["Blocked drain flooding the road", "Underpass flooded", "Water pouring from the bank"],
            descriptions: [
                "Every time it rains the road is impassable.", "Ankle-deep water, no way round for wheelchairs.",
                "Has been running for three days.",
            ]
        ),
        Fault(
            category: "trees",
            titles: [
                "Fallen branch across the path", "Tree roots lifting the pavement",
                "Overhanging branches blocking sign",
            ],
            descriptions: [
                "Came down in last night's wind.", "Trip hazard outside the care home.",
                "The speed limit sign can't be seen.",
            ]
        ),
        Fault(
            category: "dog_fouling",
            titles: ["Dog fouling on the school route", "No dog bins in the park"],
            descriptions: ["Every morning on the way to school.", "The nearest bin is at the far gate."]
        ),
    ]

    static let comments = [
        "Still there this morning.", "Same problem outside number 14.", "I reported this last year too.",
        "It's worse after rain.", "My neighbour tripped here on Sunday.", "Thank you for looking at this.",
    ]
    static let solutions = [
        "A mirror on the corner would help drivers see pedestrians.", "Move the bin nearer the gate.",
        "Extend the 6.10 service to start at the depot.", "Cut back the hedge and the sign will be visible.",
    ]
    static let offers = [
        ("Our litter-pick group can clear it on Saturday", "Greenfield Volunteers"),
        ("I can give lifts to the hospital for early shifts", "A resident on Orchard Estate"),
        ("We can lend tools and gloves", "St Mary's Church hall"),
    ]

    package let seed: UInt64

    package init(seed: UInt64 = 2026) {
        self.seed = seed
    }

    /// Makes `count` reports on `node` (each routed, like any report, by the
    /// places and categories the node knows of), with confirmations, comments,
    /// solutions, offers and statuses as a busy town would have them.
    package func populate(_ node: LocalNode, reports count: Int, progress: (Int) -> Void = { _ in }) throws(NodeError) {
        var random = SeededGenerator(seed: seed)
        let now = Timestamp.now()
        for index in 0..<count {
            let fault = Self.faults[random.next(Self.faults.count)]
            let (street, lat, lon) = Self.streets[random.next(Self.streets.count)]
            let latitude = ((lat - 0.004) * 100_000 + Double(random.next(800))).rounded() / 100_000
            let longitude = ((lon - 0.004) * 100_000 + Double(random.next(800))).rounded() / 100_000
            let title = "\(fault.titles[random.next(fault.titles.count)]) on \(street)"
            let report = ReportSubmission(
                title: title,
                description: fault.descriptions[random.next(fault.descriptions.count)],
                category: fault.category,
                latitude: latitude,
                longitude: longitude,
                address: street
            )
            let event: Event
            do {
                event = try node.report(report, now: now)
            } catch {
                throw error.nodeError ?? NodeError(.invalidInput, "a demo report was refused: \(error)")
            }
            for _ in 0..<random.next(4) {
                _ = try node.act(.confirm(ConfirmBody()), on: event.id, now: now)
            }
            if random.next(2) == 0 {
                _ = try node.act(
                    .comment(TextBody(text: Self.comments[random.next(Self.comments.count)])),
                    on: event.id,
                    now: now
                )
            }
            if random.next(5) == 0 {
                _ = try node.act(
                    .solution(TextBody(text: Self.solutions[random.next(Self.solutions.count)])),
                    on: event.id,
                    now: now
                )
            }
            if random.next(6) == 0 {
                let (what, by) = Self.offers[random.next(Self.offers.count)]
                _ = try node.act(.offer(OfferBody(what: what, by: by)), on: event.id, now: now)
            }
            let states: [AgencyStatus?] = [
                nil, .acknowledged, .investigating, .scheduled, .inProgress, .fixed, .fixed, .closed,
            ]
            let ownPart = (try? node.store.issueState(event.id))?.agencies[node.id]?.isActive ?? false
            if ownPart, let state = states[random.next(states.count)] {
                _ = try node.act(.status(StatusBody(state: state)), on: event.id, now: now)
            }
            progress(index + 1)
        }
    }
}

extension DemoTown {
    /// Answers, as `node`, one in `share` of the issues routed to it: accept and a status.
    package func answer(as node: LocalNode, share: Int) throws(NodeError) {
        var random = SeededGenerator(seed: seed)
        let now = Timestamp.now()
        let issues: [IssueSummary]
        do {
            issues = try node.store.issues(IssueQuery(agency: node.id.hex, limit: 100_000))
        } catch {
            throw NodeError(error)
        }
        for issue in issues where random.next(max(share, 1)) == 0 {
            guard let id = EventID(issue.id), issue.origin != node.id.hex else { continue }
            _ = try node.act(.accept(AcceptBody(note: "Passed to the team that covers this area")), on: id, now: now)
            let states: [AgencyStatus] = [.investigating, .scheduled, .inProgress, .closed]
            _ = try node.act(.status(StatusBody(state: states[random.next(states.count)])), on: id, now: now)
        }
    }
}

extension SeededGenerator {
    /// A number in 0..<bound (0 if bound < 1).
    mutating func next(_ bound: Int) -> Int {
        bound < 1 ? 0 : Int.random(in: 0..<bound, using: &self)
    }
}
