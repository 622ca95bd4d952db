import CIXCore
import GRDB

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

    init?(row: Row) {
        guard let node = NodeID(row["node"]) else { return nil }
        self.node = node
        url = row["url"]
        name = row["name"]
        kind = row["kind"]
        key = row["key"]
        caPEM = row["ca_pem"]
        addedAt = Timestamp(secondsSinceEpoch: row["added_at"])
        cursor = row["cursor"]
        lastContact = (row["last_contact"] as Int64?).map(Timestamp.init(secondsSinceEpoch:))
        lastError = row["last_error"]
        pushedThrough = row["pushed_through"]
    }
}

extension Store {
    /// Adds or replaces a peer (keeping its cursor if it was already known).
    public func savePeer(_ peer: Peer) throws(StoreError) {
        try write("saving a peer") { db in
            try db.execute(
                sql: """
                    INSERT INTO peer (node, url, name, kind, key, ca_pem, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (node) DO UPDATE SET url = excluded.url, name = excluded.name, kind = excluded.kind,
                        key = excluded.key, ca_pem = excluded.ca_pem
                    """,
                arguments: [peer.node.hex, peer.url, peer.name, peer.kind, peer.key, peer.caPEM, peer.addedAt.secondsSinceEpoch])
        }
    }

    public func peers() throws(StoreError) -> [Peer] {
        try read("reading peers") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM peer ORDER BY name").compactMap(Peer.init(row:))
        }
    }

    public func peer(_ node: NodeID) throws(StoreError) -> Peer? {
        try read("reading a peer") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM peer WHERE node = ?", arguments: [node.hex]).flatMap(Peer.init(row:))
        }
    }

    @discardableResult
    public func removePeer(_ node: NodeID) throws(StoreError) -> Bool {
        try write("removing a peer") { db in
            try db.execute(sql: "DELETE FROM peer WHERE node = ?", arguments: [node.hex])
            return db.changesCount > 0
        }
    }

    /// Records a successful exchange and, when given, the new pull cursor.
    public func recordContact(with node: NodeID, cursor: Int64?, at moment: Timestamp) throws(StoreError) {
        try write("recording peer contact") { db in
            try db.execute(
                sql: "UPDATE peer SET cursor = coalesce(?, cursor), last_contact = ?, last_error = NULL WHERE node = ?",
                arguments: [cursor, moment.secondsSinceEpoch, node.hex])
        }
    }

    /// Records that the peer has been sent every event up to `seq`.
    public func recordPushed(to node: NodeID, through seq: Int64, at moment: Timestamp) throws(StoreError) {
        try write("recording a push") { db in
            try db.execute(
                sql: "UPDATE peer SET pushed_through = max(pushed_through, ?), last_contact = ?, last_error = NULL WHERE node = ?",
                arguments: [seq, moment.secondsSinceEpoch, node.hex])
        }
    }

    /// The events to push to `peer` after `seq`: those it may hold and did not send us itself.
    public func outbox(for peer: NodeID, after seq: Int64, limit: Int) throws(StoreError) -> (events: [StoredEvent], cursor: Int64) {
        let page = try events(after: seq, limit: limit, for: peer)
        return (page.events.filter { $0.source != peer.hex }, page.cursor)
    }

    public func recordError(with node: NodeID, _ message: String) throws(StoreError) {
        try write("recording a peer error") { db in
            try db.execute(sql: "UPDATE peer SET last_error = ? WHERE node = ?", arguments: [String(message.prefix(500)), node.hex])
        }
    }

    /// Events in local order after `seq` that `requester` may receive: every
    /// public event, and partner-only events whose audience includes it.
    /// Unsigned requesters (nil) receive public events only. Returns them with
    /// the sequence number up to which the log was examined (the next cursor).
    public func events(after seq: Int64, limit: Int, for requester: NodeID?) throws(StoreError)
        -> (events: [StoredEvent], cursor: Int64)
    {
        var selected: [StoredEvent] = []
        var cursor = seq
        while selected.count < limit {
            let page = try events(after: cursor, limit: limit - selected.count)
            guard !page.isEmpty else { break }
            for event in page {
                cursor = event.seq
                if event.isPublic {
                    selected.append(event)
                } else if let requester, let decoded = try? Event.decodeStored(event.bytes),
                    decoded.audience.includes(requester, author: decoded.author)
                {
                    selected.append(event)
                }
            }
        }
        return (selected, cursor)
    }

    /// The highest local sequence number held.
    public func lastSequence() throws(StoreError) -> Int64 {
        try read("reading the log's end") { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM event") ?? 0 }
    }
}
