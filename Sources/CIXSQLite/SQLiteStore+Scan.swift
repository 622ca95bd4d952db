import CIXCore
import CIXStore
import Foundation
import GRDB

extension SQLiteStore {
    /// Calls `visit` with every stored event, grouped by issue and in fold order,
    /// one issue at a time, reading in bounded memory.
    package func forEachIssue(_ visit: ([StoredEvent]) throws -> Void) throws(StoreError) {
        do {
            try pool.read { db in
                let cursor = try Row.fetchCursor(
                    db,
                    sql: "SELECT \(Self.storedEventColumns) FROM event ORDER BY issue, depth, id"
                )
                var group: [StoredEvent] = []
                while let row = try cursor.next() {
                    let event = StoredEvent(row: row)
                    if let first = group.first, first.issue != event.issue {
                        try visit(group)
                        group.removeAll(keepingCapacity: true)
                    }
                    group.append(event)
                }
                if !group.isEmpty { try visit(group) }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("reading the log", cause: error)
        }
    }
}
