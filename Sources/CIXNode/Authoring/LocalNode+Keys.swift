import CIXCore
import CIXStore
import Foundation

/// The node's own keys over time (`Protocol/nodes.md`): rotation, and revocation
/// from a chosen moment, each a signed key statement that travels with the
/// node's events to every node that holds them.
extension LocalNode {
    /// The statements held about this node, as a ring.
    package func ownKeyRing() throws(NodeError) -> KeyRing {
        do { return try store.keyRing(for: id) } catch { throw NodeError(error) }
    }

    /// The statements held about this node.
    package func ownStatements() throws(NodeError) -> [KeyStatement] {
        do { return try store.keyStatements().filter { $0.node == id } } catch { throw NodeError(error) }
    }

    /// The earlier signing keys kept in `keys/retired/`, by public key.
    package func retiredKeys() -> [PublicKey: SigningKey] {
        let folder = directory.retiredKeys
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var keys: [PublicKey: SigningKey] = [:]
        for name in names where name.hasSuffix(".key") {
            if let key = try? Self.readKey(folder.appendingPathComponent(name)) { keys[key.publicKey] = key }
        }
        return keys
    }

    /// Makes a new signing key: a `key.add` for it signed by the current key from `now`, the
    /// current key kept in `keys/retired/`, the new one in `keys/node.key`, and a new descriptor
    /// signed by it. Returns the node opened with the new key, and the statement.
    ///
    /// Each step leaves a node that works: until the key file is replaced, the old key still
    /// speaks for the node, and a rotation run again simply adds another key.
    package func rotateKey(
        by actor: String,
        now: Timestamp
    ) throws(NodeError) -> (node: LocalNode, statement: KeyStatement) {
        let fresh = SigningKey()
        let statement: KeyStatement
        do {
            statement = try KeyStatement.make(.add, node: id, key: fresh.publicKey, from: now, signer: key)
        } catch {
            throw NodeError(.invalidInput, "cannot sign the rotation: \(error)")
        }
        if !FileManager.default.fileExists(atPath: directory.nodeIDFile.path) {
            try directory.write(id.hex + "\n", to: directory.nodeIDFile, secret: false)
        }
        let retired = directory.retiredKeys.appendingPathComponent("\(key.publicKey.hex.prefix(16)).key")
        try directory.write(Hex.encode(key.seed) + "\n", to: retired, secret: true)
        do { try store.addKeyStatement(statement) } catch { throw NodeError(error) }
        try directory.replace(directory.keyFile, with: Hex.encode(fresh.seed) + "\n")
        let rotated = try Self.open(directory)
        try rotated.publishDescriptor(now: now)
        try rotated.audit(
            actor,
            "key-rotate",
            subject: fresh.publicKey.hex,
            detail: "replaces \(key.publicKey.hex)",
            now: now
        )
        return (rotated, statement)
    }

    /// What a revocation did: the statements signed, and the node as it signs now.
    package struct Revocation: Sendable {
        package let node: LocalNode
        package let statements: [KeyStatement]
        /// Whether the key revoked was the one the node signed with, so a new key was made first.
        package let rotated: Bool
    }

    /// Revokes `target` from `from`: no event dated at or after `from` signed by it counts, on any
    /// node, whenever it arrives. Revoking the key the node signs with rotates first. When the
    /// current key only speaks from after `from` (it was made after the theft), it is first added
    /// again from the second before `from`, signed by a held key that spoke then (the revoked key
    /// itself, kept in `keys/retired/`), so that the revocation can be signed and the current key
    /// keeps speaking. The resulting ring is checked before anything is stored.
    package func revokeKey(
        _ target: PublicKey,
        from: Timestamp,
        reason: String,
        by actor: String,
        now: Timestamp
    ) throws(NodeError) -> Revocation {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(reason.count),
            !reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw NodeError(.invalidInput, "give the reason on one line, 1 to 500 characters: peers show it")
        }
        guard try ownKeyRing().knows(target) else {
            throw NodeError(.notFound, "key \(target.hex) is not a key of this node (`cix keys show` lists them)")
        }
        var node = self
        var rotated = false
        if target == key.publicKey {
            node = try rotateKey(by: actor, now: now).node
            rotated = true
        }
        let ring = try node.ownKeyRing()
        let signer = node.key
        var statements: [KeyStatement] = []
        do {
            if !ring.isAuthorised(signer.publicKey, at: from) {
                let before = Timestamp(secondsSinceEpoch: from.secondsSinceEpoch - 1)
                let held = Array(node.retiredKeys().values) + [signer]
                guard let earlier = held.first(where: { ring.isAuthorised($0.publicKey, at: before) }) else {
                    throw NodeError(
                        .invalidInput,
                        "no key held here spoke for this node at \(before), so a revocation from \(from) cannot be signed; keys/retired/ holds the earlier keys"
                    )
                }
                statements.append(
                    try KeyStatement.make(.add, node: id, key: signer.publicKey, from: before, signer: earlier)
                )
            }
            statements.append(
                try KeyStatement.make(.revoke, node: id, key: target, from: from, reason: reason, signer: signer)
            )
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(.invalidInput, "cannot sign the revocation: \(error)")
        }
        let after = KeyRing(node: id, statements: try ownStatements() + statements)
        let mine = Set(statements.map(\.hash))
        guard !after.refused.contains(where: { mine.contains($0.statement.hash) }),
            !after.isAuthorised(target, at: from), after.isAuthorised(signer.publicKey, at: now)
        else {
            throw NodeError(
                .invalidInput,
                "revoking \(target.hex.prefix(16))… from \(from) would leave this node without a key that speaks now; nothing was changed"
            )
        }
        do {
            for statement in statements { try store.addKeyStatement(statement) }
        } catch {
            throw NodeError(error)
        }
        try node.publishDescriptor(now: now)
        try node.audit(actor, "key-revoke", subject: target.hex, detail: "from \(from): \(reason)", now: now)
        return Revocation(node: node, statements: statements, rotated: rotated)
    }

    private func audit(
        _ actor: String,
        _ action: String,
        subject: String,
        detail: String,
        now: Timestamp
    ) throws(NodeError) {
        do {
            _ = try staffRecords.appendAudit(
                actor: actor,
                action: action,
                subject: subject,
                address: "",
                event: nil,
                detail: detail,
                at: now.secondsSinceEpoch
            )
        } catch {
            throw NodeError(error)
        }
    }
}
