import CIXCore

/// What a backend writes for one issue after a change: the folded state, the
/// events whose bodies an authorised redaction removes from the log, and the
/// text that search looks in. Pure, so every backend projects alike.
public struct IssueProjection: Sendable {
    public let state: IssueState
    /// Redacted events whose stored bytes still hold a body: replace them by these skeletons.
    public let stripped: [Event]
    public let searchTitle: String
    public let searchDescription: String
    /// Every contribution's text, one per line.
    public let searchContributions: String

    /// Nil if the events lack the issue's report.
    public init?(events: [Event]) {
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
