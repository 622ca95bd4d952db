import Crypto

/// A node's Ed25519 private key. Its bytes are never logged or printed.
public struct SigningKey: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    /// The public half, in the form events carry.
    public let publicKey: PublicKey

    /// A fresh random key.
    public init() {
        self.init(key: Curve25519.Signing.PrivateKey())
    }

    /// The key with this 32-byte RFC 8032 seed (for stored keys and fixed test keys).
    public init(seed: [UInt8]) throws(CoreError) {
        guard seed.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw .invalidKey("a signing key seed must be 32 bytes")
        }
        self.init(key: key)
    }

    private init(key: Curve25519.Signing.PrivateKey) {
        self.key = key
        self.publicKey = PublicKey(unchecked: key.publicKey)
    }

    /// The 32-byte seed, for writing the key file. Handle with care.
    public var seed: [UInt8] { Array(key.rawRepresentation) }

    /// A deterministic RFC 8032 signature.
    public func sign(_ message: [UInt8]) -> [UInt8] {
        // Signing with a valid private key only fails if the platform's crypto is broken.
        guard let signature = try? key.signature(for: message) else {
            preconditionFailure("Ed25519 signing failed")
        }
        return Array(signature)
    }
}
