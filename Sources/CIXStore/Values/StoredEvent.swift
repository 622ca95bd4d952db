import CIXCore

/// An event as this node holds it, with when and where it first came from.
package struct StoredEvent: Sendable {
    /// This node's local order.
    package let seq: Int64
    package let id: String
    package let issue: String
    /// The author's node id (hex).
    package let author: String
    /// When this node first saw the event: what key validity is judged by.
    package let firstSeen: Timestamp
    /// Who delivered it: a peer's node id, "local", or "import".
    package let source: String
    package let isPublic: Bool
    /// The canonical bytes (without the body once redacted).
    package let bytes: [UInt8]

    package init(
        seq: Int64,
        id: String,
        issue: String,
        author: String,
        firstSeen: Timestamp,
        source: String,
        isPublic: Bool,
        bytes: [UInt8]
    ) {
        self.seq = seq
        self.id = id
        self.issue = issue
        self.author = author
        self.firstSeen = firstSeen
        self.source = source
        self.isPublic = isPublic
        self.bytes = bytes
    }
}
