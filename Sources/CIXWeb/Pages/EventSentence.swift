import CIXCore
import CIXNode

/// An event as a sentence people read ("the police accepted this"), for
/// the issue's timeline and its Atom feed, instead of the wire's kind names.
enum EventSentence {
    static func of(_ event: Event, in view: IssueView) -> String {
        let who = view.name(event.author)
        guard let content = event.content else {
            return "\(who): \(noun(event.kind)) (its content was removed)"
        }
        switch content {
        case .report: return "\(who) took the report"
        case .edit(let body):
            let fields = [
                body.title.map { _ in "title" }, body.description.map { _ in "details" },
                body.category.map { "category (now \(Site.categoryName($0)))" }, body.tags.map { _ in "tags" },
                body.location.map { _ in "place" },
            ].compactMap { $0 }
            return "\(who) corrected the report's \(fields.joined(separator: ", "))"
        case .comment: return "A comment, through \(who)"
        case .confirm: return "Someone confirmed this, through \(who)"
        case .solution: return "A solution was proposed, through \(who)"
        case .offer: return "An offer of help, through \(who)"
        case .route(let body):
            return "\(who) asked \(list(body.recipients.map { view.name($0.node) })) to look at this"
        case .accept: return "\(who) accepted this"
        case .decline(let body):
            let referral = body.refer.map { " and suggested \(view.name($0))" } ?? ""
            return "\(who) said this is not theirs\(referral): \(body.reason)"
        case .transfer(let body): return "\(who) passed this to \(view.name(body.to)): \(body.reason)"
        case .status(let body): return "\(who) set its status to “\(Site.statusName(body.state.rawValue))”"
        case .duplicate(let body): return "\(who) marked this as the same problem as issue \(body.of.hex.prefix(12))"
        case .redact(let body): return "\(who) removed an earlier entry: \(body.reason)"
        }
    }

    static func noun(_ kind: EventKind) -> String {
        switch kind {
        case .report: "the report"
        case .edit: "a correction"
        case .comment: "a comment"
        case .confirm: "a confirmation"
        case .solution: "a proposed solution"
        case .offer: "an offer of help"
        case .route: "a routing"
        case .accept: "an acceptance"
        case .decline: "a decline"
        case .transfer: "a transfer"
        case .status: "a status"
        case .duplicate: "a duplicate mark"
        case .redact: "a removal"
        }
    }

    /// "A", "A and B", "A, B and C".
    static func list(_ names: [String]) -> String {
        guard names.count > 1, let last = names.last else { return names.first ?? "nobody" }
        return names.dropLast().joined(separator: ", ") + " and " + last
    }
}
