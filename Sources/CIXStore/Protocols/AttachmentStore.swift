import CIXCore
import Foundation

/// Photos, by the SHA-256 of their (already metadata-free) bytes.
package protocol AttachmentStore: Sendable {
    /// Keeps an attachment under the hash of its bytes; storing the same bytes again is a no-op.
    func saveAttachment(_ bytes: Data, type: String, at moment: Timestamp) throws(StoreError) -> StoredAttachment

    func attachment(_ hash: String) throws(StoreError) -> StoredAttachment?
}
