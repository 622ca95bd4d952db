import CIXCore
import CIXNode
import Logging
import ServiceLifecycle

/// Residents' consented sharing, beside the listener: at start the node makes
/// its seal key if it has none (and publishes it), then every few seconds it
/// seals the contact details of each consenting reporter to every body that
/// handles their report and has not had them: at intake, and whenever a
/// route, referral or transfer reaches the store, by any path.
package struct ContactSharingService: Service {
    let node: LocalNode
    let interval: Duration
    let logger: Logger

    package init(node: LocalNode, interval: Duration = .seconds(2), logger: Logger) {
        self.node = node
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        do {
            try node.ensureSealKey(now: .now())
        } catch {
            logger.error("cannot make this node's seal key", metadata: ["error": "\(error)"])
        }
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                // Of several daemons sharing a store, one seals (so no contact is sealed twice).
                guard node.leases.hold("share contacts") else {
                    try await Task.sleep(for: interval)
                    continue
                }
                do {
                    let made = try node.shareWaitingContacts(now: .now())
                    if made > 0 {
                        logger.info(
                            "sealed residents' contact details to the bodies handling their reports",
                            metadata: ["count": "\(made)"]
                        )
                    }
                } catch {
                    logger.warning("could not share residents' contact details", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
