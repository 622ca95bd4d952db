import CIXCanonicalJSON

/// A signed statement that adds a key to a node or revokes one from a point in time.
///
/// Rotation is a `key.add` signed by a key the node already holds; a
/// compromised key is cut off by a `key.revoke`, after which no event first
/// seen at or after `from` and signed by that key is accepted. Statements are
/// served with the node's descriptor.
public struct KeyStatement: Sendable {
    public enum Action: String, Sendable {
        case add = "key.add"
        case revoke = "key.revoke"
    }

    public let action: Action
    public let node: NodeID
    public let key: PublicKey
    public let from: Timestamp
    public let signer: PublicKey
    /// Why, in the body's words (revocations may say; peers show it beside the key).
    public let reason: String?
    /// SHA-256 of the canonical statement without `sig`.
    public let hash: String
    /// The signed record as sent.
    public let record: JSONObject

    static let prefix = "cix-key-v1:"

    public static let schema = Schema.object([
        .required("cix", .constant(1), "protocol version"),
        .required("type", .oneOf([Action.add.rawValue, Action.revoke.rawValue]), "what the statement does"),
        .required("node", .hex(bytes: 32), "the node whose keys change"),
        .required("key", .hex(bytes: 32), "the key added or revoked"),
        .required("from", .timestamp, "when the change takes effect"),
        .optional("reason", .text(min: 1, max: 500), "why the key changes, for people (for example a theft)"),
        .required("signer", .hex(bytes: 32), "a key the node holds at `from`"),
        .required("sig", .hex(bytes: 64), "Ed25519 signature of \"cix-key-v1:\" followed by the hash"),
    ])

    /// Makes and signs a statement.
    public static func make(
        _ action: Action,
        node: NodeID,
        key: PublicKey,
        from: Timestamp,
        reason: String? = nil,
        signer: SigningKey
    )
        throws(CoreError) -> KeyStatement
    {
        var unsigned = JSONObject([
            "cix": 1, "type": .string(action.rawValue), "node": .string(node.hex), "key": .string(key.hex),
            "from": .string(from.description),
        ])
        if let reason { unsigned["reason"] = .string(reason) }
        let record = try SignedObject.sign(
            unsigned,
            prefix: prefix,
            with: signer
        )
        return try KeyStatement(record: record)
    }

    /// Checks a received statement's form and signature (not yet whether its signer may sign it).
    public init(record: JSONObject) throws(CoreError) {
        try Self.schema.validate(.object(record))
        let (signer, hash) = try SignedObject.verify(record, prefix: Self.prefix)
        guard let action = Action(rawValue: record["type"]?.stringValue ?? ""),
            let node = NodeID(record["node"]?.stringValue ?? ""),
            let from = Timestamp(record["from"]?.stringValue ?? "")
        else { throw .schema("statement is malformed") }
        self.action = action
        self.node = node
        self.key = try PublicKey(hex: record["key"]?.stringValue ?? "")
        self.from = from
        self.signer = signer
        self.reason = record["reason"]?.stringValue
        self.hash = hash
        self.record = record
    }
}
