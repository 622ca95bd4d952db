import CIXCore
import Foundation
import GRDB

/// An Open311 API key as listed; the key itself is never stored.
public struct APIKey: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let createdAt: Timestamp
    public let revokedAt: Timestamp?
}

extension Store {
    /// Stores a key's hash under a name; returns its id.
    public func addAPIKey(name: String, hash: String, at moment: Timestamp) throws(StoreError) -> Int64 {
        try write("adding an API key") { db in
            try db.execute(
                sql: "INSERT INTO api_key (name, hash, created_at) VALUES (?, ?, ?)",
                arguments: [name, hash, moment.secondsSinceEpoch])
            return db.lastInsertedRowID
        }
    }

    public func apiKeys() throws(StoreError) -> [APIKey] {
        try read("listing API keys") { db in
            try Row.fetchAll(db, sql: "SELECT id, name, created_at, revoked_at FROM api_key ORDER BY id").map {
                APIKey(id: $0["id"], name: $0["name"], createdAt: Timestamp(secondsSinceEpoch: $0["created_at"]),
                    revokedAt: ($0["revoked_at"] as Int64?).map(Timestamp.init(secondsSinceEpoch:)))
            }
        }
    }

    /// Revokes by id or name; true if a live key was revoked.
    public func revokeAPIKey(_ idOrName: String, at moment: Timestamp) throws(StoreError) -> Bool {
        try write("revoking an API key") { db in
            try db.execute(
                sql: "UPDATE api_key SET revoked_at = ? WHERE revoked_at IS NULL AND (CAST(id AS TEXT) = ? OR name = ?)",
                arguments: [moment.secondsSinceEpoch, idOrName, idOrName])
            return db.changesCount > 0
        }
    }

    /// The live key with this hash, if any.
    public func apiKey(hash: String) throws(StoreError) -> APIKey? {
        try read("checking an API key") { db in
            try Row.fetchOne(db, sql: "SELECT id, name, created_at, revoked_at FROM api_key WHERE hash = ? AND revoked_at IS NULL",
                arguments: [hash]).map {
                APIKey(id: $0["id"], name: $0["name"], createdAt: Timestamp(secondsSinceEpoch: $0["created_at"]), revokedAt: nil)
            }
        }
    }

    /// Records a post in the private log. Returns false if `clientUpdateID` was already used by this key.
    @discardableResult
    public func logOpen311(key: Int64, action: String, issue: String?, event: String?, clientUpdateID: String?, details: String, at moment: Timestamp)
        throws(StoreError) -> Bool
    {
        try write("logging an Open311 post") { db in
            if let clientUpdateID,
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM open311_log WHERE key_id = ? AND client_update_id = ?)",
                    arguments: [key, clientUpdateID]) == true
            {
                return false
            }
            try db.execute(
                sql: "INSERT INTO open311_log (key_id, at, action, issue, event, client_update_id, details) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [key, moment.secondsSinceEpoch, action, issue, event, clientUpdateID, details])
            return true
        }
    }

    /// Whether this key already used this client update id.
    public func open311UpdateSeen(key: Int64, clientUpdateID: String) throws(StoreError) -> Bool {
        try read("checking an update id") { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM open311_log WHERE key_id = ? AND client_update_id = ?)",
                arguments: [key, clientUpdateID]) ?? false
        }
    }

    /// Events of the given kinds, with their local time of arrival, first seen within [from, to].
    public func events(kinds: [EventKind], seenFrom from: Timestamp, to: Timestamp, limit: Int) throws(StoreError) -> [StoredEvent] {
        let placeholders = Array(repeating: "?", count: kinds.count).joined(separator: ",")
        var arguments: StatementArguments = StatementArguments(kinds.map(\.rawValue))
        arguments += [from.secondsSinceEpoch, to.secondsSinceEpoch, limit]
        let bound = arguments
        return try read("reading updates") { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.storedEventColumns) FROM event WHERE kind IN (\(placeholders)) AND first_seen BETWEEN ? AND ? AND is_public = 1 ORDER BY seq LIMIT ?",
                arguments: bound
            ).map(StoredEvent.init)
        }
    }
}
