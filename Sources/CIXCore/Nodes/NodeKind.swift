/// The kind of body that runs a node. A `mirror` only relays and authors nothing.
public enum NodeKind: String, Sendable, CaseIterable, Codable {
    case council, county, police, fire, health, transport, voluntary, business, mirror, other
}
