import CIXCanonicalJSON
import CIXCore
import CIXTesting
import Testing

@Suite("Event decoding and verification")
struct EventDecodeTests {
    static func sample() -> (Event, JSONObject) {
        var factory = EventFactory()
        let event = factory.report(by: FixedKeys.council)
        guard case .object(let object)? = try? JSONParser().parse(event.bytes) else { preconditionFailure() }
        return (event, object)
    }

    /// Re-signs a modified envelope with the given key so that only the intended fault remains.
    static func resign(_ object: JSONObject, key: SigningKey) -> [UInt8] {
        var object = object
        let covered = object.removing(["id", "sig", "body"])
        let id = SHA256Hex.hash((try? JSONValue.object(covered).canonicalBytes()) ?? [])
        object["id"] = .string(id)
        object["sig"] = .string(Hex.encode(key.sign(Array(("cix-event-v1:" + id).utf8))))
        return (try? JSONValue.object(object).canonicalBytes()) ?? []
    }

    static func code(_ bytes: [UInt8]) -> CoreError.Code? {
        do {
            _ = try Event.decode(bytes)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func signedEventRoundTrips() throws {
        let (event, _) = Self.sample()
        let decoded = try Event.decode(event.bytes)
        #expect(decoded.id == event.id)
        #expect(decoded.bytes == event.bytes)
        #expect(decoded.issue == event.id)
        #expect(decoded.author == FixedKeys.council.id)
    }

    @Test func malformedJSON() {
        #expect(Self.code(Array("{\"cix\":1,".utf8)) == .malformedJSON)
    }

    @Test func duplicateKey() {
        let (event, _) = Self.sample()
        let text = event.text.replacingOccurrences(of: "{\"at\":", with: "{\"at\":\"x\",\"at\":")
        #expect(Self.code(Array(text.utf8)) == .malformedJSON)
    }

    @Test func nonCanonicalSpacing() {
        let (event, _) = Self.sample()
        #expect(Self.code(Array(event.text.replacingOccurrences(of: ",", with: ", ").utf8)) == .nonCanonical)
    }

    @Test func forgedSignature() {
        let (_, object) = Self.sample()
        var forged = object
        forged["sig"] = .string(
            Hex.encode(FixedKeys.stranger.key.sign(Array("cix-event-v1:\(object["id"]?.stringValue ?? "")".utf8)))
        )
        #expect(Self.code((try? JSONValue.object(forged).canonicalBytes()) ?? []) == .badSignature)
    }

    @Test func wrongID() {
        let (_, object) = Self.sample()
        var wrong = object
        wrong["at"] = "2026-01-05T09:01:01Z"
        #expect(Self.code((try? JSONValue.object(wrong).canonicalBytes()) ?? []) == .wrongID)
    }

    @Test func wrongBodyHash() {
        let (_, object) = Self.sample()
        var body = object["body"]?.objectValue ?? JSONObject()
        body["title"] = "Something else"
        var changed = object
        changed["body"] = .object(body)
        #expect(Self.code((try? JSONValue.object(changed).canonicalBytes()) ?? []) == .wrongBodyHash)
    }

    @Test func oversizedEvent() {
        let (_, object) = Self.sample()
        var big = object
        var body = object["body"]?.objectValue ?? JSONObject()
        body["description"] = .string(String(repeating: "x", count: 70_000))
        big["body"] = .object(body)
        #expect(Self.code((try? JSONValue.object(big).canonicalBytes()) ?? []) == .tooLarge)
    }

    @Test func unknownKind() {
        let (_, object) = Self.sample()
        var unknown = object
        unknown["kind"] = "issue.delete"
        #expect(Self.code(Self.resign(unknown, key: FixedKeys.council.key)) == .unknownKind)
    }

    @Test func missingField() {
        let (_, object) = Self.sample()
        #expect(Self.code(Self.resign(object.removing(["at"]), key: FixedKeys.council.key)) == .schema)
    }

    @Test func unknownMember() {
        let (_, object) = Self.sample()
        var extra = object
        extra["priority"] = "high"
        #expect(Self.code(Self.resign(extra, key: FixedKeys.council.key)) == .schema)
    }

    @Test func unknownBodyMember() throws {
        var factory = EventFactory()
        let report = factory.report(by: FixedKeys.council)
        let body = JSONObject(["text": "hi", "html": "<b>hi</b>", "salt": .string(String(repeating: "01", count: 16))])
        #expect {
            try EventDraft.sign(
                kind: .comment,
                body: body,
                issue: report.id,
                prev: [report.id],
                depth: 2,
                at: Timestamp("2026-01-05T10:00:00Z")!,
                with: FixedKeys.council.key,
                author: FixedKeys.council.id
            )
        } throws: {
            ($0 as? CoreError)?.code == .schema
        }
    }

    @Test func keyNotOnTheCurve() {
        // y = 2: (y² − 1)/(d·y² + 1) has no square root mod p, so no point has this encoding.
        let (_, object) = Self.sample()
        var off = object
        off["key"] = "0200000000000000000000000000000000000000000000000000000000000000"
        #expect(Self.code(Self.resign(off, key: FixedKeys.council.key)) == .invalidKey)
        #expect(throws: CoreError.invalidKey("public key is not a point on the Ed25519 curve")) {
            try PublicKey(hex: "0200000000000000000000000000000000000000000000000000000000000000")
        }
        #expect((try? PublicKey(hex: FixedKeys.council.key.publicKey.hex)) != nil)
    }

    @Test func smallOrderKey() {
        let (_, object) = Self.sample()
        var small = object
        small["key"] = "0100000000000000000000000000000000000000000000000000000000000000"
        #expect(Self.code(Self.resign(small, key: FixedKeys.council.key)) == .invalidKey)
    }

    @Test func reportWithParentsIsRefused() {
        let (_, object) = Self.sample()
        var bad = object
        bad["prev"] = .array([.string(String(repeating: "a", count: 64))])
        #expect(Self.code(Self.resign(bad, key: FixedKeys.council.key)) == .schema)
    }

    @Test func redactedSkeletonStillVerifies() throws {
        let (event, _) = Self.sample()
        let skeleton = event.withoutBody()
        #expect(skeleton.body == nil)
        let decoded = try Event.decode(skeleton.bytes)
        #expect(decoded.id == event.id)
        #expect(decoded.bodyHash == event.bodyHash)
    }

    @Test func timestampsHaveOneForm() {
        #expect(Timestamp("2026-02-29T00:00:00Z") == nil)
        #expect(Timestamp("2024-02-29T23:59:59Z")?.description == "2024-02-29T23:59:59Z")
        #expect(Timestamp("2026-01-05T09:00:00+00:00") == nil)
        #expect(Timestamp("2026-01-05t09:00:00Z") == nil)
        #expect(Timestamp("1970-01-01T00:00:00Z")?.secondsSinceEpoch == 0)
    }
}
