import CIXCore
import CIXStore
import GRDB

extension Peer {
    init?(row: Row) {
        guard let node = NodeID(row["node"]) else { return nil }
        self.init(
            node: node,
            url: row["url"],
            name: row["name"],
            kind: row["kind"],
            key: row["key"],
            caPEM: row["ca_pem"],
            addedAt: Timestamp(secondsSinceEpoch: row["added_at"]),
            cursor: row["cursor"],
            lastContact: (row["last_contact"] as Int64?).map(Timestamp.init(secondsSinceEpoch:)),
            lastError: row["last_error"],
            pushedThrough: row["pushed_through"]
        )
    }
}

extension SQLiteStore {
    /// Adds or replaces a peer (keeping its cursor if it was already known).
    package func savePeer(_ peer: Peer) throws(StoreError) {
        try write("saving a peer") { db in
            try db.execute(
                sql: """
                    INSERT INTO peer (node, url, name, kind, key, ca_pem, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (node) DO UPDATE SET url = excluded.url, name = excluded.name, kind = excluded.kind,
                        key = excluded.key, ca_pem = excluded.ca_pem
                    """,
                arguments: [
                    peer.node.hex, peer.url, peer.name, peer.kind, peer.key, peer.caPEM, peer.addedAt.secondsSinceEpoch,
                ]
            )
        }
    }

    package func peers() throws(StoreError) -> [Peer] {
        try read("reading peers") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM peer ORDER BY name").compactMap(Peer.init(row:))
        }
    }

    package func peer(_ node: NodeID) throws(StoreError) -> Peer? {
        try read("reading a peer") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM peer WHERE node = ?", arguments: [node.hex]).flatMap(
                Peer.init(row:)
            )
        }
    }

    @discardableResult
    package func removePeer(_ node: NodeID) throws(StoreError) -> Bool {
        try write("removing a peer") { db in
            try db.execute(sql: "DELETE FROM peer WHERE node = ?", arguments: [node.hex])
            return db.changesCount > 0
        }
    }

    /// Records a successful exchange and, when given, the new pull cursor.
    package func recordContact(with node: NodeID, cursor: Int64?, at moment: Timestamp) throws(StoreError) {
        try write("recording peer contact") { db in
            try db.execute(
                sql: "UPDATE peer SET cursor = coalesce(?, cursor), last_contact = ?, last_error = NULL WHERE node = ?",
                arguments: [cursor, moment.secondsSinceEpoch, node.hex]
            )
        }
    }

    /// Records that the peer has been sent every event up to `seq`.
    package func recordPushed(to node: NodeID, through seq: Int64, at moment: Timestamp) throws(StoreError) {
        try write("recording a push") { db in
            try db.execute(
                sql:
                    "UPDATE peer SET pushed_through = max(pushed_through, ?), last_contact = ?, last_error = NULL WHERE node = ?",
                arguments: [seq, moment.secondsSinceEpoch, node.hex]
            )
        }
    }

    package func recordError(with node: NodeID, _ message: String) throws(StoreError) {
        try write("recording a peer error") { db in
            try db.execute(
                sql: "UPDATE peer SET last_error = ? WHERE node = ?",
                arguments: [String(message.prefix(500)), node.hex]
            )
        }
    }

    /// The highest local sequence number held.
    package func lastSequence() throws(StoreError) -> Int64 {
        try read("reading the log's end") { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM event") ?? 0 }
    }
}
