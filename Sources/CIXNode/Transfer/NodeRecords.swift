import CIXCore
import CIXStore

/// The node records that travel beside events (`Protocol/federation.md`, Node
/// records): for each author of a batch that has key statements, those
/// statements in the order rings apply them, then its descriptor. A node two
/// hops from an author thus learns a rotation or a revocation with the events
/// it concerns, not only from the author's own node document. Authors without
/// statements (most) add nothing.
package enum NodeRecords {
    /// The most record lines sent beside one batch (`Protocol/limits.md`); a receiver takes at most as many.
    package static let maxLines = 256

    /// The record lines to send before a batch whose events have these authors (hex ids).
    package static func lines(for authors: some Sequence<String>, store: any NodeStore) throws(StoreError) -> [[UInt8]]
    {
        let wanted = Set(authors)
        let statements = applied(try store.keyStatements().filter { wanted.contains($0.node.hex) })
        guard !statements.isEmpty else { return [] }
        var lines = statements.sorted { ($0.from, $0.hash) < ($1.from, $1.hash) }.map { NodeRecord.statement($0).bytes }
        let described = Set(statements.map(\.node))
        for descriptor in try store.descriptors() where described.contains(descriptor.node) {
            lines.append(NodeRecord.descriptor(descriptor).bytes)
        }
        return Array(lines.prefix(maxLines))
    }

    /// The statements each node's ring applies: a statement refused (a `key.add` signed by a key
    /// revoked before it, say) changes nothing anywhere, so it is not passed on.
    package static func applied(_ statements: [KeyStatement]) -> [KeyStatement] {
        Dictionary(grouping: statements, by: \.node).flatMap { node, held in
            KeyRing(node: node, statements: held).applied(held)
        }
    }
}
