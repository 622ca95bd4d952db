import CIXCanonicalJSON

/// A node's signed self-description: who it is, where it answers, and what it serves.
///
/// Served at `/.well-known/cix/node` together with its key statements. A
/// newer descriptor (higher `version`) replaces an older one only if it is
/// signed by a key the node holds at the descriptor's `at`.
public struct NodeDescriptor: Sendable {
    public let node: NodeID
    public let name: String
    public let kind: NodeKind
    public let url: String
    public let version: Int
    public let at: Timestamp
    public let categories: [String]
    /// A GeoJSON Polygon or MultiPolygon, kept as sent.
    public let area: JSONObject?
    /// The head of the node's staff audit trail when it signed this, if it publishes one.
    public let audit: AuditHead?
    /// The X25519 key (hex) that residents' contact details are sealed to for this node, if it takes them.
    public let sealKey: String?
    /// Bodies not on CIX that this node reaches by Open311 or e-mail, and answers for as relays.
    public let relays: [Relay]
    public let signer: PublicKey
    /// SHA-256 of the canonical descriptor without `sig`: what was signed, and what names this version.
    public let hash: String
    public let record: JSONObject

    static let prefix = "cix-node-v1:"

    public static let schema = Schema.object([
        .required("cix", .constant(1), "protocol version"),
        .required("type", .oneOf(["node"]), "record type"),
        .required("node", .hex(bytes: 32), "the node id"),
        .required("name", .text(min: 1, max: 200), "the body's name, for people"),
        .required("kind", .oneOf(NodeKind.allCases.map(\.rawValue)), "the kind of body"),
        .required("url", .text(min: 9, max: 300), "base URL, https://HOST[:PORT]"),
        .required("version", .integer(1...Int64(Int32.max)), "increases with each new descriptor"),
        .required("at", .timestamp, "when this descriptor was signed"),
        .required(
            "categories",
            .array(.code(max: 64), min: 0, max: 500, sortedUnique: true),
            "taxonomy codes this node answers for, sorted"
        ),
        .optional(
            "area",
            .area(maxPositions: 200_000),
            "where this node answers: a GeoJSON Polygon or MultiPolygon (RFC 7946)"
        ),
        .optional(
            "audit",
            .object([
                .required("entries", .integer(0...Int64(Int32.max)), "how many entries the audit trail has"),
                .required("head", .hex(bytes: 32), "the chain hash of the last entry (64 zeros if none)"),
            ]),
            "the head of the node's staff audit trail, so that peers notice history rewritten"
        ),
        .optional(
            "seal_key",
            .hex(bytes: 32),
            "the X25519 public key contact details are sealed to for this node (events.md, Sealed contact details)"
        ),
        .optional(
            "relays",
            .array(
                .object([
                    .required(
                        "node",
                        .hex(bytes: 32),
                        "the relay's node id: SHA-256 of the key this node signs its events with"
                    ),
                    .required("name", .text(min: 1, max: 200), "the body's name, for people"),
                    .required(
                        "kind",
                        .oneOf(NodeKind.allCases.filter { $0 != .mirror }.map(\.rawValue)),
                        "the kind of body"
                    ),
                    .required("via", .oneOf(Relay.Via.allCases.map(\.rawValue)), "how this node reaches the body"),
                ]),
                min: 1,
                max: 100,
                sortedUnique: true
            ),
            "bodies not on CIX that this node reaches on their behalf (nodes.md, Relays), sorted"
        ),
        .required("signer", .hex(bytes: 32), "a key the node holds at `at`"),
        .required("sig", .hex(bytes: 64), "Ed25519 signature of \"cix-node-v1:\" followed by the hash"),
    ])

    /// Makes and signs a descriptor.
    public static func make(
        node: NodeID,
        name: String,
        kind: NodeKind,
        url: String,
        version: Int,
        at: Timestamp,
        categories: [String] = [],
        area: JSONObject? = nil,
        audit: AuditHead? = nil,
        sealKey: String? = nil,
        relays: [Relay] = [],
        signer: SigningKey
    ) throws(CoreError) -> NodeDescriptor {
        var record = JSONObject([
            "cix": 1, "type": "node", "node": .string(node.hex), "name": .string(name), "kind": .string(kind.rawValue),
            "url": .string(url), "version": .number(Double(version)), "at": .string(at.description),
            "categories": .array(Array(Set(categories)).sorted().map { .string($0) }),
        ])
        if let area { record["area"] = .object(area) }
        if let audit {
            record["audit"] = .object(
                JSONObject(["entries": .number(Double(audit.entries)), "head": .string(audit.head)])
            )
        }
        if let sealKey { record["seal_key"] = .string(sealKey) }
        if !relays.isEmpty { record["relays"] = .array(Relay.sorted(relays).map { .object($0.json) }) }
        return try NodeDescriptor(record: try SignedObject.sign(record, prefix: prefix, with: signer))
    }

    /// Checks a received descriptor's form and signature. Whether the signer
    /// speaks for the node is for the caller to check against the `KeyRing`.
    public init(record: JSONObject) throws(CoreError) {
        try Self.schema.validate(.object(record))
        let (signer, hash) = try SignedObject.verify(record, prefix: Self.prefix)
        guard let node = NodeID(record["node"]?.stringValue ?? ""),
            let kind = NodeKind(rawValue: record["kind"]?.stringValue ?? ""),
            let at = Timestamp(record["at"]?.stringValue ?? "")
        else { throw .schema("descriptor is malformed") }
        let url = record["url"]?.stringValue ?? ""
        guard Self.isHTTPSBase(url) else {
            throw .schema("url must be https://HOST[:PORT] (nodes talk over HTTPS only)")
        }
        self.node = node
        self.name = record["name"]?.stringValue ?? ""
        self.kind = kind
        self.url = url
        self.version = Int(record["version"]?.numberValue ?? 0)
        self.at = at
        self.categories = (record["categories"]?.arrayValue ?? []).compactMap(\.stringValue)
        self.area = record["area"]?.objectValue
        self.audit = record["audit"]?.objectValue.map {
            AuditHead(entries: Int64($0["entries"]?.numberValue ?? 0), head: $0["head"]?.stringValue ?? "")
        }
        self.sealKey = record["seal_key"]?.stringValue
        self.relays = (record["relays"]?.arrayValue ?? []).compactMap { $0.objectValue.flatMap(Relay.init(json:)) }
        self.signer = signer
        self.hash = hash
        self.record = record
    }

    /// Whether `url` is `https://` followed by a host (and optionally `:PORT` and a path).
    static func isHTTPSBase(_ url: String) -> Bool {
        guard url.hasPrefix("https://") else { return false }
        let rest = url.dropFirst("https://".count)
        let host = rest.prefix { $0 != "/" && $0 != ":" && $0 != "?" && $0 != "#" }
        return !host.isEmpty && !host.contains("@") && !host.contains(where: { $0 == " " || $0.isNewline })
    }
}

/// How far a node's staff audit trail reached when it signed a descriptor: its
/// length and the hash chaining every entry so far. Peers remember what they
/// saw; a later descriptor with fewer entries, or a different hash at an
/// entry count already seen, means history was rewritten (`nodes.md`).
public struct AuditHead: Sendable, Equatable {
    public let entries: Int64
    /// Lower-case hex SHA-256; 64 zeros when there are no entries.
    public let head: String

    public init(entries: Int64, head: String) {
        self.entries = entries
        self.head = head
    }
}

/// A body not on CIX that a node reaches by Open311 or e-mail (`nodes.md`, Relays). Its events
/// are signed by a key the relaying node holds for it alone, whose hash is the relay's node id;
/// they say what the body answered through its own channel, never the body's own signature.
public struct Relay: Sendable, Equatable {
    public enum Via: String, Sendable, CaseIterable {
        case open311
        case email
    }

    public let node: NodeID
    public let name: String
    public let kind: NodeKind
    public let via: Via

    public init(node: NodeID, name: String, kind: NodeKind, via: Via) {
        self.node = node
        self.name = name
        self.kind = kind
        self.via = via
    }

    init?(json: JSONObject) {
        guard let node = json["node"]?.stringValue.flatMap(NodeID.init),
            let kind = json["kind"]?.stringValue.flatMap(NodeKind.init(rawValue:)),
            let via = json["via"]?.stringValue.flatMap(Via.init(rawValue:))
        else { return nil }
        self.init(node: node, name: json["name"]?.stringValue ?? "", kind: kind, via: via)
    }

    var json: JSONObject {
        JSONObject([
            "node": .string(node.hex), "name": .string(name), "kind": .string(kind.rawValue),
            "via": .string(via.rawValue),
        ])
    }

    /// In the descriptor's order: by canonical bytes, so by `kind` first (its first member).
    public static func sorted(_ relays: [Relay]) -> [Relay] {
        relays.sorted {
            ((try? JSONValue.object($0.json).canonicalString()) ?? "")
                < ((try? JSONValue.object($1.json).canonicalString()) ?? "")
        }
    }
}
