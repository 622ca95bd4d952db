import CIXStore
import PostgresNIO

/// Nonces of signed requests, shared by the daemons of a node on PostgreSQL. Outside the
/// writers' lock: recording one never waits for an ingest.
extension PostgresStore: NonceLog {
    package func unexpired(now: Int64) throws(StoreError) -> [String: Int64] {
        try read("reading seen nonces") { connection in
            var seen: [String: Int64] = [:]
            for (nonce, expires) in try connection.rows(
                "SELECT nonce, expires FROM seen_nonce WHERE expires >= \(now)",
                as: (String, Int64).self
            ) {
                seen[nonce] = expires
            }
            return seen
        }
    }

    package func claim(_ nonce: String, expires: Int64, now: Int64) throws(StoreError) -> Bool {
        do {
            return try connections.withConnection { connection in
                // A row comes back when the nonce is new or its last sighting expired; none for a replay.
                try !connection.run(
                    """
                    INSERT INTO seen_nonce (nonce, expires) VALUES (\(nonce), \(expires))
                    ON CONFLICT (nonce) DO UPDATE SET expires = excluded.expires WHERE seen_nonce.expires < \(now)
                    RETURNING 1
                    """
                ).isEmpty
            }
        } catch {
            let failure = failure("recording a nonce", error)
            writeHealth.failed(failure)
            throw failure
        }
    }

    package func prune(now: Int64) throws(StoreError) {
        try read("forgetting expired nonces") { connection in
            try connection.run("DELETE FROM seen_nonce WHERE expires < \(now)")
        }
    }
}
