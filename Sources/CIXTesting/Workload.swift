import CIXCanonicalJSON
import CIXCore
import Foundation

/// Generates a town's worth of signed events: reports with the follow-ups a
/// real issue gets (confirmations, comments, routing, answers, statuses).
///
/// Deterministic for a seed. Used by tests that need volume and by the benchmarks.
package struct Workload: Sendable {
    package let issues: Int
    package let eventsPerIssue: Int
    package let seed: UInt64

    package init(issues: Int, eventsPerIssue: Int = 10, seed: UInt64 = 1) {
        self.issues = issues
        self.eventsPerIssue = max(1, eventsPerIssue)
        self.seed = seed
    }

    package var eventCount: Int { issues * eventsPerIssue }

    static let places = [
        ("Mill Lane", 52.2053, 0.1218), ("Station Road", 52.1949, 0.1372), ("Market Square", 52.2059, 0.1190),
        ("Riverside Park", 52.2110, 0.1355), ("Orchard Estate", 52.1880, 0.1620), ("Church Street", 52.2080, 0.1170),
    ]
    static let faults = [
        ("pothole", "Pothole", "Deep pothole in the carriageway, cars swerving round it"),
        ("street_lighting", "Street light out", "The lamp has been dark for a week; the path is unlit at night"),
        ("fly_tipping", "Fly-tipping", "Mattresses and bags of rubble dumped by the gate"),
        ("graffiti", "Graffiti", "Spray paint across the bus shelter"),
        ("antisocial_behaviour", "Anti-social behaviour", "Groups gathering late with loud music and broken glass"),
        ("bus_timetable", "No early bus", "The first bus arrives too late for early shifts"),
    ]

    /// Calls `emit` with each event in causal order (parents first).
    package func generate(_ emit: (Event) throws -> Void) rethrows {
        var random = SeededGenerator(seed: seed)
        var factory = EventFactory()
        let cast = [FixedKeys.council, FixedKeys.police, FixedKeys.volunteers]
        for number in 0..<issues {
            let (street, lat, lon) = Self.places.pick(using: &random)
            let (category, name, text) = Self.faults.pick(using: &random)
            let report = factory.report(
                by: FixedKeys.council,
                title: "\(name) on \(street) (#\(number))",
                category: category,
                lat: lat + Double(Int.random(in: -500...500, using: &random)) / 100_000,
                lon: lon + Double(Int.random(in: -500...500, using: &random)) / 100_000,
                description: text
            )
            try emit(report)
            var heads = [report]
            for step in 1..<eventsPerIssue {
                let author = cast[step % cast.count]
                let event: Event
                switch step {
                case 1:
                    event = factory.event(
                        .route,
                        by: FixedKeys.council,
                        on: report.id,
                        after: heads,
                        body: Bodies.route([FixedKeys.council.id, FixedKeys.police.id])
                    )
                case 2:
                    event = factory.event(
                        .accept,
                        by: FixedKeys.police,
                        on: report.id,
                        after: heads,
                        body: JSONObject()
                    )
                case 3:
                    event = factory.event(
                        .status,
                        by: FixedKeys.police,
                        on: report.id,
                        after: heads,
                        body: Bodies.status(
                            [.investigating, .scheduled, .inProgress, .fixed].pick(using: &random)
                        )
                    )
                default:
                    let kind = [EventKind.confirm, .comment, .comment, .solution, .offer].pick(using: &random)
                    let body: JSONObject =
                        switch kind {
                        case .confirm: JSONObject(["note": "Still there this morning"])
                        case .offer:
                            JSONObject(["what": "I can help clear it on Saturday", "by": "Greenfield Volunteers"])
                        default:
                            Bodies.text("Seen again on \(street) around \(Int.random(in: 6...22, using: &random)):00")
                        }
                    event = factory.event(kind, by: author, on: report.id, after: heads, body: body)
                }
                try emit(event)
                heads = [event]
            }
        }
    }

    /// Writes the workload as NDJSON.
    package func write(to url: URL) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var buffer = Data()
        try generate { event in
            buffer.append(contentsOf: event.bytes)
            buffer.append(0x0A)
            if buffer.count > 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
    }
}
