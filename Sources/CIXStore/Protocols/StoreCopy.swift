import CIXCore

/// Copying a node's public store to another backend as it is held (`cix store migrate`):
/// the log row for row, keeping each event's local sequence number, so that the cursors
/// of nodes that pull from this one stay true on the new backend.
package protocol StoreCopy: Sendable {
    /// Appends events exactly as another store holds them (sequence number, first seen, source,
    /// and bodies as redactions left them), without folding: the caller rebuilds the
    /// projections after the last batch. The events were verified when first stored.
    func appendCopied(_ events: [StoredEvent]) throws(StoreError)

    /// The hash of every photo held.
    func attachmentHashes() throws(StoreError) -> [String]
}

extension StoreCopy {
    /// The events copied rows hold, for the columns a row does not carry (kind, depth).
    package func decoded(_ events: [StoredEvent]) throws(StoreError) -> [Event] {
        var decoded: [Event] = []
        for stored in events {
            do {
                decoded.append(try Event.decodeStored(stored.bytes))
            } catch {
                throw StoreError.corrupt("event \(stored.id) to copy does not decode: \(error)")
            }
        }
        return decoded
    }
}
