import CIXCanonicalJSON
import CIXCore
import CIXStore

extension LocalNode {
    /// Takes a report through the intake pipeline (`Intake`): checked,
    /// screened, signed, routed and stored. Returns the signed report.
    @discardableResult
    package func report(_ submission: ReportSubmission, now: Timestamp) throws(IntakeError) -> Event {
        try intake.report(submission, now: now).event
    }

    /// The intake pipeline of this node, with its screening.
    package var intake: Intake { Intake(node: self) }

    /// Signs and stores an event on an existing issue, linking it to the issue's latest events.
    ///
    /// The event is folded with the issue's events before it is stored: one
    /// the authority rules would reject (a status from a node with no part in
    /// the issue, say) is refused with the rule's reason, and nothing is signed
    /// into the log.
    /// With `relay`, the event is a body's answer this node relays (`ExternalBody`): signed
    /// with that body's relay key, under its relay identity.
    package func act(
        _ content: EventBody,
        on issue: EventID,
        audience: Audience = .everyone,
        relay: ExternalBody? = nil,
        now: Timestamp
    ) throws(NodeError) -> Event {
        try requireAuthoring(content.kind.rawValue)
        let held: [Event]
        let keys: KeyRings
        do {
            held = try store.events(ofIssue: issue).compactMap { try? Event.decodeStored($0.bytes) }
            var rings = try store.keyRings(for: held)
            rings.insert(try store.keyRing(for: id))
            keys = rings
        } catch {
            throw NodeError(error)
        }
        // A public event links only to public events: a mirror, or a node outside a
        // partner note's audience, could never hold a partner-only parent.
        guard let state = IssueFold.fold(audience.isPublic ? held.filter(\.audience.isPublic) : held, keys: keys)
        else {
            throw NodeError(.notFound, "this node holds no issue \(issue.hex)")
        }
        let draft = EventDraft(
            content,
            issue: issue,
            prev: Array(state.heads.suffix(Limits.maxPrev)),
            depth: state.maxDepth + 1,
            at: now,
            audience: audience
        )
        let event = try sign(draft, relay: relay)
        let effect = IssueFold.fold(held + [event], keys: keys)?.timeline.first { $0.event == event.id }
        if effect?.effect == .rejected {
            throw NodeError(.invalidInput, "refused: \(effect?.reason ?? "the authority rules do not allow it")")
        }
        let outcomes: [IngestOutcome]
        do {
            outcomes = try store.ingestNow([event], source: "local", now: now)
        } catch {
            throw NodeError(error)
        }
        try Self.requireStored(outcomes[0])
        return event
    }

    func sign(_ draft: EventDraft, relay: ExternalBody? = nil) throws(NodeError) -> Event {
        do {
            if let relay { return try draft.sign(with: relay.key, author: relay.id, salt: Self.randomBytes(16)) }
            return try draft.sign(with: key, author: id, salt: Self.randomBytes(16))
        } catch {
            throw NodeError(.invalidInput, error.message)
        }
    }

    func requireAuthoring(_ what: String) throws(NodeError) {
        guard authors else {
            throw NodeError(
                .readOnly,
                "this node is a mirror: it relays and verifies records but authors none, so it cannot \(what); report through an intake node instead"
            )
        }
    }

    static func requireStored(_ outcome: IngestOutcome) throws(NodeError) {
        switch outcome.result {
        case .stored, .duplicate: return
        case .pending(let missing):
            throw NodeError(.io, "event waits for parents \(missing.map(\.hex).joined(separator: ", "))")
        case .rejected(let error):
            throw NodeError(.invalidInput, "the store refused the event: \(error)")
        }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
