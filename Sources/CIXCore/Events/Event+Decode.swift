import CIXCanonicalJSON

extension Event {
    /// Parses and verifies one event from its wire bytes.
    ///
    /// Checks, in order, each failing with its own `CoreError.Code`: size,
    /// strict JSON, canonical form, kind, envelope and body schemas,
    /// `body_hash`, `id`, the key's encoding, and the signature. It does not
    /// check that `key` belongs to `author` (see `KeyRing`) nor the event's
    /// place among its parents (the store does, once the parents are known).
    public static func decode(_ bytes: some Collection<UInt8>) throws(CoreError) -> Event {
        try decode(bytes, checkingSignature: true)
    }

    /// Decodes an event from a node's own store, where it was fully verified
    /// when it arrived: every check but the signature (`cix verify` re-checks that).
    public static func decodeStored(_ bytes: some Collection<UInt8>) throws(CoreError) -> Event {
        try decode(bytes, checkingSignature: false)
    }

    static func decode(_ bytes: some Collection<UInt8>, checkingSignature: Bool) throws(CoreError) -> Event {
        let bytes = Array(bytes)
        guard bytes.count <= Limits.maxEventBytes else {
            throw CoreError(.tooLarge, "event is \(bytes.count) bytes; the limit is \(Limits.maxEventBytes)")
        }
        let value: JSONValue
        do {
            value = try JSONParser(limits: .init(maxDepth: Limits.maxNesting, maxBytes: Limits.maxEventBytes))
                .parse(bytes)
        } catch {
            throw CoreError(.malformedJSON, error.description)
        }
        guard case .object(var object) = value else { throw .schema("an event must be a JSON object") }
        // One serialisation checks the canonical form and yields the exact bytes of the body
        // and of the envelope members that the id covers.
        guard let (canonical, ranges) = try? object.canonicalBytesWithRanges(), canonical == bytes else {
            throw CoreError(
                .nonCanonical,
                "event is not in RFC 8785 canonical form (member order, spacing, escapes or numbers differ)"
            )
        }
        guard let kindText = object["kind"]?.stringValue else { throw .schema("kind is required") }
        guard let kind = EventKind(rawValue: kindText) else {
            throw CoreError(.unknownKind, "unknown event kind \"\(kindText.prefix(64))\"")
        }
        let body = object["body"]
        object["body"] = nil
        try EventSchemas.envelope.validate(.object(object))
        if let body {
            try EventSchemas.body(kind).validate(body, at: "body")
        }
        var covered: [UInt8] = [UInt8(ascii: "{")]
        var bodyBytes: ArraySlice<UInt8> = []
        for range in ranges {
            switch range.name {
            case "body": bodyBytes = bytes[range.value]
            case "id", "sig": continue
            default:
                if covered.count > 1 { covered.append(UInt8(ascii: ",")) }
                covered.append(contentsOf: bytes[range.member])
            }
        }
        covered.append(UInt8(ascii: "}"))
        return try verify(
            envelope: object,
            kind: kind,
            body: body?.objectValue,
            bodyBytes: bodyBytes,
            coveredBytes: covered,
            bytes: bytes,
            checkingSignature: checkingSignature
        )
    }

    /// Checks the envelope's structure, hashes and signature. The envelope has passed its schema.
    private static func verify(
        envelope: JSONObject,
        kind: EventKind,
        body: JSONObject?,
        bodyBytes: ArraySlice<UInt8>,
        coveredBytes: [UInt8],
        bytes: [UInt8],
        checkingSignature: Bool
    ) throws(CoreError) -> Event {
        func string(_ name: String) -> String { envelope[name]?.stringValue ?? "" }
        let prev = (envelope["prev"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(EventID.init) }
        let depth = Int(envelope["depth"]?.numberValue ?? 0)
        let issueText = envelope["issue"]?.stringValue
        if kind == .report {
            guard issueText == nil, prev.isEmpty, depth == 1 else {
                throw .schema("an issue.report has no issue and no prev, and depth 1")
            }
        } else {
            guard issueText != nil, !prev.isEmpty, depth >= 2 else {
                throw .schema("a \(kind.rawValue) event needs issue, at least one prev, and depth of at least 2")
            }
        }
        if kind == .contact {
            // Sealed details go to one body alone: never public, never to a second node.
            let audience = envelope["audience"]?.arrayValue?.compactMap(\.stringValue)
            guard let audience, audience.count == 1, body == nil || body?["to"]?.stringValue == audience.first else {
                throw .schema("a contact event's audience is exactly one node: the node in its body's to")
            }
        }
        if body != nil {
            let hash = SHA256Hex.hash(bodyBytes)
            guard hash == string("body_hash") else {
                throw CoreError(.wrongBodyHash, "body_hash does not match the body (expected \(hash))")
            }
        }
        let id = EventID(unchecked: SHA256Hex.hash(coveredBytes))
        guard id.hex == string("id") else {
            throw CoreError(.wrongID, "id does not match the envelope (expected \(id.hex))")
        }
        let key = try PublicKey(hex: string("key"))
        let signature = Hex.decode(string("sig"), count: 64) ?? []
        guard !checkingSignature || key.isValidSignature(signature, for: signedMessage(for: id)) else {
            throw CoreError(.badSignature, "signature does not verify under the event's key")
        }
        guard let author = NodeID(string("author")), let at = Timestamp(string("at")) else {
            throw .schema("author or at is malformed")
        }
        return Event(
            id: id,
            kind: kind,
            issue: issueText.flatMap(EventID.init) ?? id,
            author: author,
            key: key,
            prev: prev,
            depth: depth,
            at: at,
            audience: Audience(json: envelope["audience"] ?? "public"),
            bodyHash: string("body_hash"),
            signature: signature,
            body: body,
            bytes: bytes
        )
    }
}
