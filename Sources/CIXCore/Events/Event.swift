import CIXCanonicalJSON

/// A signed, immutable, content-addressed event, holding the exact canonical
/// bytes it was received or created as.
///
/// Invariants: `bytes` is the canonical JSON of the whole event; `id` is the
/// SHA-256 of the canonical envelope without `id`, `sig` and `body`;
/// `body_hash` is the SHA-256 of the canonical body; `sig` verifies under
/// `key`. A value of this type exists only if all of that was checked (by
/// `Event.decode`) or made true (by `EventDraft.sign`). Whether `key` belongs
/// to `author` is checked separately, against a `KeyRing`.
///
/// `body` is nil when the body was redacted or withheld; the envelope still
/// verifies. `content` is the same body, typed by kind and decoded once.
public struct Event: Sendable {
    public let id: EventID
    public let kind: EventKind
    /// The issue's id; for an `issue.report`, its own id.
    public let issue: EventID
    public let author: NodeID
    public let key: PublicKey
    public let prev: [EventID]
    public let depth: Int
    public let at: Timestamp
    public let audience: Audience
    public let bodyHash: String
    public let signature: [UInt8]
    /// The body as received, salt included (nil once redacted).
    package let body: JSONObject?
    /// The body typed by kind (nil once redacted).
    public let content: EventBody?
    /// The canonical bytes of the whole event, as stored and sent.
    public let bytes: [UInt8]

    /// The domain-separation prefix of the signed message.
    public static let signaturePrefix = "cix-event-v1:"

    /// The exact bytes that `sig` signs: the prefix followed by the id's hex digits.
    public static func signedMessage(for id: EventID) -> [UInt8] {
        Array((signaturePrefix + id.hex).utf8)
    }

    init(
        id: EventID,
        kind: EventKind,
        issue: EventID,
        author: NodeID,
        key: PublicKey,
        prev: [EventID],
        depth: Int,
        at: Timestamp,
        audience: Audience,
        bodyHash: String,
        signature: [UInt8],
        body: JSONObject?,
        bytes: [UInt8]
    ) {
        self.id = id
        self.kind = kind
        self.issue = issue
        self.author = author
        self.key = key
        self.prev = prev
        self.depth = depth
        self.at = at
        self.audience = audience
        self.bodyHash = bodyHash
        self.signature = signature
        self.body = body
        self.content = body.map { EventBody(kind: kind, validated: $0) }
        self.bytes = bytes
    }

    /// Whether this is the report that opens its issue.
    public var isReport: Bool { kind == .report }

    /// The same event with its body removed: the verifiable skeleton kept after a redaction.
    public func withoutBody() -> Event {
        guard body != nil, case .object(var object)? = try? JSONParser().parse(bytes) else { return self }
        object["body"] = nil
        let skeleton = (try? JSONValue.object(object).canonicalBytes()) ?? bytes
        return Event(
            id: id,
            kind: kind,
            issue: issue,
            author: author,
            key: key,
            prev: prev,
            depth: depth,
            at: at,
            audience: audience,
            bodyHash: bodyHash,
            signature: signature,
            body: nil,
            bytes: skeleton
        )
    }

    /// The canonical text of the whole event.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
