import CIXCore

/// What a backend writes for one issue after a change: the folded state, the
/// events whose bodies an authorised redaction removes from the log, and the
/// text that search looks in. Pure, so every backend projects alike.
package struct IssueProjection: Sendable {
    package let state: IssueState
    /// Redacted events whose stored bytes still hold a body: replace them by these skeletons.
    package let stripped: [Event]
    package let searchTitle: String
    package let searchDescription: String
    /// Every contribution's text, one per line.
    package let searchContributions: String

    /// Nil if the events lack the issue's report.
    package init?(events: [Event]) {
        guard let state = IssueFold.fold(events) else { return nil }
        self.state = state
        let targets = IssueFold.redactedTargets(in: events, origin: state.origin)
        stripped = events.filter { targets.contains($0.id) && $0.content != nil }.map { $0.withoutBody() }
        searchTitle = state.report?.title ?? ""
        searchDescription = state.report?.description ?? ""
        searchContributions = state.contributions.compactMap { $0.content?.texts.joined(separator: " ") }
            .joined(separator: "\n")
    }
}
