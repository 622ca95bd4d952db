import CIXCore

/// What is derived from the log, per issue: folded state, list columns and
/// search text. It can always be rebuilt from the log, with identical bytes.
package protocol IssueIndex: Sendable {
    /// Issues matching the query, in its order.
    func issues(_ query: IssueQuery) throws(StoreError) -> [IssueSummary]
    /// How many issues match the query's filters.
    func issueCount(_ query: IssueQuery) throws(StoreError) -> Int
    /// How many issues match the query's filters, counting at most `cap` + 1 (a public list says
    /// "more than `cap`" rather than count a whole national mirror for every page).
    func issueCount(_ query: IssueQuery, upTo cap: Int) throws(StoreError) -> Int

    /// Every issue in which `node` has a part, for its figures.
    func agencyParts(node: String) throws(StoreError) -> [AgencyPartRow]
    /// `author`'s applied answers dated within [from, to].
    func agencyAnswers(author: String, from: Int64, to: Int64) throws(StoreError) -> [AgencyAnswer]

    /// The issue as the public sees it: folded from its public events in the log
    /// (see `IssueProjection`). Its heads are what a new public event links to,
    /// so that no public event names a parent a mirror may never hold.
    func issueState(_ issue: EventID) throws(StoreError) -> IssueState?

    /// The stored projection of each issue, as canonical bytes, by issue id.
    func projectedStates() throws(StoreError) -> [String: [UInt8]]

    /// Throws away every projection and computes them again from the log.
    func rebuildProjections() throws(StoreError)

    /// The full id of the issue whose id starts with `prefix` (6+ hex digits), if exactly one does.
    func resolveIssue(_ prefix: String) throws(StoreError) -> EventID?
}

extension IssueIndex {
    /// The ids of the issue's latest events and its greatest depth: what a new event's prev and depth derive from.
    package func heads(ofIssue issue: EventID) throws(StoreError) -> (heads: [EventID], depth: Int)? {
        guard let state = try issueState(issue) else { return nil }
        return (state.heads, state.maxDepth)
    }
}
