/// The nonces of signed requests this node has accepted, kept until their
/// signatures expire, so that a captured request cannot be replayed even
/// after the node restarts.
package protocol NonceLog: Sendable {
    /// Every nonce whose signature has not expired at `now`, with its expiry (Unix seconds).
    func unexpired(now: Int64) throws(StoreError) -> [String: Int64]
    /// Records a nonce until `expires`, unless it is held and has not expired at `now`: false
    /// then (a replay). Atomic, so that daemons sharing the log admit a nonce once between them.
    func claim(_ nonce: String, expires: Int64, now: Int64) throws(StoreError) -> Bool
    /// Forgets nonces that expired before `now`.
    func prune(now: Int64) throws(StoreError)
}
