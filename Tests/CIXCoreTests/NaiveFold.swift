import CIXCore

/// A deliberately plain re-statement of the fold's rules, used as an oracle.
///
/// It orders events by repeatedly taking the smallest (depth, id) whose
/// parents are all placed, and keeps agencies as a dictionary of (role, status).
enum NaiveFold {
    struct Summary: Equatable {
        var agencies: [String: String] = [:]  // node -> "role/status"
        var overall = ""
        var title: String?
        var counts = [0, 0, 0, 0]  // confirm, comment, solution, offer
    }

    static func fold(_ events: [Event]) -> Summary {
        var remaining = events
        var placed = Set<EventID>()
        var order: [Event] = []
        while !remaining.isEmpty {
            let ready = remaining.filter { $0.prev.allSatisfy(placed.contains) }
            let next = ready.min { ($0.depth, $0.id) < ($1.depth, $1.id) }!
            order.append(next)
            placed.insert(next.id)
            remaining.removeAll { $0.id == next.id }
        }
        let origin = order[0].author
        var redacted = Set<EventID>()
        for event in order where event.kind == .redact {
            if let target = order.first(where: { $0.id.hex == event.body?["target"]?.stringValue }),
                target.kind != .redact, event.author == target.author || event.author == origin
            {
                redacted.insert(target.id)
            }
        }
        var roles: [NodeID: String] = [:]
        var statuses: [NodeID: String] = [:]
        var summary = Summary()
        var routed = false
        var duplicate = false
        func active(_ node: NodeID) -> Bool { ["origin", "routed", "accepted"].contains(roles[node] ?? "") }
        func route(_ node: NodeID) {
            if !active(node) {
                roles[node] = "routed"
                statuses[node] = "received"
            }
        }
        for event in order {
            let body = redacted.contains(event.id) ? nil : event.body
            let a = event.author
            switch event.kind {
            case .report:
                roles[a] = "origin"
                statuses[a] = "received"
                summary.title = body?["title"]?.stringValue
            case .edit:
                if a == origin, let body, summary.title != nil, let title = body["title"]?.stringValue {
                    summary.title = title
                }
            case .confirm: summary.counts[0] += 1
            case .comment: summary.counts[1] += 1
            case .solution: summary.counts[2] += 1
            case .offer: summary.counts[3] += 1
            case .route:
                guard a == origin || active(a), let body else { continue }
                let nodes = (body["recipients"]?.arrayValue ?? []).compactMap {
                    $0.objectValue?["node"]?.stringValue.flatMap(NodeID.init)
                }
                if !routed && roles[origin] == "origin" && !nodes.contains(origin) {
                    roles[origin] = nil
                    statuses[origin] = nil
                }
                routed = true
                nodes.forEach(route)
            case .accept:
                if roles[a] != nil { roles[a] = "accepted" }
            case .decline, .transfer:
                guard roles[a] != nil, let body else { continue }
                roles[a] = event.kind == .decline ? "declined" : "transferred"
                statuses[a] = event.kind == .decline ? "not_ours" : "closed"
                if let next = (body["refer"] ?? body["to"])?.stringValue.flatMap(NodeID.init), next != a { route(next) }
            case .status:
                if active(a), let body { statuses[a] = body["state"]?.stringValue }
            case .duplicate:
                if (a == origin || roles[a] != nil) && body != nil { duplicate = true }
            case .redact, .contact: break
            }
        }
        for (node, role) in roles { summary.agencies[node.hex] = "\(role)/\(statuses[node] ?? "")" }
        let live = roles.keys.filter(active).map { statuses[$0] ?? "received" }
        let terminal: Set<String> = ["fixed", "not_ours", "wont_fix", "closed"]
        if duplicate {
            summary.overall = "duplicate"
        } else if live.isEmpty {
            summary.overall = "declined"
        } else if live.allSatisfy(terminal.contains) {
            summary.overall = live.contains("fixed") ? "fixed" : "closed"
        } else if live.contains(where: { ["investigating", "scheduled", "in_progress"].contains($0) }) {
            summary.overall = "in_progress"
        } else if roles.contains(where: { active($0.key) && $0.value == "accepted" }) || live.contains("acknowledged") {
            summary.overall = "acknowledged"
        } else {
            summary.overall = "open"
        }
        return summary
    }

    static func summary(of state: IssueState) -> Summary {
        var summary = Summary()
        for part in state.agencies.values {
            summary.agencies[part.node.hex] = "\(part.role.rawValue)/\(part.status.rawValue)"
        }
        summary.overall = state.overall.rawValue
        summary.title = state.report?.title
        summary.counts = [
            state.counts.confirmations, state.counts.comments, state.counts.solutions, state.counts.offers,
        ]
        return summary
    }
}
