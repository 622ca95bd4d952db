/// A token bucket per requester: `perMinute` requests a minute, in bursts of up to `burst`.
///
/// The bucket arithmetic is a pure value (`Bucket`); the actor only holds the
/// buckets that every request handler shares.
package actor RateLimiter {
    struct Bucket {
        var tokens: Double
        var updated: Double

        /// Takes a token if there is one; otherwise returns the seconds until there will be.
        mutating func take(now: Double, perSecond: Double, burst: Double) -> Double? {
            tokens = min(burst, tokens + (now - updated) * perSecond)
            updated = now
            if tokens >= 1 {
                tokens -= 1
                return nil
            }
            return (1 - tokens) / perSecond
        }
    }

    let perSecond: Double
    let burst: Double
    private var buckets: [String: Bucket] = [:]

    package init(perMinute: Int, burst: Int) {
        self.perSecond = Double(max(perMinute, 1)) / 60
        self.burst = Double(max(burst, 1))
    }

    /// Nil if the request may go ahead; otherwise how many seconds to wait (for Retry-After).
    package func admit(_ requester: String, now: Double) -> Int? {
        if buckets.count > 10_000 { buckets = buckets.filter { now - $0.value.updated < 120 } }
        var bucket = buckets[requester] ?? Bucket(tokens: burst, updated: now)
        let wait = bucket.take(now: now, perSecond: perSecond, burst: burst)
        buckets[requester] = bucket
        return wait.map { Int($0.rounded(.up)) }
    }
}
