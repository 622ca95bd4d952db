import CIXCore
import CIXNode

/// An event as a sentence people read ("the police accepted this"), for
/// the issue's timeline and its Atom feed, instead of the wire's kind names.
/// What bodies wrote (reasons) is passed through as it was signed.
enum EventSentence {
    static func of(_ event: Event, in view: IssueView, words: any Catalogue) -> String {
        let who = view.name(event.author)
        guard let content = event.content else { return words.eventWithoutBody(who, event.kind) }
        switch content {
        case .report: return words.tookReport(who)
        case .edit(let body):
            let fields: [EditedField?] = [
                body.title.map { _ in .title }, body.description.map { _ in .details },
                body.category.map { .category($0) }, body.tags.map { _ in .tags }, body.location.map { _ in .place },
            ]
            return words.corrected(who, fields: fields.compactMap { $0 })
        case .comment: return words.commentThrough(who)
        case .confirm: return words.confirmedThrough(who)
        case .solution: return words.solutionThrough(who)
        case .offer: return words.offerThrough(who)
        case .route(let body): return words.askedToLook(who, body.recipients.map { view.name($0.node) })
        case .accept: return words.accepted(who)
        case .decline(let body):
            return words.declined(who, suggested: body.refer.map { view.name($0) }, reason: body.reason)
        case .transfer(let body): return words.transferred(who, to: view.name(body.to), reason: body.reason)
        case .status(let body): return words.setStatus(who, words.status(body.state.rawValue))
        case .duplicate(let body): return words.markedDuplicate(who, of: String(body.of.hex.prefix(12)))
        case .redact(let body): return words.removedEntry(who, reason: body.reason)
        case .contact(let body): return words.sharedContact(who, with: view.name(body.to))
        }
    }
}
