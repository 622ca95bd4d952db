import CIXCore

/// What a backend writes for one issue after a change: the folded state, the
/// events whose bodies an authorised redaction removes from the log, the
/// text that search looks in, and the times lists order by. Pure, so every
/// backend projects alike.
///
/// Everything projected is public (lists, search, the API, Open311 and the
/// pages read it), so the state is folded from the issue's public events
/// only: a partner-only event (a note to a partner body) is held and served
/// to its audience, never shown.
package struct IssueProjection: Sendable {
    /// The issue as the public sees it: folded from its public events.
    package let state: IssueState
    /// Redacted events whose stored bytes still hold a body: replace them by these skeletons.
    package let stripped: [Event]
    /// The photos (hashes, ascending) that the stripped bodies named: deleted unless a body
    /// still held names the same bytes.
    package let strippedPhotos: [String]
    /// Each agency's applied accept, decline and status events, for its figures.
    package let answers: [Answer]
    /// The photos (hashes, ascending) the state names: its report's and its contributions'.
    package var namedPhotos: [String] {
        let report = state.report?.attachments.map(\.hash) ?? []
        let contributions = state.contributions.flatMap { $0.content?.attachments.map(\.hash) ?? [] }
        return Set(report + contributions).sorted()
    }

    /// An agency's applied answer: its event, author and kind, the status it set (status
    /// events only) and its own time.
    package struct Answer: Sendable, Equatable {
        package let event: EventID
        package let author: NodeID
        package let kind: EventKind
        package let state: String?
        package let at: Timestamp
    }
    package let searchTitle: String
    package let searchDescription: String
    /// Every contribution's text, one per line.
    package let searchContributions: String
    /// When lists show the issue as reported and last changed: each event's own
    /// `at`, but never more than `clockAllowance` after this node first saw it,
    /// so that a clock running ahead, or a forged far-future time, cannot pin
    /// an issue to the top of "recently updated". The folded state keeps the
    /// events' own times.
    package let listedReportedAt: Timestamp
    package let listedUpdatedAt: Timestamp

    /// How far ahead of its arrival an event's `at` counts for ordering, in seconds.
    package static let clockAllowance: Int64 = 300

    /// Nil if the events lack the issue's report. `firstSeen` gives when this node
    /// first saw each event (an event missing from it counts by its own `at`); `keys` the authors' rings.
    package init?(events: [Event], firstSeen: [EventID: Timestamp] = [:], keys: KeyRings = KeyRings()) {
        guard let state = IssueFold.fold(events.filter(\.audience.isPublic), keys: keys) else { return nil }
        self.state = state
        let targets = IssueFold.redactedTargets(in: events, origin: state.origin, keys: keys)
        let bodiesRemoved = events.filter { targets.contains($0.id) && $0.content != nil }
        stripped = bodiesRemoved.map { $0.withoutBody() }
        strippedPhotos = Set(bodiesRemoved.flatMap { $0.content?.attachments.map(\.hash) ?? [] }).sorted()
        let applied = Set(state.timeline.filter { $0.effect == .applied }.map(\.event))
        answers = events.compactMap { event -> Answer? in
            guard applied.contains(event.id) else { return nil }
            let answer: String?
            switch event.content {
            case .accept?, .decline?: answer = nil
            case .status(let body)?: answer = body.state.rawValue
            default: return nil
            }
            return Answer(event: event.id, author: event.author, kind: event.kind, state: answer, at: event.at)
        }
        searchTitle = state.report?.title ?? ""
        searchDescription = state.report?.description ?? ""
        searchContributions = state.contributions.compactMap { $0.content?.texts.joined(separator: " ") }
            .joined(separator: "\n")
        func listed(_ id: EventID, _ at: Timestamp) -> Timestamp {
            guard let seen = firstSeen[id] else { return at }
            return min(at, Timestamp(secondsSinceEpoch: seen.secondsSinceEpoch + Self.clockAllowance))
        }
        let reported = listed(state.id, state.reportedAt)
        listedReportedAt = reported
        listedUpdatedAt = state.timeline.filter { $0.effect == .applied }.map { listed($0.event, $0.at) }
            .reduce(reported, max)
    }
}
