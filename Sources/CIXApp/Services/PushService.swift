import CIXCore
import CIXFederation
import CIXNode
import CIXServer
import CIXStore
import Foundation
import Logging
import ServiceLifecycle

/// Delivers new events to every peer, each peer in its own loop (`PeerLoops`)
/// checking the log every `interval` seconds (a cheap `max(seq)` read, so new
/// events leave within tens of milliseconds), at most `concurrency` pushes at
/// once, with exponential backoff and jitter for a peer that fails: a peer
/// that is away or stalls delays only its own deliveries. Of several daemons
/// sharing a store, the one holding a peer's lease pushes to it.
package struct PushService: Service {
    let node: LocalNode
    let interval: Double
    let logger: Logger
    let metrics: NodeMetrics
    var concurrency = 8

    package init(node: LocalNode, interval: Double = 0.02, logger: Logger, metrics: NodeMetrics) {
        self.metrics = metrics
        self.node = node
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        let pusher = PeerPush(node: node)
        let gate = Gate(permits: concurrency)
        // On PostgreSQL each look at the log is a round trip to the server: every 100 ms at most.
        let interval = node.config.store == nil ? interval : max(interval, 0.1)
        let (node, logger, metrics) = (node, logger, metrics)
        let loops = PeerLoops(node: node, refresh: .seconds(1)) { id in
            var state = DeliveryState()
            var generator = SystemRandomNumberGenerator()
            // One open client per peer, so pushes reuse their TLS connection.
            var client: PeerClient?
            // Daemons sharing a store share the peers out: one pushes to each, so no event is sent twice.
            let lease = "push \(id.hex)"
            defer { node.leases.release(lease) }
            // The log position through which the peer is known to have everything: while the log
            // has not moved past it, the peer's row is not read again.
            var known: Int64 = -1
            while !Task.isCancelled {
                guard node.leases.hold(lease) else {
                    known = -1
                    try? await Task.sleep(for: .seconds(1))
                    continue
                }
                let last = (try? node.store.lastSequence()) ?? 0
                let now = Date().timeIntervalSince1970
                var due: Peer?
                if last > known, let peer = try? node.store.peer(id) {
                    if peer.pushedThrough >= last { known = last } else { due = peer }
                }
                if let peer = due, state.isDue(at: now) {
                    do {
                        let open = try client ?? PeerClient.open(caPEM: peer.caPEM, signer: pusher.signer)
                        client = open
                        let report = try await gate.holding {
                            try await pusher.push(to: peer, using: open, now: { .now() })
                        }
                        state.succeeded(at: now)
                        metrics.pushed(report.sent, to: peer.node)
                        if report.sent > 0 {
                            logger.info(
                                "pushed",
                                metadata: [
                                    "peer": "\(peer.node.short)", "sent": "\(report.sent)",
                                    "rejected": "\(report.rejected.count)",
                                ]
                            )
                        }
                    } catch {
                        await client?.close()
                        client = nil
                        state.failed(at: now, jitter: Double.random(in: 0..<1, using: &generator))
                        try? node.store.recordError(with: peer.node, "\(error)")
                        logger.warning(
                            "push failed",
                            metadata: [
                                "peer": "\(peer.node.short)", "retry_in": "\(Int(state.nextAttempt - now))s",
                                "error": "\(error)",
                            ]
                        )
                    }
                }
                try? await Task.sleep(for: .seconds(interval))
            }
            await client?.close()
        }
        await cancelWhenGracefulShutdown { await loops.run() }
    }
}
