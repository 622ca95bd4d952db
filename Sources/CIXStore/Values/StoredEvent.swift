import CIXCore

/// An event as this node holds it, with when and where it first came from.
public struct StoredEvent: Sendable {
    /// This node's local order.
    public let seq: Int64
    public let id: String
    public let issue: String
    /// When this node first saw the event: what key validity is judged by.
    public let firstSeen: Timestamp
    /// Who delivered it: a peer's node id, "local", or "import".
    public let source: String
    public let isPublic: Bool
    /// The canonical bytes (without the body once redacted).
    public let bytes: [UInt8]

    package init(
        seq: Int64, id: String, issue: String, firstSeen: Timestamp, source: String, isPublic: Bool, bytes: [UInt8]
    ) {
        self.seq = seq
        self.id = id
        self.issue = issue
        self.firstSeen = firstSeen
        self.source = source
        self.isPublic = isPublic
        self.bytes = bytes
    }
}
