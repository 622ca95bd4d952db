import CIXCanonicalJSON
import CIXCore

/// Generates one issue's events as several nodes would make them concurrently:
/// each new event links to a random subset of the events its author has
/// seen, so the causal graph has real branches. Some events break authority
/// rules on purpose (a stranger setting a status, a non-origin editing).
package enum RandomIssue {
    package static let cast = [FixedKeys.council, FixedKeys.police, FixedKeys.volunteers, FixedKeys.stranger]

    package static func events(count: Int, seed: UInt64) -> [Event] {
        var random = SeededGenerator(seed: seed)
        var factory = EventFactory()
        let report = factory.report(by: FixedKeys.council, title: "Broken street light \(seed)")
        var events = [report]
        for _ in 1..<max(count, 1) {
            let author = cast.pick(using: &random)
            let known = events.shuffled(using: &random).prefix(Int.random(in: 1...3, using: &random))
            let parents = Array(known)
            let kind = [
                EventKind.comment, .confirm, .solution, .offer, .route, .accept, .decline, .transfer, .status,
                .status, .edit, .redact, .duplicate,
            ].pick(using: &random)
            let body = self.body(for: kind, events: events, random: &random)
            events.append(factory.event(kind, by: author, on: report.id, after: parents, body: body))
        }
        return events
    }

    static func body(for kind: EventKind, events: [Event], random: inout SeededGenerator) -> JSONObject {
        let other = cast.pick(using: &random).id
        switch kind {
        case .comment, .solution: return Bodies.text("text \(Int.random(in: 0...999, using: &random))")
        case .confirm: return JSONObject()
        case .offer: return JSONObject(["what": "a hand on Saturday"])
        case .route:
            return Bodies.route(Array(Set([other, cast.pick(using: &random).id])))
        case .accept: return JSONObject()
        case .decline:
            return Bool.random(using: &random) ? Bodies.decline("not ours", refer: other) : Bodies.decline("not ours")
        case .transfer: return JSONObject(["to": .string(other.hex), "reason": "their remit"])
        case .status: return Bodies.status(AgencyStatus.allCases.pick(using: &random))
        case .edit: return JSONObject(["title": .string("Edited \(Int.random(in: 0...99, using: &random))")])
        case .redact: return Bodies.redact(events.pick(using: &random).id)
        case .duplicate: return JSONObject(["of": .string(String(repeating: "d", count: 64))])
        // Never picked: a report opens the issue, and a contact is partner-only.
        case .report, .contact: return JSONObject()
        }
    }
}
