import CIXCore
import Foundation
import GRDB

/// A stored photo: bytes already re-encoded without metadata.
public struct StoredAttachment: Sendable, Equatable {
    /// SHA-256 of `bytes`, lower-case hex.
    public let hash: String
    /// Media type: image/jpeg or image/png.
    public let type: String
    public let bytes: Data
}

extension Store {
    /// Keeps an attachment under the hash of its bytes; storing the same bytes again is a no-op.
    public func saveAttachment(_ bytes: Data, type: String, at moment: Timestamp) throws(StoreError) -> StoredAttachment {
        let attachment = StoredAttachment(hash: SHA256Hex.hash(bytes), type: type, bytes: bytes)
        try write("storing an attachment") { db in
            try db.execute(
                sql: "INSERT INTO attachment (hash, type, bytes, stored_at) VALUES (?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
                arguments: [attachment.hash, type, bytes, moment.secondsSinceEpoch])
        }
        return attachment
    }

    public func attachment(_ hash: String) throws(StoreError) -> StoredAttachment? {
        try read("reading an attachment") { db in
            try Row.fetchOne(db, sql: "SELECT hash, type, bytes FROM attachment WHERE hash = ?", arguments: [hash]).map {
                StoredAttachment(hash: $0["hash"], type: $0["type"], bytes: $0["bytes"])
            }
        }
    }
}
