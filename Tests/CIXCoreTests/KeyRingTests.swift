import CIXCore
import CIXTesting
import Testing

@Suite("Key rotation and revocation")
struct KeyRingTests {
    let node = FixedKeys.council
    let newKey = FixedKeys.key(0x80)
    let t0 = Timestamp("2026-01-01T00:00:00Z")!
    let t1 = Timestamp("2026-02-01T00:00:00Z")!
    let t2 = Timestamp("2026-03-01T00:00:00Z")!

    @Test func genesisKeySpeaksForItsNode() {
        let ring = KeyRing(node: node.id)
        #expect(ring.isAuthorised(node.key.publicKey, at: t0))
        #expect(!ring.isAuthorised(FixedKeys.police.key.publicKey, at: t0))
    }

    @Test func rotationSignedByACurrentKeyAddsTheKeyFromThen() throws {
        let add = try KeyStatement.make(.add, node: node.id, key: newKey.publicKey, from: t1, signer: node.key)
        let ring = KeyRing(node: node.id, statements: [add])
        #expect(!ring.isAuthorised(newKey.publicKey, at: t0))
        #expect(ring.isAuthorised(newKey.publicKey, at: t1))
    }

    @Test func rotationSignedByAStrangerIsRefused() throws {
        let add = try KeyStatement.make(
            .add,
            node: node.id,
            key: newKey.publicKey,
            from: t1,
            signer: FixedKeys.stranger.key
        )
        let ring = KeyRing(node: node.id, statements: [add])
        #expect(!ring.isAuthorised(newKey.publicKey, at: t2))
        #expect(ring.refused.count == 1)
    }

    @Test func revocationCutsAKeyOffFromAPointInTime() throws {
        let add = try KeyStatement.make(.add, node: node.id, key: newKey.publicKey, from: t0, signer: node.key)
        let revoke = try KeyStatement.make(.revoke, node: node.id, key: node.key.publicKey, from: t1, signer: newKey)
        let ring = KeyRing(node: node.id, statements: [revoke, add])
        #expect(ring.isAuthorised(node.key.publicKey, at: t0))
        #expect(!ring.isAuthorised(node.key.publicKey, at: t1))
        #expect(!ring.isAuthorised(node.key.publicKey, at: t2))
        #expect(ring.isAuthorised(newKey.publicKey, at: t2))
    }

    @Test func aRevokedKeyCannotAddKeysAfterItsRevocation() throws {
        let revoke = try KeyStatement.make(.revoke, node: node.id, key: node.key.publicKey, from: t1, signer: node.key)
        let add = try KeyStatement.make(.add, node: node.id, key: newKey.publicKey, from: t2, signer: node.key)
        let ring = KeyRing(node: node.id, statements: [add, revoke])
        #expect(!ring.isAuthorised(newKey.publicKey, at: t2))
    }

    @Test func tamperedStatementFailsItsSignature() throws {
        let add = try KeyStatement.make(.add, node: node.id, key: newKey.publicKey, from: t1, signer: node.key)
        var record = add.record
        record["from"] = .string(t0.description)
        #expect { try KeyStatement(record: record) } throws: { ($0 as? CoreError)?.code == .badSignature }
    }

    @Test func descriptorSignsAndVerifies() throws {
        let descriptor = try NodeDescriptor.make(
            node: node.id,
            name: "Greenfield District Council",
            kind: .council,
            url: "https://127.0.0.1:8443",
            version: 1,
            at: t0,
            categories: ["pothole", "street_lighting"],
            signer: node.key
        )
        let again = try NodeDescriptor(record: descriptor.record)
        #expect(again.categories == ["pothole", "street_lighting"])
        var forged = descriptor.record
        forged["name"] = "Someone else"
        #expect(throws: CoreError.self) { try NodeDescriptor(record: forged) }
    }
}
