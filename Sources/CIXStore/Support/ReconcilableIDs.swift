import CIXCore

/// What every backend shares in listing the ids set reconciliation compares
/// (`EventLog.visitReconcilableIDs`): which partner-only events both sides may
/// hold, and how they join the public ids, which are read a page at a time.
package enum ReconcilableIDs {
    /// Public ids read from the store in one query: memory stays bounded by it, however large the range.
    package static let pageSize = 10_000

    /// The ids of the partner-only events (id, canonical bytes) whose audience includes both
    /// `peer` and `holder`, ascending; none when `peer` is nil (an unsigned asker holds public events only).
    package static func partnerOnly(
        _ rows: [(id: String, bytes: [UInt8])],
        sharedWith peer: NodeID?,
        holder: NodeID
    ) -> [String] {
        guard let peer else { return [] }
        return rows.compactMap { row -> String? in
            guard let event = try? Event.decodeStored(row.bytes),
                event.audience.includes(peer, author: event.author),
                event.audience.includes(holder, author: event.author)
            else { return nil }
            return row.id
        }
        .sorted()
    }

    /// Visits the public ids, fetched by `page(after)` (the next ids above `after`, ascending, at most
    /// `pageSize`; nil: from the first), merged in order with `partnerOnly` (ascending).
    package static func visit(
        pages page: (String?) throws -> [String],
        pageSize: Int,
        partnerOnly: [String],
        _ visit: (String) -> Void
    ) rethrows {
        var partner = partnerOnly[...]
        var after: String?
        while true {
            let ids = try page(after)
            for id in ids {
                while let next = partner.first, next < id {
                    visit(next)
                    partner = partner.dropFirst()
                }
                visit(id)
            }
            guard ids.count >= pageSize, let last = ids.last else { break }
            after = last
        }
        for id in partner { visit(id) }
    }
}
