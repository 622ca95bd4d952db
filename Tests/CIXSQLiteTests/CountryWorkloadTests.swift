import CIXCore
import CIXRouting
import CIXSQLite
import CIXTesting
import Foundation
import Testing

/// The country-shaped federation the national simulation (`cix-bench country`) runs:
/// its shape, and that every event it makes is one a real store takes and folds
/// as the story says (routed to the body answering the category, held by those
/// taking part).
@Suite("Country-shaped workload")
struct CountryWorkloadTests {
    @Test func aSmallCountryHasTheNationalSharesAndItsReportsFoldAsTheirStorySays() throws {
        let country = Country(bodies: 150, seed: 4)
        let byKind = Dictionary(grouping: country.bodies, by: \.kind).mapValues(\.count)
        #expect(byKind == [.council: 40, .police: 5, .health: 22, .transport: 4, .voluntary: 79])
        #expect(country.districts.count == 40)
        #expect(Set(country.bodies.map(\.node.id)).count == 150, "every body has a key of its own")
        // People spread unevenly: the largest district many times the smallest, all of them in the country.
        let people = country.districts.map(\.population)
        #expect(people.reduce(0, +) > Country.people * 99 / 100 && people.reduce(0, +) <= Country.people)
        #expect((people.max() ?? 0) > 10 * (people.min() ?? 1))
        // Every district is served by one body of each public kind.
        for district in country.districts.indices {
            for kind in [NodeKind.council, .police, .health, .transport] {
                #expect(country.bodies.filter { $0.kind == kind && $0.districts.contains(district) }.count == 1)
            }
        }

        let folder = TemporaryDirectory("country-workload")
        defer { folder.remove() }
        let store = try SQLiteStore(path: folder.file("store.sqlite").path)
        var events: [Event] = []
        var holders: [EventID: [Int]] = [:]
        country.generate(reports: 1_000, seed: 9) { event, held in
            events.append(event)
            holders[event.issue] = held
        }
        let reports = events.filter { $0.kind == .report }
        #expect(abs(reports.count - 1_000) < 30, "\(reports.count) reports")
        #expect(Double(events.count) / Double(reports.count) > 4 && Double(events.count) / Double(reports.count) < 5)
        let outcomes = try store.ingestNow(events, source: "test", now: .now())
        let refused = outcomes.filter { !$0.isStored }.count
        #expect(refused == 0, "every event signed, in order, and taken")
        let categories = Set(try reports.map { try #require(try store.issueState($0.id)?.report?.category) })
        #expect(categories.count == 9)
        #expect(categories.allSatisfy { Taxonomy.category($0) != nil }, "a node takes only the shared taxonomy's")

        // Reports by people: the most populous district gets the most.
        let largest = try #require(people.indices.max { people[$0] < people[$1] })
        let counts = Dictionary(grouping: reports) { report in
            country.bodies.firstIndex { $0.node.id == report.author }
        }.mapValues(\.count)
        let councilOfLargest = country.bodies.firstIndex { $0.kind == .council && $0.districts.contains(largest) }
        #expect(counts[councilOfLargest] == counts.values.max())

        // Each issue: reported by its council, answered by the body whose category it is, held by both.
        var routedToPolice = 0
        for report in reports {
            let state = try #require(try store.issueState(report.id))
            let held = try #require(holders[report.id])
            #expect(country.bodies[held[0]].kind == .council && country.bodies[held[0]].node.id == report.author)
            let category = state.report?.category ?? ""
            if ["antisocial_behaviour", "abandoned_vehicle"].contains(category) {
                let police = try #require(held.dropFirst().first)
                #expect(country.bodies[police].kind == .police)
                #expect(state.agencies[country.bodies[police].node.id] != nil, "routed to the police")
                routedToPolice += 1
            } else if ["pothole", "fly_tipping"].contains(category) {
                #expect(held.allSatisfy { [.council, .voluntary].contains(country.bodies[$0].kind) })
            }
            #expect(held.count <= 3)
        }
        #expect(
            routedToPolice > 100 && routedToPolice < 220,
            "about 16% of reports go to the police: \(routedToPolice)"
        )
    }
}
