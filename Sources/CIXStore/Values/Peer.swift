import CIXCore

/// A node this node exchanges events with, as pinned by `cix peer add`.
package struct Peer: Sendable, Equatable {
    package let node: NodeID
    package let url: String
    package let name: String
    package let kind: String
    /// The key pinned when the peer was added (hex).
    package let key: String
    /// PEM of the certificate or CA trusted for the peer's TLS, if not a public CA.
    package let caPEM: String?
    package let addedAt: Timestamp
    /// The peer's local order up to which this node has pulled.
    package let cursor: Int64
    package let lastContact: Timestamp?
    package let lastError: String?
    /// This node's local order up to which the peer has been sent events.
    package let pushedThrough: Int64

    package init(
        node: NodeID,
        url: String,
        name: String,
        kind: String,
        key: String,
        caPEM: String?,
        addedAt: Timestamp,
        cursor: Int64 = 0,
        lastContact: Timestamp? = nil,
        lastError: String? = nil,
        pushedThrough: Int64 = 0
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
