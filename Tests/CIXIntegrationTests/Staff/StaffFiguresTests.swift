import CIXCore
import CIXNode
import CIXStaff
import CIXStore
import CIXTesting
import Foundation
import Testing

/// The figures page's numbers against a direct count of what the council signed, for a generated year of work.
@Suite("Staff figures", .serialized)
struct StaffFiguresTests {
    @Test func figuresEqualADirectCountOfTheLog() async throws {
        try await WebTown.run("staff-figures") { town in try await check(town) }
    }

    func check(_ town: WebTown) async throws {
        let council = town.council.node
        let now = Timestamp.now().secondsSinceEpoch
        var random = SeededGenerator(seed: 12)
        let categories = ["fly_tipping", "graffiti", "litter"]
        // 90 reports over 400 days; each accepted, then maybe fixed, or declined, or left alone.
        for index in 0..<90 {
            let reported = now - Int64(Int.random(in: 0..<(400 * 86_400), using: &random))
            var submission = ReportSubmission(
                title: "Generated report \(index)",
                category: categories[index % 3],
                latitude: 52.205,
                longitude: 0.121
            )
            submission.screening = .mask
            let issue = try council.intake.report(submission, now: Timestamp(secondsSinceEpoch: reported)).id
            let later = { (hours: Int) in Timestamp(secondsSinceEpoch: min(now - 1, reported + Int64(hours) * 3600)) }
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                _ = try council.act(
                    .accept(AcceptBody()),
                    on: issue,
                    now: later(1 + Int.random(in: 0..<200, using: &random))
                )
            case 1:
                _ = try council.act(
                    .accept(AcceptBody()),
                    on: issue,
                    now: later(1 + Int.random(in: 0..<48, using: &random))
                )
                _ = try council.act(
                    .status(StatusBody(state: .fixed)),
                    on: issue,
                    now: later(60 + Int.random(in: 0..<900, using: &random))
                )
            case 2:
                _ = try council.act(.decline(DeclineBody(reason: "not ours")), on: issue, now: later(2))
            default:
                break
            }
        }
        let from = now - 180 * 86_400
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        let fromText = day.string(from: Date(timeIntervalSince1970: TimeInterval(from)))
        let toText = day.string(from: Date(timeIntervalSince1970: TimeInterval(now)))
        let fromDay = Int64(day.date(from: fromText)!.timeIntervalSince1970)
        let toDay = Int64(day.date(from: toText)!.timeIntervalSince1970) + 86_399

        // The direct count: every event in the log, decoded, by the definitions on the page.
        let events = try council.store.events(after: 0, limit: 100_000).compactMap { try? Event.decodeStored($0.bytes) }
        let reports = events.filter { $0.kind == .report }
        let category = Dictionary(
            uniqueKeysWithValues: reports.map { ($0.id, $0.content.flatMap(Self.category) ?? "") }
        )
        let reportedAt = Dictionary(uniqueKeysWithValues: reports.map { ($0.id, $0.at.secondsSinceEpoch) })
        let ours = events.filter { $0.author == council.id && (fromDay...toDay).contains($0.at.secondsSinceEpoch) }
        func count(_ name: String, _ matches: (Event) -> Bool) -> Int {
            ours.filter { (name == "all" || category[$0.issue] == name) && matches($0) }.count
        }
        var expected: [String: [String]] = [:]
        for name in categories + ["all"] {
            let received = reports.filter {
                (name == "all" || category[$0.id] == name) && (fromDay...toDay).contains($0.at.secondsSinceEpoch)
            }.count
            let accepted = count(name) { $0.kind == .accept }
            let declined = count(name) { $0.kind == .decline }
            let fixed = count(name, Self.isFixed)
            // Open: neither declined nor fixed, by age of the report.
            var open = [0, 0, 0, 0]
            for report in reports where name == "all" || category[report.id] == name {
                let closed = events.contains { event in
                    event.issue == report.id && event.author == council.id
                        && (event.kind == .decline || Self.isFixed(event))
                }
                if closed { continue }
                let days = (now - report.at.secondsSinceEpoch) / 86_400
                open[days < 7 ? 0 : days < 28 ? 1 : days < 91 ? 2 : 3] += 1
            }
            func median(_ kind: EventKind, fixedOnly: Bool) -> String {
                let values = ours.filter { event in
                    guard name == "all" || category[event.issue] == name, event.kind == kind else { return false }
                    if fixedOnly, case .status(let body)? = event.content { return body.state == .fixed }
                    return !fixedOnly
                }.map { Double($0.at.secondsSinceEpoch - reportedAt[$0.issue]!) / 86_400 }.sorted()
                guard !values.isEmpty else { return "" }
                let middle = values.count / 2
                let value = values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
                return String(format: "%.1f", value)
            }
            expected[name] =
                [name, String(received), String(accepted), String(declined), String(fixed)] + open.map(String.init)
                + [median(.accept, fixedOnly: false), median(.status, fixedOnly: true)]
        }
        #expect(expected["all"]?[2] != "0", "the workload should accept something in the period")

        // The page's CSV, read as an analyst would.
        let analyst = try await StaffClient.signIn(
            WebClient(node: town.council),
            try await town.addStaff("ann", role: "analyst")
        )
        let csv = try await analyst.get("/staff/figures.csv?from=\(fromText)&to=\(toText)")
        #expect(csv.status == 200)
        #expect(csv.header("content-type") == "text/csv; charset=utf-8")
        let lines = csv.text.split(separator: "\r\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        #expect(lines.first?.first == "category")
        for name in categories + ["all"] {
            #expect(lines.first { $0.first == name } == expected[name], "\(name)")
        }
        // The page shows the same totals, and an SVG chart.
        let page = try await analyst.get("/staff/figures?from=\(fromText)&to=\(toText)")
        #expect(page.status == 200)
        #expect(page.text.contains("<svg viewBox"))
        let all = try #require(expected["all"])
        #expect(
            page.text.contains("In all: \(all[1]) received, \(all[2]) accepted, \(all[3]) declined, \(all[4]) fixed")
        )
        // The public sees the same figures (every category) on the node, linked from its directory page.
        let publicCSV = try await WebClient(node: town.council).get("/figures.csv?from=\(fromText)&to=\(toText)")
        #expect(publicCSV.status == 200)
        #expect(publicCSV.text == csv.text)
        let publicPage = try await WebClient(node: town.council).get("/figures?from=\(fromText)&to=\(toText)")
        #expect(publicPage.text.contains("In all: \(all[1]) received"))
        #expect(try await WebClient(node: town.council).get("/nodes").text.contains("href=\"/figures\""))
        #expect(try await WebClient(node: town.mirror).get("/figures").status == 404)
        // A case officer may not see the figures; a bad date is a clear 400.
        let officer = try await StaffClient.signIn(
            WebClient(node: town.council),
            try await town.addStaff("olive", role: "case-officer")
        )
        #expect(try await officer.get("/staff/figures").status == 403)
        let bad = try await analyst.get("/staff/figures?from=yesterday")
        #expect(bad.status == 400)
        #expect(bad.text.contains("from must be a date written YYYY-MM-DD"))
    }

    static func isFixed(_ event: Event) -> Bool {
        if case .status(let body)? = event.content { return body.state == .fixed }
        return false
    }

    static func category(_ body: EventBody) -> String? {
        if case .report(let report) = body { return report.category }
        return nil
    }
}
