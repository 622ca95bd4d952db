import CIXCanonicalJSON
import CIXCore
import CIXStore
import Foundation
import GRDB

extension SQLiteStore {
    /// Keeps a node's descriptor if it is newer than the one held and signed by a key the node holds.
    @discardableResult
    package func saveDescriptor(_ descriptor: NodeDescriptor) throws(StoreError) -> Bool {
        try write("storing a node descriptor") { db in
            let ring = try Self.keyRing(for: descriptor.node, db: db)
            guard ring.isAuthorised(descriptor.signer, at: descriptor.at) else {
                throw StoreError.corrupt(
                    "descriptor of \(descriptor.node.short) is signed by a key that does not speak for it"
                )
            }
            let held = try Int.fetchOne(
                db,
                sql: "SELECT version FROM node WHERE id = ?",
                arguments: [descriptor.node.hex]
            )
            if let held, held >= descriptor.version { return false }
            try db.execute(
                sql: """
                    INSERT INTO node (id, name, kind, url, version, descriptor) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, url = excluded.url,
                        version = excluded.version, descriptor = excluded.descriptor
                    """,
                arguments: [
                    descriptor.node.hex, descriptor.name, descriptor.kind.rawValue, descriptor.url, descriptor.version,
                    Data(StoredRecords.bytes(of: descriptor.record)),
                ]
            )
            // The bodies it relays for: named by it alone, and never in place of a node's own descriptor.
            try db.execute(sql: "DELETE FROM relay WHERE relayed_by = ?", arguments: [descriptor.node.hex])
            for relay in descriptor.relays {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO relay (id, relayed_by, name, kind, via) VALUES (?, ?, ?, ?, ?)",
                    arguments: [
                        relay.node.hex, descriptor.node.hex, relay.name, relay.kind.rawValue, relay.via.rawValue,
                    ]
                )
            }
            return true
        }
    }

    /// Every descriptor held.
    package func descriptors() throws(StoreError) -> [NodeDescriptor] {
        try read("reading node descriptors") { db in
            try Data.fetchAll(db, sql: "SELECT descriptor FROM node ORDER BY name").compactMap(
                StoredRecords.descriptor(from:)
            )
        }
    }

    package func descriptor(of node: NodeID) throws(StoreError) -> NodeDescriptor? {
        try read("reading a node descriptor") { db in
            try Data.fetchOne(db, sql: "SELECT descriptor FROM node WHERE id = ?", arguments: [node.hex])
                .flatMap(StoredRecords.descriptor(from:))
        }
    }

    /// Every key statement held, as signed records.
    package func keyStatements() throws(StoreError) -> [KeyStatement] {
        try read("reading key statements") { db in
            try Data.fetchAll(db, sql: "SELECT record FROM key_statement ORDER BY node, hash").compactMap(
                StoredRecords.statement(from:)
            )
        }
    }
}

extension SQLiteStore {
    /// Each known node's name by id (hex), for labelling pages cheaply.
    package func nodeNames() throws(StoreError) -> [String: String] {
        try read("reading node names") { db in
            Dictionary(
                try Row.fetchAll(
                    db,
                    sql:
                        "SELECT id, name FROM node UNION ALL SELECT id, name FROM relay WHERE id NOT IN (SELECT id FROM node)"
                ).map {
                    ($0["id"] as String, $0["name"] as String)
                },
                uniquingKeysWith: { first, _ in first }
            )
        }
    }
}

extension SQLiteStore {
    /// Bodies not on CIX that held descriptors relay for, by relay id (hex).
    package func relays() throws(StoreError) -> [String: RelayRecord] {
        try read("reading relays") { db in
            Dictionary(
                try Row.fetchAll(db, sql: "SELECT * FROM relay WHERE id NOT IN (SELECT id FROM node)").compactMap {
                    row -> (String, RelayRecord)? in
                    guard let via = Relay.Via(rawValue: row["via"]), let by = NodeID(row["relayed_by"]) else {
                        return nil
                    }
                    return (row["id"], RelayRecord(name: row["name"], via: via, relayedBy: by))
                },
                uniquingKeysWith: { first, _ in first }
            )
        }
    }
}
