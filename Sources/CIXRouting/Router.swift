import CIXCore

/// A node a report may be routed to: what it serves and where.
package struct Agency: Sendable {
    package let node: NodeID
    package let name: String
    package let kind: NodeKind
    package let categories: Set<String>
    /// Where it answers; nil means everywhere.
    package let area: Area?

    package init(node: NodeID, name: String, kind: NodeKind, categories: Set<String>, area: Area?) {
        self.node = node
        self.name = name
        self.kind = kind
        self.categories = categories
        self.area = area
    }

    /// An agency from its signed descriptor; a descriptor whose area cannot be read serves nowhere.
    package init(descriptor: NodeDescriptor) {
        self.node = descriptor.node
        self.name = descriptor.name
        self.kind = descriptor.kind
        self.categories = Set(descriptor.categories)
        if let area = descriptor.area {
            self.area = try? Area(geoJSON: area)
        } else {
            self.area = nil
        }
    }
}

/// One recipient of a routed report and why it receives it.
package struct Recipient: Sendable, Equatable {
    package let node: NodeID
    package let name: String
    package let reason: String
}

/// Decides which agencies receive a report: every agency whose categories
/// include the report's category and whose area contains its point (an agency
/// without an area covers everywhere), then the node's local rules in order.
/// Mirrors never receive routes. Pure: the same agencies, rules and report
/// always give the same recipients, sorted by node id.
package struct Router: Sendable {
    package let agencies: [Agency]
    package let rules: [RoutingRule]
    /// For each category, the agencies that serve it: a decision looks only at those.
    private let byCategory: [String: [Agency]]

    package init(agencies: [Agency], rules: [RoutingRule] = []) {
        self.agencies = agencies.filter { $0.kind != .mirror }
        self.rules = rules
        var byCategory: [String: [Agency]] = [:]
        for agency in self.agencies {
            for category in agency.categories { byCategory[category, default: []].append(agency) }
        }
        self.byCategory = byCategory
    }

    package func route(category: String, latitude: Double, longitude: Double) -> [Recipient] {
        var recipients: [NodeID: Recipient] = [:]
        let label = Taxonomy.category(category)?.name.lowercased() ?? category
        for agency in byCategory[category] ?? [] {
            if let area = agency.area {
                guard area.contains(latitude: latitude, longitude: longitude) else { continue }
                recipients[agency.node] = Recipient(
                    node: agency.node,
                    name: agency.name,
                    reason: "answers for \(label) in the area that contains this place"
                )
            } else {
                recipients[agency.node] = Recipient(
                    node: agency.node,
                    name: agency.name,
                    reason: "answers for \(label) everywhere"
                )
            }
        }
        for rule in rules where rule.applies(to: category) {
            let name = agencies.first { $0.node == rule.node }?.name ?? "node \(rule.node.short)"
            switch rule.action {
            case .add: recipients[rule.node] = Recipient(node: rule.node, name: name, reason: rule.reason)
            case .exclude: recipients[rule.node] = nil
            case .replace: recipients = [rule.node: Recipient(node: rule.node, name: name, reason: rule.reason)]
            }
        }
        return recipients.values.sorted { $0.node < $1.node }
    }
}

/// A local routing rule from the node's config.
package struct RoutingRule: Sendable, Equatable {
    package enum Action: String, Sendable, Codable { case add, exclude, replace }

    package let action: Action
    /// The category it applies to, or nil for every category.
    package let category: String?
    package let node: NodeID
    package let reason: String

    package init(action: Action, category: String?, node: NodeID, reason: String) {
        self.action = action
        self.category = category
        self.node = node
        self.reason = reason
    }

    func applies(to category: String) -> Bool { self.category == nil || self.category == category }
}
