import CIXCore
import CIXTesting
import Testing

@Suite("Fold determinism")
struct FoldDeterminismTests {
    @Test("1,000 random orderings give byte-identical state", arguments: [UInt64(1), 2, 3])
    func orderDoesNotMatter(seed: UInt64) throws {
        let events = RandomIssue.events(count: 60, seed: seed)
        let reference = try #require(IssueFold.fold(events)).canonicalBytes()
        var random = SeededGenerator(seed: seed &* 7_919)
        for _ in 0..<1_000 {
            #expect(IssueFold.fold(events.shuffled(using: &random))?.canonicalBytes() == reference)
        }
    }

    @Test("agrees with the naive reference fold", arguments: Array(UInt64(10)..<UInt64(60)))
    func agreesWithNaiveFold(seed: UInt64) throws {
        let events = RandomIssue.events(count: 40, seed: seed)
        let state = try #require(IssueFold.fold(events))
        #expect(NaiveFold.summary(of: state) == NaiveFold.fold(events))
    }

    @Test("a causally closed prefix folds the same whatever order it arrived in")
    func partitionsConverge() throws {
        // Two nodes each see a different random half first, then the rest: both end identical.
        let events = RandomIssue.events(count: 50, seed: 99)
        var random = SeededGenerator(seed: 5)
        let shuffled = events.shuffled(using: &random)
        let first = IssueFold.fold(Array(shuffled[..<25]) + Array(shuffled[25...]))
        let second = IssueFold.fold(Array(shuffled[25...]) + Array(shuffled[..<25]))
        #expect(first?.canonicalBytes() == second?.canonicalBytes())
    }

    @Test func withoutTheReportThereIsNoState() {
        let events = RandomIssue.events(count: 5, seed: 4)
        #expect(IssueFold.fold(Array(events.dropFirst())) == nil)
    }
}
