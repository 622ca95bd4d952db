import CIXCore
import CIXNode
import CIXTesting
import Foundation

/// The national federation in small: a country-shaped federation of `bodies`
/// nodes (`Country`: councils, police forces, health trusts, transport
/// operators and voluntary groups in the national shares, reports in
/// proportion to people), each body a `cix serve` process holding the issues
/// it takes part in, and a fresh national mirror on PostgreSQL catching up from
/// all of them (`CatchUpBenchmark.measure`). An issue held by two or three
/// bodies is offered to the mirror by each: the figures say what that costs.
struct CountryBenchmark {
    let bodies: Int
    let reports: Int
    let concurrency: Int

    func run() async throws {
        let folder = TemporaryDirectory("cix-country-bench")
        defer { folder.remove() }
        let country = Country(bodies: bodies)
        var held = [Data](repeating: Data(), count: country.bodies.count)
        var unique = 0
        var uniqueBytes = 0
        var kinds: [EventKind: Int] = [:]
        var sharedBy = [Int](repeating: 0, count: 4)
        var lastIssue: EventID?
        country.generate(reports: reports) { event, holders in
            unique += 1
            uniqueBytes += event.bytes.count + 1
            kinds[event.kind, default: 0] += 1
            if event.issue != lastIssue {
                sharedBy[min(holders.count, 3)] += 1
                lastIssue = event.issue
            }
            for holder in holders {
                held[holder].append(contentsOf: event.bytes)
                held[holder].append(0x0A)
            }
        }
        let issues = sharedBy.reduce(0, +)
        let byKind = Dictionary(grouping: country.bodies, by: \.kind).mapValues(\.count)
        print(
            "country: \(country.bodies.count) bodies ("
                + [NodeKind.council, .police, .health, .transport, .voluntary]
                .map { "\(byKind[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ") + ")"
        )
        let people = country.districts.map(\.population)
        print(
            "districts: \(people.count); people a district: largest \(people.max() ?? 0), median \(people.sorted()[people.count / 2]), smallest \(people.min() ?? 0)"
        )
        print(
            String(
                format: "%d issues, %d events (%.2f an issue): %@",
                issues,
                unique,
                Double(unique) / Double(max(issues, 1)),
                kinds.sorted { $0.value > $1.value }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
            )
        )
        let copies = held.map(\.count).reduce(0, +)
        print(
            String(
                format: "issues held by 1, 2, 3 bodies: %d, %d, %d; the bodies hold %.2f × the unique events' bytes",
                sharedBy[1],
                sharedBy[2],
                sharedBy[3],
                Double(copies) / Double(max(uniqueBytes, 1))
            )
        )
        let busiest = held.map(\.count).max() ?? 0
        print(String(format: "busiest body: %.1f MB of records", Double(busiest) / 1e6))
        // Each body's records to a file of its own, for its import to read (and remove).
        for (number, records) in held.enumerated() where !records.isEmpty {
            try records.write(to: folder.file("body-\(number).ndjson"))
        }
        held = []
        try await CatchUpBenchmark.measure(
            in: folder,
            bodies: country.bodies.count,
            concurrency: concurrency,
            kinds: country.bodies.map(\.kind)
        ) { number, body in
            let input = folder.file("body-\(number).ndjson")
            guard FileManager.default.fileExists(atPath: input.path) else { return 0 }
            return try await CatchUpBenchmark.importAndRemove(input, into: body)
        }
        print(
            String(
                format: "unique events' records: %.1f MB (the mirror stores each once)",
                Double(uniqueBytes) / 1e6
            )
        )
    }
}
