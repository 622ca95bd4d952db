import CIXCore
import CIXStore
import Foundation
import GRDB

extension SQLiteStore {
    /// Keeps an attachment under the hash of its bytes; storing the same bytes again is a no-op.
    package func saveAttachment(
        _ bytes: Data,
        type: String,
        at moment: Timestamp
    ) throws(StoreError) -> StoredAttachment {
        try write("storing an attachment") { db in try Self.saveAttachment(bytes, type: type, at: moment, db: db) }
    }

    @discardableResult
    static func saveAttachment(
        _ bytes: Data,
        type: String,
        at moment: Timestamp,
        db: Database
    ) throws -> StoredAttachment {
        let attachment = StoredAttachment(hash: SHA256Hex.hash(bytes), type: type, bytes: bytes)
        try db.execute(
            sql:
                "INSERT INTO attachment (hash, type, bytes, stored_at) VALUES (?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
            arguments: [attachment.hash, type, bytes, moment.secondsSinceEpoch]
        )
        return attachment
    }

    package func attachment(_ hash: String) throws(StoreError) -> StoredAttachment? {
        try read("reading an attachment") { db in
            try Row.fetchOne(db, sql: "SELECT hash, type, bytes FROM attachment WHERE hash = ?", arguments: [hash]).map
            {
                StoredAttachment(hash: $0["hash"], type: $0["type"], bytes: $0["bytes"])
            }
        }
    }

    /// Whether a body this node holds (a report or contribution not redacted) names the attachment:
    /// folded states hold every unredacted body's attachments, so one search of them answers it (a
    /// scan, run only when a redaction strips a body that named photos).
    static func isReferenced(_ hash: String, db: Database) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM issue_state WHERE instr(state, ?) > 0)",
            arguments: [Data(hash.utf8)]
        ) ?? false
    }
}
