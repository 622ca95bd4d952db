import CIXCanonicalJSON

/// The authority rules: who may do what to an issue, and what it does.
///
/// - the origin (the report's author) edits the report, and answers for the
///   issue as its only agency until the first `route` applies;
/// - anyone may comment, confirm, propose a solution or offer help;
/// - the origin or an active agency may route; recipients become agencies;
/// - an agency answers only for itself: accept, decline (optionally
///   referring to another node, which routes the issue there), transfer (which
///   routes to the new agency), and its own status;
/// - the origin or an agency may mark the issue a duplicate;
/// - a redaction is made by the target's author or the issue's origin.
/// - only the origin shares the reporter's contact details, sealed (`contact`).
enum Authority {
    struct Outcome {
        var effect: IssueState.TimelineEntry.Effect
        var reason: String?

        static let applied = Outcome(effect: .applied)
        static let withoutBody = Outcome(effect: .withoutBody)
        static func rejected(_ reason: String) -> Outcome { Outcome(effect: .rejected, reason: reason) }
    }

    static func apply(
        _ event: Event,
        content: EventBody?,
        to state: inout IssueState,
        redacted: Set<EventID>,
        held: Set<EventID>
    ) -> Outcome {
        let author = event.author
        let isOrigin = author == state.origin
        switch event.kind {
        case .report:
            state.agencies[author] = .init(node: author, role: .origin, status: .received, lastEvent: event.id)
            guard case .report(let body)? = content else { return .withoutBody }
            state.report = IssueState.ReportContent(body)
            return .applied

        case .edit:
            guard isOrigin else { return .rejected("only the origin node may edit the report") }
            guard case .edit(let body)? = content else { return .withoutBody }
            state.report?.apply(body)
            return .applied

        case .comment, .confirm, .solution, .offer:
            switch event.kind {
            case .comment: state.counts.comments += 1
            case .confirm: state.counts.confirmations += 1
            case .solution: state.counts.solutions += 1
            default: state.counts.offers += 1
            }
            state.contributions.append(
                .init(event: event.id, kind: event.kind, author: author, at: event.at, content: content)
            )
            return content == nil ? .withoutBody : .applied

        case .route:
            guard isOrigin || state.agencies[author]?.isActive == true else {
                return .rejected("only the origin or an active agency may route")
            }
            guard case .route(let body)? = content else { return .withoutBody }
            if !state.routed, state.agencies[state.origin]?.role == .origin,
                !body.recipients.contains(where: { $0.node == state.origin })
            {
                state.agencies[state.origin] = nil
            }
            state.routed = true
            for recipient in body.recipients {
                route(to: recipient.node, reason: recipient.reason, by: author, event: event.id, in: &state)
            }
            return .applied

        case .accept:
            guard state.agencies[author] != nil else { return .rejected("only an agency of the issue may accept it") }
            let note: String? = if case .accept(let body)? = content { body.note } else { nil }
            state.agencies[author]?.role = .accepted
            state.agencies[author]?.note = note
            state.agencies[author]?.lastEvent = event.id
            return content == nil ? .withoutBody : .applied

        case .decline, .transfer:
            guard state.agencies[author] != nil else {
                return .rejected(
                    "only an agency of the issue may \(event.kind == .decline ? "decline" : "transfer") it"
                )
            }
            let reason: String
            let next: NodeID?
            switch content {
            case .decline(let body)?: (reason, next) = (body.reason, body.refer)
            case .transfer(let body)?: (reason, next) = (body.reason, body.to)
            default: return .withoutBody
            }
            let declining = event.kind == .decline
            state.agencies[author]?.role = declining ? .declined : .transferred
            state.agencies[author]?.status = declining ? .notOurs : .closed
            state.agencies[author]?.reason = reason
            state.agencies[author]?.lastEvent = event.id
            if let next, next != author {
                let why = "\(declining ? "referred" : "transferred") by \(author.short): \(reason)"
                route(to: next, reason: why, by: author, event: event.id, in: &state)
            }
            return .applied

        case .status:
            guard let part = state.agencies[author], part.isActive else {
                return .rejected("only an active agency may set its own status")
            }
            guard case .status(let body)? = content else { return .withoutBody }
            state.agencies[author]?.status = body.state
            state.agencies[author]?.note = body.note
            state.agencies[author]?.lastEvent = event.id
            return .applied

        case .duplicate:
            guard isOrigin || state.agencies[author] != nil else {
                return .rejected("only the origin or an agency may mark a duplicate")
            }
            guard case .duplicate(let body)? = content else { return .withoutBody }
            guard body.of != state.id else { return .rejected("an issue cannot duplicate itself") }
            state.duplicateOf = .init(issue: body.of, node: body.node)
            return .applied

        case .contact:
            // The resident gave their details to the origin, and only the origin may pass them on.
            guard isOrigin else { return .rejected("only the origin may share the reporter's contact details") }
            return content == nil ? .withoutBody : .applied

        case .redact:
            guard case .redact(let body)? = content else { return .withoutBody }
            if redacted.contains(body.target) { return .applied }
            guard held.contains(body.target) else { return .rejected("the target is not an event of this issue") }
            return .rejected("only the target's author or the issue's origin may redact, and never a redaction")
        }
    }

    /// Makes `node` an agency, or re-routes it if it had declined or transferred.
    static func route(to node: NodeID, reason: String?, by router: NodeID, event: EventID, in state: inout IssueState) {
        if let part = state.agencies[node], part.isActive { return }
        state.agencies[node] = .init(
            node: node,
            role: .routed,
            status: .received,
            reason: reason,
            routedBy: router,
            lastEvent: event
        )
    }

    /// The event an authorised redaction removes, or nil.
    static func redactionTarget(of redaction: Event, origin: NodeID, events: [EventID: Event]) -> EventID? {
        guard case .redact(let body)? = redaction.content, let targeted = events[body.target], targeted.kind != .redact
        else { return nil }
        let target = body.target
        return redaction.author == targeted.author || redaction.author == origin ? target : nil
    }
}
