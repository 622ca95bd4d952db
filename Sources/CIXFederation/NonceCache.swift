import CIXStore

/// Nonces of signed requests seen recently, so a captured request cannot be replayed.
///
/// An actor because every request handler shares it. A nonce is remembered
/// until its signature expires (at most a minute), in memory and in the
/// node's `NonceLog`, which a restarted node reads back: a request captured
/// before a restart is refused after it too. Daemons sharing a PostgreSQL
/// store share its log, so a replay is refused by all of them. Memory and log
/// stay bounded by the request rate.
package actor NonceCache {
    private var expiries: [String: Int64] = [:]
    private var lastSweep: Int64 = 0
    private let log: (any NonceLog)?

    /// With a log, the nonces it holds that have not expired are remembered from the start.
    package init(log: (any NonceLog)? = nil, now: Int64) {
        self.log = log
        expiries = (try? log?.unexpired(now: now)) ?? [:]
        lastSweep = now
    }

    /// Records the nonce; false if it was already seen and has not expired.
    package func admit(_ nonce: String, expires: Int64, now: Int64) -> Bool {
        if now - lastSweep > 30 {
            expiries = expiries.filter { $0.value >= now }
            try? log?.prune(now: now)
            lastSweep = now
        }
        if let seen = expiries[nonce], seen >= now { return false }
        expiries[nonce] = expires
        // The log has the last word: another daemon sharing it may have seen the nonce. A log
        // that cannot be written (a full disk, a lost server) leaves memory to decide.
        if let log, let claimed = try? log.claim(nonce, expires: expires, now: now) { return claimed }
        return true
    }
}
