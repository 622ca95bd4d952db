import CIXCore
import CIXStore
import Foundation
import GRDB

extension SQLiteStore {
    package func appendCopied(_ events: [StoredEvent]) throws(StoreError) {
        let rows = try Self.copiedRows(events)
        try write("copying \(events.count) events", provesHealth: true) { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO event (seq, id, issue, kind, author, depth, is_public, first_seen, source, bytes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            for (stored, event) in rows {
                try insert.execute(
                    arguments: [
                        stored.seq, stored.id, stored.issue, event.kind.rawValue, stored.author, event.depth,
                        stored.isPublic, stored.firstSeen.secondsSinceEpoch, stored.source, Data(stored.bytes),
                    ])
            }
        }
    }

    /// Each copied event with its decoded form (for the columns the row does not carry).
    static func copiedRows(_ events: [StoredEvent]) throws(StoreError) -> [(StoredEvent, Event)] {
        var rows: [(StoredEvent, Event)] = []
        for stored in events {
            do {
                rows.append((stored, try Event.decodeStored(stored.bytes)))
            } catch {
                throw StoreError.corrupt("event \(stored.id) to copy does not decode: \(error)")
            }
        }
        return rows
    }

    package func attachmentHashes() throws(StoreError) -> [String] {
        try read("listing photos") { db in try String.fetchAll(db, sql: "SELECT hash FROM attachment ORDER BY hash") }
    }
}
