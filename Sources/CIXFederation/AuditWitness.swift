import CIXCore

/// What a node checks when a peer's new descriptor carries the head of its
/// staff audit trail (`nodes.md`, "Audit head"): the trail may only grow, and
/// what the peer published before must still be a prefix of it. A peer that
/// removed, altered or reordered past entries cannot also keep both.
package enum AuditWitness {
    /// The finding, or nil if the new head is consistent with the one held.
    /// `hashThen` is what the peer now answers for the chain hash at the held
    /// head's entry count (nil: it would not say); it is asked only when the trail grew.
    package static func finding(
        node: String,
        held: AuditHead?,
        fresh: AuditHead?,
        hashThen: String?
    ) -> String? {
        guard let held else { return nil }
        guard let fresh else {
            return "\(node) stopped publishing its audit head (it had \(held.entries) entries)"
        }
        if fresh.entries < held.entries {
            return
                "\(node)'s audit trail went back from \(held.entries) to \(fresh.entries) entries: entries were removed"
        }
        if fresh.entries == held.entries {
            return fresh.head == held.head
                ? nil
                : "\(node)'s audit trail still has \(held.entries) entries but a different head: entries were altered"
        }
        guard let hashThen else {
            return "\(node) would not give its audit hash at entry \(held.entries), which it published before"
        }
        return hashThen == held.head
            ? nil
            : "\(node)'s audit trail was rewritten before entry \(held.entries): its hash there is no longer the one it published"
    }
}
