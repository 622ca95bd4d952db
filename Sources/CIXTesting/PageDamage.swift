import Foundation
import GRDB

/// Overwrites one page of a table's or index's b-tree in a SQLite file that
/// nothing has open, as a failing disk or a stray write would: the kind of
/// damage `cix verify` must name and `cix repair` must undo where it can.
package enum PageDamage {
    /// Checkpoints the file (so every page is in it, none only in the WAL), then
    /// fills the cells of one leaf page of `object` with a fixed pattern.
    /// Returns the page number.
    @discardableResult
    package static func damage(_ object: String, in path: String) throws -> Int {
        let (page, size) = try {
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            return try queue.read { db in
                let size = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
                let leaves = try Int.fetchAll(
                    db,
                    sql: "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
                    arguments: [object]
                )
                guard !leaves.isEmpty else { throw PageDamageError(message: "\(object) has no leaf page") }
                return (leaves[leaves.count / 2], size)
            }
        }()
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        // Past the page header: the cell pointers and the cells they point to.
        try handle.seek(toOffset: UInt64((page - 1) * size + 8))
        try handle.write(contentsOf: Data((0..<(size / 2)).map { UInt8(truncatingIfNeeded: $0 &* 151 &+ 89) }))
        try handle.synchronize()
        return page
    }
}

struct PageDamageError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
