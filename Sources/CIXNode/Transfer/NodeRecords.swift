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
        let statements = KeyRings.applied(try store.keyStatements().filter { wanted.contains($0.node.hex) })
        guard !statements.isEmpty else { return [] }
        var lines = statements.sorted { ($0.from, $0.hash) < ($1.from, $1.hash) }.map { NodeRecord.statement($0).bytes }
        for node in Set(statements.map(\.node)).sorted() {
            if let descriptor = try store.descriptor(of: node) { lines.append(NodeRecord.descriptor(descriptor).bytes) }
        }
        return Array(lines.prefix(maxLines))
    }
}
