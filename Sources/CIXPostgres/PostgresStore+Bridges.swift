import CIXCore
import CIXStore
import PostgresNIO

/// Reports sent to bodies not on CIX, in PostgreSQL, with SQLite's rules (`SQLiteStore+Bridges`).
extension PostgresStore: BridgeStore {
    package func undelivered(to relays: [NodeID], limit: Int) throws(StoreError) -> [BridgeDelivery.Key] {
        guard !relays.isEmpty else { return [] }
        return try read("finding reports for bodies not on CIX") { connection in
            try connection.rows(
                """
                SELECT p.issue, p.node FROM agency_part p
                WHERE p.node = ANY(\(relays.map(\.hex))) AND p.role IN ('routed', 'accepted')
                    AND NOT EXISTS (SELECT 1 FROM bridge_delivery d WHERE d.issue = p.issue AND d.relay = p.node)
                ORDER BY p.issue LIMIT \(Int64(limit))
                """,
                as: (String, String).self
            ).compactMap { row in
                guard let issue = EventID(row.0), let relay = NodeID(row.1) else { return nil }
                return BridgeDelivery.Key(issue: issue, relay: relay)
            }
        }
    }

    package func queueDeliveries(_ keys: [BridgeDelivery.Key], at moment: Timestamp) throws(StoreError) {
        guard !keys.isEmpty else { return }
        try write("queueing reports for bodies not on CIX") { connection in
            let now = moment.secondsSinceEpoch
            try connection.run(
                """
                INSERT INTO bridge_delivery (issue, relay, state, attempts, queued_at, next_attempt_at)
                SELECT issue, relay, 'waiting', 0, \(now), \(now)
                FROM unnest(\(keys.map(\.issue.hex))::text[], \(keys.map(\.relay.hex))::text[]) AS queued (issue, relay)
                ON CONFLICT DO NOTHING
                """
            )
        }
    }

    package func dueDeliveries(at moment: Timestamp, limit: Int) throws(StoreError) -> [BridgeDelivery] {
        try read("reading due deliveries") { connection in
            try Self.deliveries(
                """
                state = 'waiting' AND next_attempt_at <= \(moment.secondsSinceEpoch)
                ORDER BY next_attempt_at, issue LIMIT \(Int64(limit))
                """,
                on: connection
            )
        }
    }

    package func deliverySent(_ key: BridgeDelivery.Key, reference: String, at moment: Timestamp) throws(StoreError) {
        try write("recording a delivery") { connection in
            try connection.run(
                """
                UPDATE bridge_delivery SET state = 'sent', attempts = attempts + 1, sent_at = \(moment.secondsSinceEpoch),
                    reference = \(reference), next_attempt_at = NULL, last_error = NULL
                WHERE issue = \(key.issue.hex) AND relay = \(key.relay.hex)
                """
            )
        }
    }

    package func deliveryFailed(
        _ key: BridgeDelivery.Key,
        error: String,
        retryAt: Timestamp?,
        at moment: Timestamp
    ) throws(StoreError) {
        try write("recording a failed delivery") { connection in
            try connection.run(
                """
                UPDATE bridge_delivery SET attempts = attempts + 1, last_error = \(String(error.prefix(500))),
                    next_attempt_at = \(retryAt?.secondsSinceEpoch), state = \(retryAt == nil ? "failed" : "waiting")
                WHERE issue = \(key.issue.hex) AND relay = \(key.relay.hex)
                """
            )
        }
    }

    package func deliveries(to relay: NodeID?, limit: Int) throws(StoreError) -> [BridgeDelivery] {
        try read("listing deliveries") { connection in
            if let relay {
                return try Self.deliveries(
                    "relay = \(relay.hex) ORDER BY queued_at DESC, issue LIMIT \(Int64(limit))",
                    on: connection
                )
            }
            return try Self.deliveries("true ORDER BY queued_at DESC, issue LIMIT \(Int64(limit))", on: connection)
        }
    }

    /// Deliveries matching a condition (with its order and limit).
    static func deliveries(_ condition: PostgresQuery, on connection: PostgresConnection) throws -> [BridgeDelivery] {
        try connection.rows(
            PostgresQuery(
                unsafeSQL: """
                    SELECT issue, relay, state, attempts, queued_at, next_attempt_at, sent_at, reference, last_error
                    FROM bridge_delivery WHERE \(condition.sql)
                    """,
                binds: condition.binds
            ),
            as: (String, String, String, Int, Int64, Int64?, Int64?, String?, String?).self
        ).compactMap { row in
            guard let issue = EventID(row.0), let relay = NodeID(row.1),
                let state = BridgeDelivery.State(rawValue: row.2)
            else { return nil }
            return BridgeDelivery(
                key: .init(issue: issue, relay: relay),
                state: state,
                attempts: row.3,
                queuedAt: Timestamp(secondsSinceEpoch: row.4),
                nextAttemptAt: row.5.map(Timestamp.init(secondsSinceEpoch:)),
                sentAt: row.6.map(Timestamp.init(secondsSinceEpoch:)),
                reference: row.7,
                lastError: row.8
            )
        }
    }

    package func deliveredIssue(relay: NodeID, reference: String) throws(StoreError) -> EventID? {
        try read("finding a delivered report") { connection in
            try connection.value(
                "SELECT issue FROM bridge_delivery WHERE relay = \(relay.hex) AND reference = \(reference) LIMIT 1",
                as: String.self
            ).flatMap(EventID.init)
        }
    }

    package func pollCursor(relay: NodeID) throws(StoreError) -> Timestamp? {
        try read("reading a bridge's cursor") { connection in
            try connection.value("SELECT polled_to FROM bridge_poll WHERE relay = \(relay.hex)", as: Int64.self)
                .map(Timestamp.init(secondsSinceEpoch:))
        }
    }

    package func setPollCursor(relay: NodeID, to moment: Timestamp) throws(StoreError) {
        try write("moving a bridge's cursor") { connection in
            try connection.run(
                """
                INSERT INTO bridge_poll (relay, polled_to) VALUES (\(relay.hex), \(moment.secondsSinceEpoch))
                ON CONFLICT (relay) DO UPDATE SET polled_to = excluded.polled_to
                """
            )
        }
    }

    package func markAnswerRelayed(relay: NodeID, answer: String, at moment: Timestamp) throws(StoreError) -> Bool {
        try write("noting a relayed answer") { connection in
            try !connection.run(
                """
                INSERT INTO bridge_answer (relay, answer, at) VALUES (\(relay.hex), \(answer), \(moment.secondsSinceEpoch))
                ON CONFLICT DO NOTHING RETURNING 1
                """
            ).isEmpty
        }
    }
}
