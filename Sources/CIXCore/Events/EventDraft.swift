import CIXCanonicalJSON

/// An event before it is signed: what the author wants to say.
///
/// Signing fills in `body_hash`, `id` and `sig`. The salt comes from the
/// caller, so that signing stays deterministic and testable.
public struct EventDraft: Sendable {
    public var kind: EventKind
    /// The issue; nil for an `issue.report`.
    public var issue: EventID?
    public var prev: [EventID]
    public var depth: Int
    public var at: Timestamp
    public var audience: Audience
    /// The body without `salt`.
    public var body: JSONObject

    public init(
        kind: EventKind, issue: EventID?, prev: [EventID], depth: Int, at: Timestamp,
        audience: Audience = .everyone, body: JSONObject
    ) {
        self.kind = kind
        self.issue = issue
        self.prev = prev
        self.depth = depth
        self.at = at
        self.audience = audience
        self.body = body
    }

    /// Signs the draft, then decodes the result so that only a valid event can come out.
    public func sign(with key: SigningKey, author: NodeID, salt: [UInt8]) throws(CoreError) -> Event {
        guard salt.count == 16 else { throw .schema("salt must be 16 bytes") }
        var body = self.body
        body["salt"] = .string(Hex.encode(salt))
        var envelope = JSONObject([
            "cix": 1, "kind": .string(kind.rawValue), "author": .string(author.hex), "key": .string(key.publicKey.hex),
            "prev": .array(prev.sorted().map { .string($0.hex) }), "depth": .number(Double(depth)),
            "at": .string(at.description), "audience": audience.json,
        ])
        if let issue { envelope["issue"] = .string(issue.hex) }
        do {
            envelope["body_hash"] = .string(SHA256Hex.hash(try JSONValue.object(body).canonicalBytes()))
            let id = SHA256Hex.hash(try JSONValue.object(envelope).canonicalBytes())
            envelope["id"] = .string(id)
            envelope["sig"] = .string(Hex.encode(key.sign(Event.signedMessage(for: EventID(unchecked: id)))))
            envelope["body"] = .object(body)
            return try Event.decode(try JSONValue.object(envelope).canonicalBytes())
        } catch let error as CoreError {
            throw error
        } catch {
            throw .schema("draft cannot be encoded: \(error)")
        }
    }
}
