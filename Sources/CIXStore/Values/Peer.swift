import CIXCore

/// A node this node exchanges events with, as pinned by `cix peer add`.
public struct Peer: Sendable, Equatable {
    public let node: NodeID
    public let url: String
    public let name: String
    public let kind: String
    /// The key pinned when the peer was added (hex).
    public let key: String
    /// PEM of the certificate or CA trusted for the peer's TLS, if not a public CA.
    public let caPEM: String?
    public let addedAt: Timestamp
    /// The peer's local order up to which this node has pulled.
    public let cursor: Int64
    public let lastContact: Timestamp?
    public let lastError: String?
    /// This node's local order up to which the peer has been sent events.
    public let pushedThrough: Int64

    public init(
        node: NodeID, url: String, name: String, kind: String, key: String, caPEM: String?, addedAt: Timestamp,
        cursor: Int64 = 0, lastContact: Timestamp? = nil, lastError: String? = nil, pushedThrough: Int64 = 0
    ) {
        self.pushedThrough = pushedThrough
        self.node = node
        self.url = url
        self.name = name
        self.kind = kind
        self.key = key
        self.caPEM = caPEM
        self.addedAt = addedAt
        self.cursor = cursor
        self.lastContact = lastContact
        self.lastError = lastError
    }
}
