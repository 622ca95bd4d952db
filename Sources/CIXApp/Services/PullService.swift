import CIXCore
import CIXFederation
import CIXNode
import CIXServer
import Logging
import ServiceLifecycle

/// Pulls from every peer, every `interval` seconds, until shutdown.
///
/// A failing peer is logged and recorded on the peer (`cix peer list` shows
/// it); the others are still pulled.
package struct PullService: Service {
    let node: LocalNode
    let interval: Double
    let logger: Logger
    let metrics: NodeMetrics

    package init(node: LocalNode, interval: Double, logger: Logger, metrics: NodeMetrics) {
        self.metrics = metrics
        self.node = node
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        let sync = PeerSync(node: node)
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                for peer in (try? node.store.peers()) ?? [] {
                    do {
                        let report = try await sync.pull(from: peer, now: { .now() })
                        metrics.pulled(report.stored, from: peer.node)
                        if report.received > 0 {
                            logger.info(
                                "pulled",
                                metadata: ["peer": "\(peer.node.short)", "result": "\(report.summary)"]
                            )
                        }
                    } catch {
                        logger.warning("pull failed", metadata: ["peer": "\(peer.node.short)", "error": "\(error)"])
                    }
                }
                // A peer may have started serving an area or category: route what waits.
                if let routed = try? node.routeUnrouted(now: .now()), routed > 0 {
                    logger.info("routed waiting issues", metadata: ["count": "\(routed)"])
                }
                try await Task.sleep(for: .seconds(interval))
            }
        }
    }
}
