import Crypto

/// An Ed25519 public key that the protocol accepts.
///
/// Ed25519 libraries disagree on small-order and non-canonical points (see
/// `Protocol/signatures.md`), so a key is refused here, before any signature
/// is checked, if its encoding is not canonical (y ≥ p, or x = 0 with the sign
/// bit set) or if it is one of the eight points of small order. Every
/// implementation that applies the same two rules agrees on which events are
/// valid.
public struct PublicKey: Sendable, Hashable {
    /// The 32-byte RFC 8032 encoding.
    public let bytes: [UInt8]
    private let key: Curve25519.Signing.PublicKey

    /// The key as 64 lower-case hexadecimal digits, its text form everywhere.
    public var hex: String { Hex.encode(bytes) }

    public init(hex: String) throws(CoreError) {
        guard let bytes = Hex.decode(hex, count: 32) else {
            throw .invalidKey("a public key must be 64 lower-case hexadecimal digits")
        }
        try self.init(bytes: bytes)
    }

    public init(bytes: [UInt8]) throws(CoreError) {
        guard bytes.count == 32 else { throw .invalidKey("a public key must be 32 bytes") }
        if let reason = Ed25519Point.rejection(bytes) { throw .invalidKey("public key \(reason)") }
        guard Ed25519Curve.isOnCurve(bytes) else { throw .invalidKey("public key is not a point on the Ed25519 curve") }
        do {
            self.key = try Curve25519.Signing.PublicKey(rawRepresentation: bytes)
        } catch {
            throw .invalidKey("public key is not a valid Ed25519 point")
        }
        self.bytes = bytes
    }

    init(unchecked key: Curve25519.Signing.PublicKey) {
        self.key = key
        self.bytes = Array(key.rawRepresentation)
    }

    /// Checks an Ed25519 signature over `message`.
    ///
    /// On top of RFC 8032 verification (which refuses S ≥ L and is
    /// cofactorless), the R half of the signature must be canonical and not of
    /// small order.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == 64 else { return false }
        guard Ed25519Point.rejection(Array(signature[0..<32])) == nil else { return false }
        return key.isValidSignature(signature, for: message)
    }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.bytes == rhs.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}

/// Encoding rules for points on edwards25519 that some libraries leave unchecked.
enum Ed25519Point {
    /// The canonical encodings of the eight points of small order.
    static let smallOrder: Set<[UInt8]> = Set(
        [
            "0100000000000000000000000000000000000000000000000000000000000000",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000080",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        ].compactMap { Hex.decode($0) }
    )

    /// Why an encoded point is refused, or nil if it is acceptable.
    static func rejection(_ encoded: [UInt8]) -> String? {
        if smallOrder.contains(encoded) { return "is a point of small order" }
        // y is the low 255 bits, little-endian; it must be below p = 2^255 - 19.
        let yAtLeastP =
            encoded[31] & 0x7F == 0x7F && encoded[1..<31].allSatisfy { $0 == 0xFF } && encoded[0] >= 0xED
        if yAtLeastP { return "has a non-canonical encoding (y ≥ p)" }
        // x = 0 happens only for y = 1 and y = -1; there the sign bit must be clear.
        var unsigned = encoded
        unsigned[31] &= 0x7F
        if encoded[31] & 0x80 != 0, smallOrder.contains(unsigned), unsigned[0] == 0x01 || unsigned[0] == 0xEC {
            return "has a non-canonical encoding (x = 0 with the sign bit set)"
        }
        return nil
    }
}
