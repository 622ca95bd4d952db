/// The id of an event: SHA-256 of its canonical envelope, as 64 hex digits.
///
/// The id of an `issue.report` event is also the id.
public struct EventID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let hex: String

    public init?(_ hex: String) {
        guard Hex.decode(hex, count: 32) != nil else { return nil }
        self.hex = hex
    }

    init(unchecked hex: String) { self.hex = hex }

    /// Ordering by the hex text, which is the same as ordering by the hash bytes.
    public static func < (lhs: EventID, rhs: EventID) -> Bool { lhs.hex < rhs.hex }
    public var description: String { hex }
}

/// The id of a node: SHA-256 of the 32 bytes of its first (genesis) public key.
///
/// Deriving the id from a key makes it self-certifying: an event signed by the
/// genesis key proves its author with nothing else known.
public struct NodeID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let hex: String

    public init?(_ hex: String) {
        guard Hex.decode(hex, count: 32) != nil else { return nil }
        self.hex = hex
    }

    init(unchecked hex: String) { self.hex = hex }

    /// The id of the node whose genesis key this is.
    public init(genesisKey: PublicKey) {
        self.hex = SHA256Hex.hash(genesisKey.bytes)
    }

    public static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.hex < rhs.hex }
    public var description: String { hex }

    /// The first 12 hex digits, for people.
    public var short: String { String(hex.prefix(12)) }
}
