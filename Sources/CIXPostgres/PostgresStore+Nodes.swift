import CIXCanonicalJSON
import CIXCore
import CIXStore
import Foundation
import PostgresNIO

extension PostgresStore {
    @discardableResult
    package func saveDescriptor(_ descriptor: NodeDescriptor) throws(StoreError) -> Bool {
        try write("storing a node descriptor") { connection in
            let ring = KeyRing(
                node: descriptor.node,
                statements: try Self.statements(of: [descriptor.node], on: connection)
            )
            guard ring.isAuthorised(descriptor.signer, at: descriptor.at) else {
                throw StoreError.corrupt(
                    "descriptor of \(descriptor.node.short) is signed by a key that does not speak for it"
                )
            }
            let held = try connection.value(
                "SELECT version FROM node WHERE id = \(descriptor.node.hex)",
                as: Int64.self
            )
            if let held, held >= Int64(descriptor.version) { return false }
            let bytes = StoredRecords.bytes(of: descriptor.record)
            try connection.run(
                """
                INSERT INTO node (id, name, kind, url, version, descriptor)
                VALUES (\(descriptor.node.hex), \(descriptor.name), \(descriptor.kind.rawValue), \(descriptor.url),
                    \(Int64(descriptor.version)), \(Data(bytes)))
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, url = excluded.url,
                    version = excluded.version, descriptor = excluded.descriptor
                """
            )
            // The bodies it relays for: named by it alone, and never in place of a node's own descriptor.
            try connection.run("DELETE FROM relay WHERE relayed_by = \(descriptor.node.hex)")
            for relay in descriptor.relays {
                try connection.run(
                    """
                    INSERT INTO relay (id, relayed_by, name, kind, via)
                    VALUES (\(relay.node.hex), \(descriptor.node.hex), \(relay.name), \(relay.kind.rawValue),
                        \(relay.via.rawValue))
                    ON CONFLICT DO NOTHING
                    """
                )
            }
            return true
        }
    }

    package func descriptors() throws(StoreError) -> [NodeDescriptor] {
        try read("reading node descriptors") { connection in
            try connection.rows("SELECT descriptor FROM node ORDER BY name, id", as: Data.self)
                .compactMap(StoredRecords.descriptor(from:))
        }
    }

    package func descriptor(of node: NodeID) throws(StoreError) -> NodeDescriptor? {
        try read("reading a node descriptor") { connection in
            try connection.value("SELECT descriptor FROM node WHERE id = \(node.hex)", as: Data.self)
                .flatMap(StoredRecords.descriptor(from:))
        }
    }

    package func nodeNames() throws(StoreError) -> [String: String] {
        try read("reading node names") { connection in
            Dictionary(
                try connection.rows(
                    """
                    SELECT id, name FROM node
                    UNION ALL SELECT id, name FROM relay WHERE id NOT IN (SELECT id FROM node)
                    """,
                    as: (String, String).self
                ),
                uniquingKeysWith: { first, _ in first }
            )
        }
    }

    package func relays() throws(StoreError) -> [String: RelayRecord] {
        try read("reading relays") { connection in
            Dictionary(
                try connection.rows(
                    "SELECT id, relayed_by, name, via FROM relay WHERE id NOT IN (SELECT id FROM node) ORDER BY relayed_by",
                    as: (String, String, String, String).self
                ).compactMap { id, relayedBy, name, via -> (String, RelayRecord)? in
                    guard let via = Relay.Via(rawValue: via), let by = NodeID(relayedBy) else { return nil }
                    return (id, RelayRecord(name: name, via: via, relayedBy: by))
                },
                uniquingKeysWith: { first, _ in first }
            )
        }
    }
}

extension PostgresStore {
    static let peerColumns =
        "node, url, name, kind, key, ca_pem, added_at, cursor, last_contact, last_error, pushed_through"

    static func peers(_ query: PostgresQuery, on connection: PostgresConnection) throws -> [Peer] {
        try connection.rows(
            query,
            as: (String, String, String, String, String, String?, Int64, Int64, Int64?, String?, Int64).self
        ).compactMap { row in
            guard let node = NodeID(row.0) else { return nil }
            return Peer(
                node: node,
                url: row.1,
                name: row.2,
                kind: row.3,
                key: row.4,
                caPEM: row.5,
                addedAt: Timestamp(secondsSinceEpoch: row.6),
                cursor: row.7,
                lastContact: row.8.map(Timestamp.init(secondsSinceEpoch:)),
                lastError: row.9,
                pushedThrough: row.10
            )
        }
    }

    package func savePeer(_ peer: Peer) throws(StoreError) {
        try write("saving a peer") { connection in
            try connection.run(
                """
                INSERT INTO peer (node, url, name, kind, key, ca_pem, added_at)
                VALUES (\(peer.node.hex), \(peer.url), \(peer.name), \(peer.kind), \(peer.key), \(peer.caPEM),
                    \(peer.addedAt.secondsSinceEpoch))
                ON CONFLICT (node) DO UPDATE SET url = excluded.url, name = excluded.name, kind = excluded.kind,
                    key = excluded.key, ca_pem = excluded.ca_pem
                """
            )
        }
    }

    package func peers() throws(StoreError) -> [Peer] {
        try read("reading peers") { connection in
            try Self.peers("SELECT \(unescaped: Self.peerColumns) FROM peer ORDER BY name, node", on: connection)
        }
    }

    package func peer(_ node: NodeID) throws(StoreError) -> Peer? {
        try read("reading a peer") { connection in
            try Self.peers("SELECT \(unescaped: Self.peerColumns) FROM peer WHERE node = \(node.hex)", on: connection)
                .first
        }
    }

    @discardableResult
    package func removePeer(_ node: NodeID) throws(StoreError) -> Bool {
        try write("removing a peer") { connection in
            !(try connection.rows("DELETE FROM peer WHERE node = \(node.hex) RETURNING node", as: String.self)).isEmpty
        }
    }

    package func recordContact(with node: NodeID, cursor: Int64?, at moment: Timestamp) throws(StoreError) {
        try write("recording peer contact") { connection in
            try connection.run(
                """
                UPDATE peer SET cursor = coalesce(\(cursor)::bigint, cursor),
                    last_contact = \(moment.secondsSinceEpoch), last_error = NULL
                WHERE node = \(node.hex)
                """
            )
        }
    }

    package func recordPushed(to node: NodeID, through seq: Int64, at moment: Timestamp) throws(StoreError) {
        try write("recording a push") { connection in
            try connection.run(
                """
                UPDATE peer SET pushed_through = greatest(pushed_through, \(seq)),
                    last_contact = \(moment.secondsSinceEpoch), last_error = NULL
                WHERE node = \(node.hex)
                """
            )
        }
    }

    package func recordError(with node: NodeID, _ message: String) throws(StoreError) {
        try write("recording a peer error") { connection in
            try connection.run("UPDATE peer SET last_error = \(String(message.prefix(500))) WHERE node = \(node.hex)")
        }
    }
}

extension PostgresStore {
    package func saveAttachment(
        _ bytes: Data,
        type: String,
        at moment: Timestamp
    ) throws(StoreError) -> StoredAttachment {
        let attachment = StoredAttachment(hash: SHA256Hex.hash(bytes), type: type, bytes: bytes)
        try write("storing an attachment") { connection in
            try connection.run(
                """
                INSERT INTO attachment (hash, type, bytes, stored_at)
                VALUES (\(attachment.hash), \(type), \(bytes), \(moment.secondsSinceEpoch))
                ON CONFLICT (hash) DO NOTHING
                """
            )
        }
        return attachment
    }

    package func attachment(_ hash: String) throws(StoreError) -> StoredAttachment? {
        try read("reading an attachment") { connection in
            try connection.rows(
                "SELECT hash, type, bytes FROM attachment WHERE hash = \(hash)",
                as: (String, String, Data).self
            )
            .first.map { StoredAttachment(hash: $0.0, type: $0.1, bytes: $0.2) }
        }
    }
}

extension PostgresStore {
    package func block(_ node: NodeID, reason: String, at moment: Timestamp) throws(StoreError) {
        try write("blocking a node") { connection in
            try connection.run(
                """
                INSERT INTO blocked_node (node, reason, since) VALUES (\(node.hex), \(reason), \(moment.secondsSinceEpoch))
                ON CONFLICT (node) DO UPDATE SET reason = excluded.reason
                """
            )
            try connection.run(
                """
                INSERT INTO blocked_issue (issue, node)
                SELECT id, author FROM event WHERE author = \(node.hex) AND kind = 'issue.report'
                ON CONFLICT DO NOTHING
                """
            )
            try refold(touchedBy: node, on: connection)
        }
    }

    package func unblock(_ node: NodeID) throws(StoreError) -> Bool {
        try write("unblocking a node") { connection in
            try connection.run("DELETE FROM blocked_issue WHERE node = \(node.hex)")
            let removed = try connection.rows(
                "DELETE FROM blocked_node WHERE node = \(node.hex) RETURNING node",
                as: String.self
            )
            guard !removed.isEmpty else { return false }
            try refold(touchedBy: node, on: connection)
            try connection.run("UPDATE peer SET cursor = 0")
            return true
        }
    }

    package func blockedNodes() throws(StoreError) -> [BlockedNode] {
        try read("listing blocked nodes") { connection in
            try connection.rows(
                "SELECT node, reason, since FROM blocked_node ORDER BY since, node",
                as: (String, String, Int64).self
            ).compactMap { row in
                NodeID(row.0).map { BlockedNode(node: $0, reason: row.1, since: Timestamp(secondsSinceEpoch: row.2)) }
            }
        }
    }

    package func hiddenEvents() throws(StoreError) -> HiddenEvents {
        try read("reading what blocks hide") { connection in
            let authors = try connection.rows("SELECT node FROM blocked_node", as: String.self)
            guard !authors.isEmpty else { return .none }
            let issues = try connection.rows("SELECT issue FROM blocked_issue", as: String.self)
            return HiddenEvents(authors: Set(authors), issues: Set(issues))
        }
    }

    /// Folds again every issue `node` wrote an event on, as the block list now says.
    private func refold(touchedBy node: NodeID, on connection: PostgresConnection) throws {
        let issues = try connection.rows(
            "SELECT DISTINCT issue FROM event WHERE author = \(node.hex) ORDER BY issue",
            as: String.self
        )
        try PostgresProjection(connection: connection, areas: areas).refresh(issues.compactMap(EventID.init))
    }
}
