import CIXCore

/// Signing keys from fixed seeds, so that tests and protocol vectors are reproducible.
///
/// Seed n is the 32 bytes n, n+1, …, n+31 (mod 256). Never use these keys for anything real.
package enum FixedKeys {
    package static func seed(_ start: UInt8) -> [UInt8] { (0..<32).map { start &+ UInt8($0) } }

    package static func key(_ start: UInt8) -> SigningKey {
        // Any 32 bytes are a valid Ed25519 seed.
        guard let key = try? SigningKey(seed: seed(start)) else { preconditionFailure("fixed seed rejected") }
        return key
    }

    /// The test place's cast: one key each.
    package static let council = TestNode(name: "council", seedStart: 0x00)
    package static let police = TestNode(name: "police", seedStart: 0x20)
    package static let volunteers = TestNode(name: "volunteers", seedStart: 0x40)
    package static let stranger = TestNode(name: "stranger", seedStart: 0x60)
}

/// A named node with a fixed key, able to sign events.
package struct TestNode: Sendable {
    package let name: String
    /// The Ed25519 seed of its key.
    package let seed: [UInt8]
    package let key: SigningKey
    package var id: NodeID { NodeID(genesisKey: key.publicKey) }

    package init(name: String, seedStart: UInt8) {
        self.init(name: name, seed: FixedKeys.seed(seedStart))
    }

    /// A node whose key comes from any 32 bytes.
    package init(name: String, seed: [UInt8]) {
        self.name = name
        self.seed = seed
        guard let key = try? SigningKey(seed: seed) else { preconditionFailure("a 32-byte seed was rejected") }
        self.key = key
    }
}
