import Foundation
import NIOCore

/// The connections open on one listener, counted all together and per client
/// address, with fair admission: when the listener is full, a newcomer from an
/// address with fewer connections takes the slot of the oldest connection of
/// the address that holds the most; a newcomer from the heaviest address is
/// refused. So no address, and no crowd of slow clients, can keep others out.
package final class ConnectionGuard: @unchecked Sendable {
    // Invariant: every stored property below is read and written only while `lock` is held.
    private let lock = NSLock()
    private var channels: [ObjectIdentifier: (address: String, channel: any Channel)] = [:]
    /// Per address, its connections oldest first.
    private var byAddress: [String: [ObjectIdentifier]] = [:]
    package private(set) var refused = 0
    package private(set) var evicted = 0
    let limits: ConnectionLimits

    package init(limits: ConnectionLimits) {
        self.limits = limits
    }

    /// Open connections now.
    package var count: Int { lock.withLock { channels.count } }

    /// Counts `channel` in, or says no. May close another connection to make room.
    package func admit(_ channel: any Channel) -> Bool {
        let address = channel.remoteAddress?.ipAddress ?? "unknown"
        let id = ObjectIdentifier(channel)
        var victim: (any Channel)?
        let admitted: Bool = lock.withLock {
            let mine = byAddress[address]?.count ?? 0
            guard mine < limits.maxPerAddress else {
                refused += 1
                return false
            }
            if channels.count >= limits.maxConnections {
                guard let (heaviest, ids) = byAddress.max(by: { $0.value.count < $1.value.count }),
                    ids.count > mine + 1, let oldest = ids.first
                else {
                    refused += 1
                    return false
                }
                victim = channels[oldest]?.channel
                forget(oldest, address: heaviest)
                evicted += 1
            }
            channels[id] = (address, channel)
            byAddress[address, default: []].append(id)
            return true
        }
        victim?.close(promise: nil)
        return admitted
    }

    /// Counts a closed connection out.
    package func release(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        lock.withLock {
            guard let address = channels[id]?.address else { return }
            forget(id, address: address)
        }
    }

    private func forget(_ id: ObjectIdentifier, address: String) {
        channels[id] = nil
        byAddress[address]?.removeAll { $0 == id }
        if byAddress[address]?.isEmpty == true { byAddress[address] = nil }
    }
}
