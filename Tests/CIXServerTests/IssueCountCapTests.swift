import CIXCore
import CIXNode
import CIXTesting
import CIXWeb
import Foundation
import Testing

/// The list page counts matches up to a cap and says "more than" above it: a search's
/// cap is lower, since counting a search's matches is its costliest part.
@Suite("How many issues match")
struct IssueCountCapTests {
    @Test func aSearchIsCountedToAThousandAndAFilterToTenThousand() throws {
        let folder = TemporaryDirectory("count-cap")
        defer { folder.remove() }
        let node = try LocalNode.create(
            in: NodeDirectory(path: folder.file("mirror").path),
            name: "Mirror",
            kind: .mirror,
            url: "https://127.0.0.1:1",
            listen: nil,
            now: .now()
        )
        let site = Site(node: node, names: [:])
        func said(_ parameters: [String: String], total: Int) throws -> String {
            let filter = try IssueFilter(parameters)
            return IssueListPage(site: site, filter: filter, issues: [], total: total).render().markup
        }
        let search = try IssueFilter(["q": "pothole"])
        let category = try IssueFilter(["category": "pothole"])
        #expect(IssueListPage.countCap(for: search) == 1_000)
        #expect(IssueListPage.countCap(for: category) == 10_000)
        #expect(try said(["q": "pothole"], total: 1_001).contains("More than 1,000 issues match."))
        #expect(try said(["q": "pothole"], total: 1_000).contains("1,000 issues match."))
        #expect(try said(["category": "pothole"], total: 1_001).contains("1,001 issues match."))
        #expect(try said(["category": "pothole"], total: 10_001).contains("More than 10,000 issues match."))
    }
}
