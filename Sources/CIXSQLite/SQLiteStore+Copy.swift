import CIXCore
import CIXStore
import Foundation
import GRDB

extension SQLiteStore {
    package func appendCopied(_ events: [StoredEvent]) throws(StoreError) {
        let rows = Array(zip(events, try decoded(events)))
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

    package func attachmentHashes() throws(StoreError) -> [String] {
        try read("listing photos") { db in try String.fetchAll(db, sql: "SELECT hash FROM attachment ORDER BY hash") }
    }
}
