/// Which keys speak for one node, and when.
///
/// The genesis key (the one whose hash is the node id) is valid from the
/// beginning. A `key.add` signed by a key valid at its `from` adds a key from
/// then on; a `key.revoke` signed by any key of the node valid at its `from`
/// (or by the revoked key itself) ends a key's validity at `from`. Statements
/// are applied in order of (`from`, hash), so every node derives the same ring.
public struct KeyRing: Sendable {
    public let node: NodeID
    /// Each known key with the interval in which it may sign: [from, until).
    public private(set) var keys: [PublicKey: (from: Timestamp?, until: Timestamp?)] = [:]
    /// Statements that were refused, with why.
    public private(set) var refused: [(statement: KeyStatement, reason: String)] = []

    public init(node: NodeID, statements: [KeyStatement] = []) {
        self.node = node
        for statement in statements.sorted(by: { ($0.from, $0.hash) < ($1.from, $1.hash) }) {
            apply(statement)
        }
    }

    private mutating func apply(_ statement: KeyStatement) {
        guard statement.node == node else {
            refused.append((statement, "statement is for another node"))
            return
        }
        let signerValid =
            isAuthorised(statement.signer, at: statement.from)
            || (statement.action == .revoke && statement.signer == statement.key && knows(statement.key))
        guard signerValid else {
            refused.append((statement, "signer is not a key of this node at \(statement.from)"))
            return
        }
        switch statement.action {
        case .add:
            if keys[statement.key] == nil, NodeID(genesisKey: statement.key) != node {
                keys[statement.key] = (statement.from, nil)
            }
        case .revoke:
            let current = keys[statement.key] ?? (nil, nil)
            let until = current.until.map { min($0, statement.from) } ?? statement.from
            keys[statement.key] = (current.from, until)
        }
    }

    /// Whether `key` ever spoke for this node: its genesis key, or a key a statement added.
    /// Only such keys' events are stored; whether one spoke at a given time is the fold's question.
    public func knows(_ key: PublicKey) -> Bool {
        NodeID(genesisKey: key) == node || keys[key] != nil
    }

    /// Whether `key` may sign for this node at `moment` (for events: when this node first saw them).
    public func isAuthorised(_ key: PublicKey, at moment: Timestamp) -> Bool {
        if let window = keys[key] {
            if let from = window.from, moment < from { return false }
            if let until = window.until, moment >= until { return false }
            return true
        }
        return NodeID(genesisKey: key) == node
    }
}
