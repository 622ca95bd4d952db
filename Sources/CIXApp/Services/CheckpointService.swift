import CIXNode
import CIXServer
import Logging
import ServiceLifecycle

/// Checkpoints the store's WAL every `interval` seconds on a connection of its own, so that
/// commits (and the acknowledgements that wait for them) never pay for a large checkpoint;
/// scrubs after redactions (`LocalNode.upkeep`).
package struct CheckpointService: Service {
    let node: LocalNode
    let interval: Double
    let logger: Logger

    package init(node: LocalNode, interval: Double = 1, logger: Logger) {
        self.node = node
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try node.upkeep()
                } catch {
                    logger.warning("store upkeep failed (checkpoint or scrub)", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: .seconds(interval))
            }
        }
    }
}
