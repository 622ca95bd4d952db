import CIXCore
import CIXNode

/// One agency answer as `GET servicerequestupdates` serves it: attributed to
/// the agency that gave it, in words a resident reads, with the status a
/// FixMyStreet with default states understands.
struct Open311Update {
    /// The agency's name (or "node" and its short id when no descriptor names it).
    let agency: String
    let status: String
    let description: String
    /// The CIX status or event kind.
    let code: String

    init(event: Event, state: IssueState, names: [NodeID: String], ownNode: NodeID) {
        func name(_ node: NodeID) -> String { names[node] ?? "node \(node.short)" }
        let agency = name(event.author)
        self.agency = agency
        let own = event.author == ownNode
        // Another body's answer never speaks for this one: it carries the report's state as a whole.
        let whole = Open311Status.extended(state.overall)
        description = AnswerWords.of(event, name: name) ?? "\(agency) answered."
        switch event.content {
        case .status(let body)?:
            code = body.state.rawValue
            status = own ? Open311Status.extended(body.state) : whole
        case .accept?:
            code = "accept"
            status = own ? "INVESTIGATING" : whole
        case .decline?:
            code = "decline"
            status = own ? "NOT_COUNCILS_RESPONSIBILITY" : whole
        case .transfer?:
            code = "transfer"
            status = own ? "INTERNAL_REFERRAL" : whole
        case .duplicate?:
            code = "duplicate"
            status = "DUPLICATE"
        default:
            code = event.kind.rawValue
            status = whole
        }
    }
}
