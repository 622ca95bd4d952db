import CIXCanonicalJSON

/// The deterministic fold from a set of events to an issue's state.
///
/// Events are applied in causal order: ascending `depth`, then ascending id.
/// Because each event's depth exceeds its parents', that order is a
/// topological order of the causal graph, and it depends only on the set of
/// events, not on when or how they arrived. Each event is checked against the
/// authority rules (`Protocol/fold.md`) as it is applied; one that breaks a
/// rule stays in the timeline as `rejected` and changes nothing else; so does
/// one whose key did not speak for its author at its `at` (`KeyRings`).
/// Pure: no clock, no randomness, no I/O.
public enum IssueFold {
    /// Folds the events of one issue. Returns nil if the set lacks the report.
    /// Events of other issues and repeated ids are ignored.
    /// `keys` holds the rings of the events' authors (a node without one speaks by its genesis key).
    public static func fold(_ events: [Event], keys: KeyRings = KeyRings()) -> IssueState? {
        guard let report = events.first(where: { $0.isReport }) else { return nil }
        var seen = Set<EventID>()
        let ordered = events.filter { $0.issue == report.id && seen.insert($0.id).inserted }
            .sorted { ($0.depth, $0.id) < ($1.depth, $1.id) }
        var state = IssueState(id: report.id, origin: report.author, reportedAt: report.at, updatedAt: report.at)
        let (redacted, replacements) = redactions(in: ordered, origin: report.author, keys: keys)
        let held = Set(ordered.map(\.id))
        for event in ordered {
            let replaced = replacements[event.id]
            let content = replaced?.content ?? (redacted.contains(event.id) ? nil : event.content)
            let outcome =
                keys.spoke(event)
                ? Authority.apply(event, content: content, to: &state, redacted: redacted, held: held)
                : Authority.Outcome.rejected(KeyRings.refusal)
            state.timeline.append(
                IssueState.TimelineEntry(
                    event: event.id,
                    kind: event.kind,
                    author: event.author,
                    at: event.at,
                    effect: outcome.effect,
                    reason: outcome.reason
                )
            )
            if outcome.effect == .applied { state.updatedAt = max(state.updatedAt, event.at) }
            if let replaced, outcome.effect == .applied {
                if event.isReport {
                    state.report?.replacedBy = replaced.by
                } else if let last = state.contributions.indices.last, state.contributions[last].event == event.id {
                    state.contributions[last].replacedBy = replaced.by
                }
            }
        }
        let referenced = Set(ordered.flatMap(\.prev))
        state.heads = ordered.map(\.id).filter { !referenced.contains($0) }.sorted()
        state.maxDepth = ordered.map(\.depth).max() ?? 1
        return state
    }

    /// The events whose bodies an authorised `redact` removes.
    public static func redactedTargets(
        in events: [Event],
        origin: NodeID,
        keys: KeyRings = KeyRings()
    ) -> Set<EventID> {
        redactions(in: events, origin: origin, keys: keys).targets
    }

    /// The events whose bodies authorised redactions remove, and the cleaned bodies some give
    /// instead: for each target, that of the last such redaction in fold order whose `replacement`
    /// fits the target's kind, with its id (`Protocol/fold.md`, Redactions first).
    ///
    /// Authority to redact depends only on the report and the target (its
    /// author, or the issue's origin), so it is decided before the main pass
    /// and does not depend on the order of events. A `redact` cannot itself be
    /// redacted: its body names what it removes.
    static func redactions(
        in events: [Event],
        origin: NodeID,
        keys: KeyRings
    ) -> (targets: Set<EventID>, replacements: [EventID: (content: EventBody, by: EventID)]) {
        let byID = Dictionary(events.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var targets = Set<EventID>()
        var latest: [EventID: (redaction: Event, content: EventBody)] = [:]
        for event in events where event.kind == .redact && keys.spoke(event) {
            guard let target = Authority.redactionTarget(of: event, origin: origin, events: byID) else { continue }
            targets.insert(target)
            guard case .redact(let body)? = event.content, let kind = byID[target]?.kind,
                let content = body.replacementContent(for: kind)
            else { continue }
            if let held = latest[target], (held.redaction.depth, held.redaction.id) > (event.depth, event.id) {
                continue
            }
            latest[target] = (event, content)
        }
        return (targets, latest.mapValues { ($0.content, $0.redaction.id) })
    }
}
