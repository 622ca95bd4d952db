import CIXCanonicalJSON

/// `route`: the agencies an issue is sent to, each with why.
public struct RouteBody: Sendable, Equatable {
    public struct Recipient: Sendable, Equatable {
        public var node: NodeID
        public var reason: String

        public init(node: NodeID, reason: String) {
            self.node = node
            self.reason = reason
        }
    }

    /// Sorted by node id, one entry per node.
    public var recipients: [Recipient]

    /// Keeps the first reason given for each node, and sorts by node, as the schema requires.
    public init(recipients: [Recipient]) {
        var seen = Set<NodeID>()
        self.recipients = recipients.filter { seen.insert($0.node).inserted }.sorted { $0.node < $1.node }
    }

    init(_ fields: BodyFields) {
        recipients = (fields.objects("recipients") ?? []).compactMap { object in
            guard let node = object["node"]?.stringValue.flatMap(NodeID.init) else { return nil }
            return Recipient(node: node, reason: object["reason"]?.stringValue ?? "")
        }
    }

    public var json: JSONObject {
        JSONObject([
            "recipients": .array(
                recipients.map { .object(JSONObject(["node": .string($0.node.hex), "reason": .string($0.reason)])) }
            )
        ])
    }
}

/// `accept`: the agency takes its part, with an optional public note.
public struct AcceptBody: Sendable, Equatable {
    public var note: String?

    public init(note: String? = nil) { self.note = note }

    init(_ fields: BodyFields) { note = fields.string("note") }

    public var json: JSONObject {
        var writer = BodyWriter()
        writer.set("note", note)
        return writer.object
    }
}

/// `decline`: not this agency's, why, and optionally who may own it (routed there).
public struct DeclineBody: Sendable, Equatable {
    public var reason: String
    public var refer: NodeID?

    public init(reason: String, refer: NodeID? = nil) {
        self.reason = reason
        self.refer = refer
    }

    init(_ fields: BodyFields) {
        reason = fields.text("reason")
        refer = fields.node("refer")
    }

    public var json: JSONObject {
        var writer = BodyWriter()
        writer.set("reason", reason)
        writer.set("refer", refer?.hex)
        return writer.object
    }
}

/// `transfer`: this agency hands its part to another.
public struct TransferBody: Sendable, Equatable {
    public var to: NodeID
    public var reason: String

    public init(to: NodeID, reason: String) {
        self.to = to
        self.reason = reason
    }

    init(_ fields: BodyFields) {
        to = fields.node("to") ?? NodeID(unchecked: String(repeating: "0", count: 64))
        reason = fields.text("reason")
    }

    public var json: JSONObject {
        JSONObject(["to": .string(to.hex), "reason": .string(reason)])
    }
}

/// `status`: this agency's own status, with an optional public note.
public struct StatusBody: Sendable, Equatable {
    public var state: AgencyStatus
    public var note: String?

    public init(state: AgencyStatus, note: String? = nil) {
        self.state = state
        self.note = note
    }

    init(_ fields: BodyFields) {
        state = AgencyStatus(rawValue: fields.text("state")) ?? .received
        note = fields.string("note")
    }

    public var json: JSONObject {
        var writer = BodyWriter()
        writer.set("state", state.rawValue)
        writer.set("note", note)
        return writer.object
    }
}

/// `duplicate`: this issue is another one, possibly held by another node.
public struct DuplicateBody: Sendable, Equatable {
    public var of: EventID
    public var node: NodeID?

    public init(of: EventID, node: NodeID? = nil) {
        self.of = of
        self.node = node
    }

    init(_ fields: BodyFields) {
        of = fields.event("of") ?? EventID(unchecked: String(repeating: "0", count: 64))
        node = fields.node("node")
    }

    public var json: JSONObject {
        var writer = BodyWriter()
        writer.set("of", of.hex)
        writer.set("node", node?.hex)
        return writer.object
    }
}

/// `redact`: removes another event's body, for a reason that carries no personal data.
public struct RedactBody: Sendable, Equatable {
    public var target: EventID
    public var reason: String
    /// The target's body cleaned (without salt), to stand in its place; nil to remove it only.
    public var replacement: JSONObject?

    public init(target: EventID, reason: String, replacement: JSONObject? = nil) {
        self.target = target
        self.reason = reason
        self.replacement = replacement
    }

    init(_ fields: BodyFields) {
        target = fields.event("target") ?? EventID(unchecked: String(repeating: "0", count: 64))
        reason = fields.text("reason")
        replacement = fields.object["replacement"]?.objectValue
    }

    public var json: JSONObject {
        var object = JSONObject(["target": .string(target.hex), "reason": .string(reason)])
        if let replacement { object["replacement"] = .object(replacement) }
        return object
    }

    /// The replacement as the content of a `kind` body, if it fits that kind.
    public func replacementContent(for kind: EventKind) -> EventBody? {
        guard let replacement, let schema = EventSchemas.replacement(for: kind),
            (try? schema.validate(.object(replacement))) != nil
        else { return nil }
        return EventBody(kind: kind, validated: replacement)
    }
}
