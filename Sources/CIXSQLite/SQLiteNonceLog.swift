import CIXStore
import Foundation
import GRDB

/// Seen request nonces in a small SQLite file of their own (`replay.sqlite`),
/// apart from the store so that recording one never waits for an ingest.
///
/// It runs with synchronous=NORMAL: a nonce survives any crash of the
/// process, and only a power cut within the last moments could lose one, which
/// leaves at most the replay of a request captured in those moments, until
/// its signature expires (a minute at most).
package struct SQLiteNonceLog: NonceLog {
    let queue: DatabaseQueue
    /// The store's write health: a nonce that cannot be recorded (a full disk) degrades `/healthz` too.
    let health: WriteHealth

    package init(path: String, health: WriteHealth = WriteHealth()) throws(StoreError) {
        self.health = health
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.journalMode = .wal
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            // GRDB's WAL set-up leaves the connection on synchronous=NORMAL: what this log wants.
            try queue.write { db in
                try db.execute(
                    sql: "CREATE TABLE IF NOT EXISTS seen_nonce (nonce TEXT PRIMARY KEY, expires INTEGER NOT NULL)"
                )
            }
        } catch {
            throw .cannotOpen(path, cause: error)
        }
    }

    package func unexpired(now: Int64) throws(StoreError) -> [String: Int64] {
        do {
            return try queue.read { db in
                var seen: [String: Int64] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql: "SELECT nonce, expires FROM seen_nonce WHERE expires >= ?",
                    arguments: [now]
                ) {
                    seen[row[0]] = row[1]
                }
                return seen
            }
        } catch {
            throw .database("reading seen nonces", cause: error)
        }
    }

    package func claim(_ nonce: String, expires: Int64, now: Int64) throws(StoreError) -> Bool {
        do {
            return try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO seen_nonce (nonce, expires) VALUES (?, ?)
                        ON CONFLICT (nonce) DO UPDATE SET expires = excluded.expires WHERE seen_nonce.expires < ?
                        """,
                    arguments: [nonce, expires, now]
                )
                return db.changesCount > 0
            }
        } catch {
            let failure = StoreError.database("recording a nonce", cause: error)
            health.failed(failure)
            throw failure
        }
    }

    package func prune(now: Int64) throws(StoreError) {
        do {
            try queue.write { db in try db.execute(sql: "DELETE FROM seen_nonce WHERE expires < ?", arguments: [now]) }
        } catch {
            throw .database("forgetting expired nonces", cause: error)
        }
    }
}
