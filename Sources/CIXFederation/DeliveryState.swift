/// When to next try delivering to a peer: exponential backoff with jitter, as a pure state machine.
///
/// Events in: `succeeded(at:)`, `failed(at:jitter:)`. Out: `nextAttempt`. The
/// delay doubles from `base` with each consecutive failure up to `cap` (an hour
/// by default, so a peer away for days is retried hourly and catches up when
/// it returns), scaled by a jitter factor in [0.5, 1) passed in by the caller
/// so that peers do not retry in step and tests stay deterministic.
package struct DeliveryState: Sendable, Equatable {
    package private(set) var failures = 0
    /// Seconds since the epoch before which no attempt should be made.
    package private(set) var nextAttempt: Double = 0
    package let base: Double
    package let cap: Double

    package init(base: Double = 1, cap: Double = 3_600) {
        self.base = base
        self.cap = cap
    }

    package func isDue(at now: Double) -> Bool { now >= nextAttempt }

    package mutating func succeeded(at now: Double) {
        failures = 0
        nextAttempt = now
    }

    /// `jitter` is a random value in [0, 1).
    package mutating func failed(at now: Double, jitter: Double) {
        failures += 1
        let delay = min(cap, base * pow2(failures - 1))
        nextAttempt = now + delay * (0.5 + 0.5 * min(max(jitter, 0), 0.999_999))
    }

    /// The current delay ceiling, for logs.
    package var delay: Double { failures == 0 ? 0 : min(cap, base * pow2(failures - 1)) }

    private func pow2(_ exponent: Int) -> Double {
        exponent >= 62 ? Double.greatestFiniteMagnitude : Double(UInt64(1) << UInt64(max(exponent, 0)))
    }
}
