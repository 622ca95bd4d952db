/// Nonces of signed requests seen recently, so a captured request cannot be replayed.
///
/// An actor because every request handler shares it. A nonce is remembered
/// until its signature expires (at most five minutes), so memory stays bounded
/// by the request rate.
package actor NonceCache {
    private var expiries: [String: Int64] = [:]
    private var lastSweep: Int64 = 0

    package init() {}

    /// Records the nonce; false if it was already seen and has not expired.
    package func admit(_ nonce: String, expires: Int64, now: Int64) -> Bool {
        if now - lastSweep > 30 {
            expiries = expiries.filter { $0.value >= now }
            lastSweep = now
        }
        if let seen = expiries[nonce], seen >= now { return false }
        expiries[nonce] = expires
        return true
    }
}
