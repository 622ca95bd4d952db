import CIXCore

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
        switch event.content {
        case .status(let body)?:
            code = body.state.rawValue
            status = own ? Open311Status.extended(body.state) : whole
            let said = "\(agency) set its status to \(Open311Status.words(body.state))"
            description = body.note.map { "\(said): \($0)" } ?? said + "."
        case .accept(let body)?:
            code = "accept"
            status = own ? "INVESTIGATING" : whole
            description = body.note.map { "\(agency) accepted this report: \($0)" } ?? "\(agency) accepted this report."
        case .decline(let body)?:
            code = "decline"
            status = own ? "NOT_COUNCILS_RESPONSIBILITY" : whole
            let referral = body.refer.map { " It referred the report to \(name($0))." } ?? ""
            description = "\(agency) declined this report: \(body.reason)\(referral)"
        case .transfer(let body)?:
            code = "transfer"
            status = own ? "INTERNAL_REFERRAL" : whole
            description = "\(agency) transferred this report to \(name(body.to)): \(body.reason)"
        case .duplicate(let body)?:
            code = "duplicate"
            status = "DUPLICATE"
            description = "\(agency) marked this report a duplicate of report \(body.of.hex)."
        default:
            code = event.kind.rawValue
            status = whole
            description = "\(agency) answered."
        }
    }
}
