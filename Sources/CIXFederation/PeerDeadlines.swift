import Foundation

/// How long a peer may take over one exchange: to connect, to begin its
/// answer, to finish it, and the least rate its answer must keep once a grace
/// period is over. A peer that trickles its answer one byte at a time is cut
/// off by the rate; one that hangs, by the first-byte or total deadline.
package struct PeerDeadlines: Sendable {
    package var connect: Duration = .seconds(5)
    package var firstByte: Duration = .seconds(30)
    package var total: Duration = .seconds(120)
    package var minBytesPerSecond = 1_024
    package var grace: Duration = .seconds(10)

    package init() {}
}

/// Bytes received so far by one exchange, shared with its watchdog.
final class ProgressCounter: @unchecked Sendable {
    // Invariant: `bytes` is only touched while `lock` is held.
    private let lock = NSLock()
    private var bytes = 0

    func add(_ count: Int) { lock.withLock { bytes += count } }
    var value: Int { lock.withLock { bytes } }
}
