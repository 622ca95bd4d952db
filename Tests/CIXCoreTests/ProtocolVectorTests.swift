import CIXCanonicalJSON
import CIXCore
import CIXTesting
import Foundation
import Testing

/// Checks `Protocol/vectors/` in both directions: every intermediate value is
/// recomputed from the inputs alone (as a stranger's implementation would),
/// every event decodes, every invalid event fails with the named reason, and
/// the files are exactly those pinned by SHA-256 in `Protocol/README.md`.
@Suite("Protocol vectors")
struct ProtocolVectorTests {
    static let folder = Fixtures.protocolFolder.appendingPathComponent("vectors")

    static func load(_ name: String) throws -> JSONObject {
        try #require(try Fixtures.json(folder.appendingPathComponent(name)).objectValue)
    }

    static func bytes(_ value: JSONValue?) -> [UInt8] { Array((value?.stringValue ?? "").utf8) }

    @Test func filesMatchTheirPinsInTheSpec() throws {
        let readme = try String(
            contentsOf: Fixtures.protocolFolder.appendingPathComponent("README.md"),
            encoding: .utf8
        )
        let sums = try String(contentsOf: Self.folder.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
        for line in sums.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            let (hash, name) = (String(parts[0]), String(parts[1]))
            let actual = SHA256Hex.hash(Array(try Data(contentsOf: Self.folder.appendingPathComponent(name))))
            #expect(actual == hash, "\(name) does not match SHA256SUMS")
            #expect(readme.contains("`\(hash)`"), "Protocol/README.md does not pin \(name)")
        }
    }

    @Test func generatorReproducesTheCommittedFiles() throws {
        for (name, text) in ProtocolVectors.files() {
            let committed = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
            #expect(committed == text, "\(name) differs from what ProtocolVectors generates")
        }
    }

    @Test func validEventsReproduceEveryIntermediateValue() throws {
        let vectors = try Self.load("events.json")
        var seeds: [String: [UInt8]] = [:]
        for key in vectors["keys"]?.arrayValue ?? [] {
            let key = try #require(key.objectValue)
            let seed = try #require(Hex.decode(key["seed"]?.stringValue ?? ""))
            let signing = try SigningKey(seed: seed)
            #expect(signing.publicKey.hex == key["public_key"]?.stringValue)
            #expect(NodeID(genesisKey: signing.publicKey).hex == key["node_id"]?.stringValue)
            seeds[key["name"]?.stringValue ?? ""] = seed
        }
        let valid = vectors["valid"]?.arrayValue ?? []
        #expect(valid.count >= 15)
        for item in valid {
            let vector = try #require(item.objectValue)
            let name = vector["name"]?.stringValue ?? ""
            let input = try #require(vector["input"]?.objectValue)
            // Body: the input body plus the salt, canonicalised, hashed.
            var body = try #require(input["body"]?.objectValue)
            body["salt"] = input["salt"]
            let bodyBytes = try JSONValue.object(body).canonicalBytes()
            #expect(bodyBytes == Self.bytes(vector["body_canonical"]), "\(name): body canonical form")
            #expect(SHA256Hex.hash(bodyBytes) == vector["body_hash"]?.stringValue, "\(name): body hash")
            // Envelope covered by the id: the input's members without body and salt, plus body_hash.
            var envelope = input.removing(["body", "salt"])
            envelope["body_hash"] = .string(SHA256Hex.hash(bodyBytes))
            let envelopeBytes = try JSONValue.object(envelope).canonicalBytes()
            #expect(envelopeBytes == Self.bytes(vector["envelope_canonical"]), "\(name): envelope canonical form")
            let id = SHA256Hex.hash(envelopeBytes)
            #expect(id == vector["id"]?.stringValue, "\(name): id")
            let message = Array(("cix-event-v1:" + id).utf8)
            #expect(message == Self.bytes(vector["signed_message"]), "\(name): signed message")
            let key = try SigningKey(seed: try #require(seeds[vector["signer"]?.stringValue ?? ""]))
            let signature = Hex.encode(key.sign(message))
            #expect(signature == vector["sig"]?.stringValue, "\(name): signature")
            // The whole event, and decoding it back.
            let event = try Event.decode(Self.bytes(vector["event"]))
            #expect(event.id.hex == id, "\(name): decoded id")
            if event.body != nil {
                var whole = envelope
                whole["id"] = .string(id)
                whole["sig"] = .string(signature)
                whole["body"] = .object(body)
                #expect(try JSONValue.object(whole).canonicalBytes() == event.bytes, "\(name): whole event")
            }
        }
    }

    @Test func invalidEventsFailWithTheNamedReason() throws {
        let invalid = try Self.load("events.json")["invalid"]?.arrayValue ?? []
        #expect(invalid.count >= 15)
        for item in invalid {
            let vector = try #require(item.objectValue)
            let expected = vector["error"]?.stringValue
            #expect(throws: CoreError.self, "\(vector["name"]?.stringValue ?? "")") {
                try Event.decode(Self.bytes(vector["event"]))
            }
            do {
                _ = try Event.decode(Self.bytes(vector["event"]))
            } catch {
                #expect(error.code.rawValue == expected, "\(vector["name"]?.stringValue ?? ""): \(error)")
            }
        }
    }

    @Test func foldSetsGiveTheirStateInAnyOrder() throws {
        let sets = try Self.load("fold.json")["sets"]?.arrayValue ?? []
        #expect(sets.count == 4)
        var random = SeededGenerator(seed: 1)
        for item in sets {
            let set = try #require(item.objectValue)
            let events = try (set["events"]?.arrayValue ?? []).map { try Event.decode(Self.bytes($0)) }
            let statements = try (set["key_statements"]?.arrayValue ?? []).map { value in
                try KeyStatement(record: try #require(try JSONParser().parse(Self.bytes(value)).objectValue))
            }
            let keys = KeyRings(statements: statements)
            let expected = Self.bytes(set["state"])
            for _ in 0..<20 {
                #expect(IssueFold.fold(events.shuffled(using: &random), keys: keys)?.canonicalBytes() == expected)
            }
        }
        // The revoked key's status after the revocation is rejected; without the statements it would apply.
        let revoked = try #require(sets.last?.objectValue)
        let state = String(decoding: Self.bytes(revoked["state"]), as: UTF8.self)
        #expect(state.contains(KeyRings.refusal))
        #expect(state.contains("\"status\":\"in_progress\""), "investigating (30 June) then scheduled (3 July)")
    }

    @Test func canonicalJSONVectors() throws {
        let vectors = try Self.load("canonical-json.json")
        for item in vectors["valid"]?.arrayValue ?? [] {
            let vector = try #require(item.objectValue)
            #expect(try JSONParser().canonicalize(Self.bytes(vector["input"])) == Self.bytes(vector["output"]))
        }
        for item in vectors["invalid"]?.arrayValue ?? [] {
            let vector = try #require(item.objectValue)
            #expect {
                try JSONParser().parse(Self.bytes(vector["input"]))
            } throws: { error in
                (error as? CanonicalJSONError)?.code.rawValue == vector["error"]?.stringValue
            }
        }
    }

    @Test func nodeRecordsVerifyAndRefusedKeysAreRefused() throws {
        let vectors = try Self.load("nodes.json")
        let descriptor = try #require(vectors["descriptor"]?.objectValue)
        let record = try #require(try JSONParser().parse(Self.bytes(descriptor["record"])).objectValue)
        let parsed = try NodeDescriptor(record: record)
        #expect(parsed.node.hex == vectors["node_id"]?.stringValue)
        #expect(
            SHA256Hex.hash(try JSONValue.object(record.removing(["sig"])).canonicalBytes())
                == descriptor["hash"]?.stringValue
        )
        var statements: [KeyStatement] = []
        for name in ["key_add", "key_revoke"] {
            let item = try #require(vectors[name]?.objectValue)
            statements.append(
                try KeyStatement(record: try #require(try JSONParser().parse(Self.bytes(item["record"])).objectValue))
            )
        }
        let ring = KeyRing(node: parsed.node, statements: statements)
        let genesis = try PublicKey(hex: vectors["genesis_public_key"]?.stringValue ?? "")
        let rotated = try PublicKey(hex: vectors["rotated_public_key"]?.stringValue ?? "")
        #expect(ring.isAuthorised(genesis, at: Timestamp("2026-06-15T00:00:00Z")!))
        #expect(!ring.isAuthorised(genesis, at: Timestamp("2026-07-01T00:00:00Z")!))
        #expect(ring.isAuthorised(rotated, at: Timestamp("2026-07-01T00:00:00Z")!))
        for key in vectors["refused_keys"]?.arrayValue ?? [] {
            #expect(throws: CoreError.self) { try PublicKey(hex: key.stringValue ?? "") }
        }
    }

    @Test func publishedSchemasMatchTheCode() throws {
        for (name, text) in ProtocolSchemas.files() {
            let committed = try String(
                contentsOf: Fixtures.protocolFolder.appendingPathComponent("schemas/\(name)"),
                encoding: .utf8
            )
            #expect(committed == text, "Protocol/schemas/\(name) is out of date: run cix schema --out Protocol/schemas")
        }
    }

    @Test func examplesAreValidEventsOfTheirKind() throws {
        for kind in EventKind.allCases {
            let url = Fixtures.protocolFolder.appendingPathComponent("examples/\(kind.rawValue).json")
            let value = try Fixtures.json(url)
            let event = try Event.decode(try value.canonicalBytes())
            #expect(event.kind == kind)
        }
    }
}
