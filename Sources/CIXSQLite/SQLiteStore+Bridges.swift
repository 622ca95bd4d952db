import CIXCore
import CIXStore
import Foundation
import GRDB

extension SQLiteStore: BridgeStore {
    package func undelivered(to relays: [NodeID], limit: Int) throws(StoreError) -> [BridgeDelivery.Key] {
        guard !relays.isEmpty else { return [] }
        return try read("finding reports for bodies not on CIX") { db in
            let marks = Array(repeating: "?", count: relays.count).joined(separator: ", ")
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT p.issue, p.node FROM agency_part p
                    WHERE p.node IN (\(marks)) AND p.role IN ('routed', 'accepted')
                        AND NOT EXISTS (SELECT 1 FROM bridge_delivery d WHERE d.issue = p.issue AND d.relay = p.node)
                    ORDER BY p.issue LIMIT ?
                    """,
                arguments: StatementArguments(relays.map(\.hex) + [String(limit)])
            ).compactMap(Self.deliveryKey)
        }
    }

    package func queueDeliveries(_ keys: [BridgeDelivery.Key], at moment: Timestamp) throws(StoreError) {
        try write("queueing reports for bodies not on CIX") { db in
            for key in keys {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO bridge_delivery (issue, relay, state, attempts, queued_at, next_attempt_at)
                        VALUES (?, ?, 'waiting', 0, ?, ?)
                        """,
                    arguments: [key.issue.hex, key.relay.hex, moment.secondsSinceEpoch, moment.secondsSinceEpoch]
                )
            }
        }
    }

    package func dueDeliveries(at moment: Timestamp, limit: Int) throws(StoreError) -> [BridgeDelivery] {
        try read("reading due deliveries") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM bridge_delivery WHERE state = 'waiting' AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, issue LIMIT ?
                    """,
                arguments: [moment.secondsSinceEpoch, limit]
            ).compactMap(Self.delivery)
        }
    }

    package func deliverySent(_ key: BridgeDelivery.Key, reference: String, at moment: Timestamp) throws(StoreError) {
        try write("recording a delivery") { db in
            try db.execute(
                sql: """
                    UPDATE bridge_delivery SET state = 'sent', attempts = attempts + 1, sent_at = ?, reference = ?,
                        next_attempt_at = NULL, last_error = NULL
                    WHERE issue = ? AND relay = ?
                    """,
                arguments: [moment.secondsSinceEpoch, reference, key.issue.hex, key.relay.hex]
            )
        }
    }

    package func deliveryFailed(
        _ key: BridgeDelivery.Key,
        error: String,
        retryAt: Timestamp?,
        at moment: Timestamp
    ) throws(StoreError) {
        try write("recording a failed delivery") { db in
            try db.execute(
                sql: """
                    UPDATE bridge_delivery SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
                        state = CASE WHEN ? IS NULL THEN 'failed' ELSE 'waiting' END
                    WHERE issue = ? AND relay = ?
                    """,
                arguments: [
                    String(error.prefix(500)), retryAt?.secondsSinceEpoch, retryAt?.secondsSinceEpoch, key.issue.hex,
                    key.relay.hex,
                ]
            )
        }
    }

    package func deliveries(to relay: NodeID?, limit: Int) throws(StoreError) -> [BridgeDelivery] {
        try read("listing deliveries") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM bridge_delivery WHERE ? IS NULL OR relay = ?
                    ORDER BY queued_at DESC, issue LIMIT ?
                    """,
                arguments: [relay?.hex, relay?.hex, limit]
            ).compactMap(Self.delivery)
        }
    }

    package func deliveredIssue(relay: NodeID, reference: String) throws(StoreError) -> EventID? {
        try read("finding a delivered report") { db in
            try String.fetchOne(
                db,
                sql: "SELECT issue FROM bridge_delivery WHERE relay = ? AND reference = ?",
                arguments: [relay.hex, reference]
            ).flatMap(EventID.init)
        }
    }

    package func pollCursor(relay: NodeID) throws(StoreError) -> Timestamp? {
        try read("reading a bridge's cursor") { db in
            try Int64.fetchOne(db, sql: "SELECT polled_to FROM bridge_poll WHERE relay = ?", arguments: [relay.hex])
                .map(Timestamp.init(secondsSinceEpoch:))
        }
    }

    package func setPollCursor(relay: NodeID, to moment: Timestamp) throws(StoreError) {
        try write("moving a bridge's cursor") { db in
            try db.execute(
                sql: """
                    INSERT INTO bridge_poll (relay, polled_to) VALUES (?, ?)
                    ON CONFLICT (relay) DO UPDATE SET polled_to = excluded.polled_to
                    """,
                arguments: [relay.hex, moment.secondsSinceEpoch]
            )
        }
    }

    package func markAnswerRelayed(relay: NodeID, answer: String, at moment: Timestamp) throws(StoreError) -> Bool {
        try write("noting a relayed answer") { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO bridge_answer (relay, answer, at) VALUES (?, ?, ?)",
                arguments: [relay.hex, answer, moment.secondsSinceEpoch]
            )
            return db.changesCount == 1
        }
    }

    static func deliveryKey(_ row: Row) -> BridgeDelivery.Key? {
        guard let issue = EventID(row["issue"]), let relay = NodeID(row[1]) else { return nil }
        return BridgeDelivery.Key(issue: issue, relay: relay)
    }

    static func delivery(_ row: Row) -> BridgeDelivery? {
        guard let issue = EventID(row["issue"]), let relay = NodeID(row["relay"]),
            let state = BridgeDelivery.State(rawValue: row["state"])
        else { return nil }
        return BridgeDelivery(
            key: .init(issue: issue, relay: relay),
            state: state,
            attempts: row["attempts"],
            queuedAt: Timestamp(secondsSinceEpoch: row["queued_at"]),
            nextAttemptAt: (row["next_attempt_at"] as Int64?).map(Timestamp.init(secondsSinceEpoch:)),
            sentAt: (row["sent_at"] as Int64?).map(Timestamp.init(secondsSinceEpoch:)),
            reference: row["reference"],
            lastError: row["last_error"]
        )
    }
}
