import CIXCore
import CIXNode
import CIXTesting
import Foundation
import Testing

/// A search's list, page after page, from a served node (on SQLite, and on
/// PostgreSQL in CI's second pass, where a page is read from the latest issues
/// first and the words' index after): every page says how many issues match,
/// the last one counting them from what it shows.
@Suite("Pages of a search", .serialized)
struct SearchPagesTests {
    @Test func everyPageOfASearchSaysHowManyMatchAndShowsItsShare() async throws {
        let folder = TemporaryDirectory("search-pages")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        defer { Task { await council.stop() } }
        var factory = EventFactory()
        var events: [Event] = []
        for number in 0..<60 {
            events.append(factory.report(by: FixedKeys.council, title: "Pothole on Mill Lane (#\(number))"))
        }
        for number in 0..<7 {
            events.append(
                factory.report(by: FixedKeys.police, title: "Graffiti on the bridge (#\(number))", category: "graffiti")
            )
        }
        _ = try council.node.store.ingestNow(events, source: "test", now: .now())
        let web = WebClient(node: council)

        // (page, what it says, how many issues it lists)
        let pages: [(String, String, Int)] = [
            ("/issues?q=pothole", "60 issues match.", 25),
            ("/issues?q=pothole&page=2", "60 issues match.", 25),
            ("/issues?q=pothole&page=3", "60 issues match.", 10),
            ("/issues?q=pothole&page=4", "60 issues match.", 0),
            ("/issues?q=mill+lane+pot&limit=20&page=3", "60 issues match.", 20),
            ("/issues?q=graff", "7 issues match.", 7),
            ("/issues?q=graffiti+bridge&limit=5&page=2", "7 issues match.", 2),
            ("/issues?q=graffiti&sort=reported&limit=3&page=3", "7 issues match.", 1),
            ("/issues?q=nothing+like+this", "No issues match.", 0),
        ]
        for (path, said, listed) in pages {
            let page = try await web.get(path)
            #expect(page.status == 200, "\(path)")
            #expect(page.text.contains(said), "\(path)")
            let titles = page.text.components(separatedBy: " (#").count - 1
            #expect(titles == listed, "\(path): \(titles) issues listed")
        }
        // The pages of a search hold each issue once, newest first.
        var seen: [String] = []
        for number in 1...3 {
            let text = try await web.get("/issues?q=pothole&page=\(number)").text
            for part in text.components(separatedBy: "Pothole on Mill Lane (#").dropFirst() {
                seen.append(String(part.prefix { $0 != ")" }))
            }
        }
        #expect(seen == (0..<60).reversed().map(String.init))
    }
}
