import CIXCanonicalJSON
import CIXCore
import CIXRouting
import CIXStore

extension LocalNode {
    /// The router over every node descriptor this node holds (its own and its
    /// peers'), with the config's local rules.
    package func router() throws(NodeError) -> Router {
        let descriptors: [NodeDescriptor]
        do {
            descriptors = try store.descriptors()
        } catch {
            throw NodeError(error)
        }
        let rules = (config.routing?.rules ?? []).compactMap { rule -> RoutingRule? in
            guard let action = RoutingRule.Action(rawValue: rule.action), let node = NodeID(rule.node) else {
                return nil
            }
            return RoutingRule(
                action: action,
                category: rule.category,
                node: node,
                reason: rule.reason ?? "local rule of \(config.node.name)"
            )
        }
        let agencies = descriptors.map { descriptor in
            Self.agencies.value(for: descriptor.hash) { Agency(descriptor: descriptor) }
        }
        // Bodies not on CIX are routed to like any other, through their relay identities.
        let external = try externalBodies().map { body in
            Agency(
                node: body.id,
                name: "\(body.name) (not on CIX: reached by \(body.via == .email ? "e-mail" : "Open311"))",
                kind: body.kind,
                categories: Set(body.config.categories),
                area: body.area
            )
        }
        return Router(agencies: agencies + external, rules: rules)
    }

    /// Agencies with their areas parsed, once per descriptor version (by the descriptor's hash).
    static let agencies = BoundedCache<String, Agency>(capacity: 5_000)

    /// Routes an issue by its category and place; returns the recipients (empty: left unrouted).
    @discardableResult
    package func route(
        _ issue: EventID,
        category: String,
        latitude: Double,
        longitude: Double,
        now: Timestamp
    ) throws(NodeError)
        -> [Recipient]
    {
        let recipients = try router().route(category: category, latitude: latitude, longitude: longitude)
        guard !recipients.isEmpty else { return [] }
        try route(issue, to: recipients, now: now)
        return recipients
    }

    /// Signs one `route` to these recipients, with the router's reasons.
    func route(_ issue: EventID, to recipients: [Recipient], now: Timestamp) throws(NodeError) {
        let body = RouteBody(recipients: recipients.map { .init(node: $0.node, reason: String($0.reason.prefix(500))) })
        _ = try act(.route(body), on: issue, now: now)
    }

    /// Routes an issue to one node by hand.
    @discardableResult
    package func route(
        _ issue: EventID,
        to recipient: NodeID,
        reason: String,
        now: Timestamp
    ) throws(NodeError) -> Event {
        try act(
            .route(RouteBody(recipients: [.init(node: recipient, reason: String(reason.prefix(500)))])),
            on: issue,
            now: now
        )
    }

    /// Routes every issue this node took that is still unrouted and that some body now covers.
    @discardableResult
    package func routeUnrouted(now: Timestamp) throws(NodeError) -> Int {
        guard authors else { return 0 }
        let waiting: [IssueSummary]
        do {
            waiting = try store.issues(IssueQuery(unroutedFrom: id.hex, limit: 10_000))
        } catch {
            throw NodeError(error)
        }
        var routed = 0
        for issue in waiting {
            guard let issueID = EventID(issue.id), let category = issue.category, let lat = issue.latitude,
                let lon = issue.longitude
            else { continue }
            if try !route(issueID, category: category, latitude: lat, longitude: lon, now: now).isEmpty { routed += 1 }
        }
        return routed
    }
}
