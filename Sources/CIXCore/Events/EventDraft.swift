import CIXCanonicalJSON

/// An event before it is signed: what the author wants to say.
///
/// Signing fills in `body_hash`, `id` and `sig`. The salt comes from the
/// caller, so that signing stays deterministic and testable.
public struct EventDraft: Sendable {
    /// What the event says; its kind is the event's kind.
    public var content: EventBody
    /// The issue; nil for an `issue.report`.
    public var issue: EventID?
    public var prev: [EventID]
    public var depth: Int
    public var at: Timestamp
    public var audience: Audience

    public var kind: EventKind { content.kind }

    public init(
        _ content: EventBody,
        issue: EventID?,
        prev: [EventID],
        depth: Int,
        at: Timestamp,
        audience: Audience = .everyone
    ) {
        self.content = content
        self.issue = issue
        self.prev = prev
        self.depth = depth
        self.at = at
        self.audience = audience
    }

    /// Signs the draft, then decodes the result so that only a valid event can come out.
    public func sign(with key: SigningKey, author: NodeID, salt: [UInt8]) throws(CoreError) -> Event {
        guard salt.count == 16 else { throw .schema("salt must be 16 bytes") }
        var body = content.json
        body["salt"] = .string(Hex.encode(salt))
        return try Self.sign(
            kind: kind,
            body: body,
            issue: issue,
            prev: prev,
            depth: depth,
            at: at,
            audience: audience,
            with: key,
            author: author
        )
    }

    /// Signs a body given as JSON, salt included, exactly as it is: for test
    /// vectors and for checking that bad bodies are refused.
    package static func sign(
        kind: EventKind,
        body: JSONObject,
        issue: EventID?,
        prev: [EventID],
        depth: Int,
        at: Timestamp,
        audience: Audience = .everyone,
        with key: SigningKey,
        author: NodeID
    ) throws(CoreError) -> Event {
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
