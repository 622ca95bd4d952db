import CIXCore
import CIXFederation
import CIXNode
import CIXServer
import Foundation
import Logging
import ServiceLifecycle

/// Delivers new events to every peer, checking the log every `interval` seconds
/// (a cheap `max(seq)` read, so new events leave within tens of milliseconds),
/// with exponential backoff and jitter for peers that fail.
package struct PushService: Service {
    let node: LocalNode
    let interval: Double
    let logger: Logger
    let metrics: NodeMetrics

    package init(node: LocalNode, interval: Double = 0.02, logger: Logger, metrics: NodeMetrics) {
        self.metrics = metrics
        self.node = node
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        let pusher = PeerPush(node: node)
        try await cancelWhenGracefulShutdown {
            var states: [NodeID: DeliveryState] = [:]
            var generator = SystemRandomNumberGenerator()
            // One open client per peer (by node and URL), so pushes reuse their TLS connection.
            var clients: [String: PeerClient] = [:]
            defer { Task { [clients] in for client in clients.values { await client.close() } } }
            while !Task.isCancelled {
                let last = (try? node.store.lastSequence()) ?? 0
                for peer in (try? node.store.peers()) ?? [] where peer.pushedThrough < last {
                    let now = Date().timeIntervalSince1970
                    var state = states[peer.node] ?? DeliveryState()
                    guard state.isDue(at: now) else { continue }
                    let slot = peer.node.hex + " " + peer.url
                    do {
                        let client = try clients[slot] ?? PeerClient.open(caPEM: peer.caPEM, signer: pusher.signer)
                        clients[slot] = client
                        let report = try await pusher.push(to: peer, using: client, now: { .now() })
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
                        if let client = clients.removeValue(forKey: slot) { await client.close() }
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
                    states[peer.node] = state
                }
                try await Task.sleep(for: .seconds(interval))
            }
        }
    }
}
