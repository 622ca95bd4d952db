import CIXCanonicalJSON

/// Who may receive an event: everyone, or only the listed partner nodes (and its author).
public enum Audience: Sendable, Hashable {
    case everyone
    case partners([NodeID])

    init(json: JSONValue) {
        if let nodes = json.arrayValue {
            self = .partners(nodes.compactMap { $0.stringValue.flatMap(NodeID.init) })
        } else {
            self = .everyone
        }
    }

    var json: JSONValue {
        switch self {
        case .everyone: "public"
        case .partners(let nodes): .array(nodes.sorted().map { .string($0.hex) })
        }
    }

    /// Whether a node may hold this event.
    public func includes(_ node: NodeID, author: NodeID) -> Bool {
        switch self {
        case .everyone: true
        case .partners(let nodes): node == author || nodes.contains(node)
        }
    }

    public var isPublic: Bool { self == .everyone }
}
