import CIXBridge
import CIXCore
import CIXNode
import Logging
import ServiceLifecycle

/// Bodies not on CIX (`[[external]]`), beside the listener: every few seconds
/// reports newly routed to one are queued and what is due is sent; every
/// minute each Open311 body's answers are read and relayed onto their issues.
/// All of it works from the store, so an endpoint that is down holds up nothing.
package struct BridgeService: Service {
    let bridge: Bridge
    let interval: Duration
    let pollEvery: Int64
    let logger: Logger

    package init(node: LocalNode, interval: Duration = .seconds(5), pollEvery: Int64 = 60, logger: Logger) {
        self.bridge = Bridge(node: node)
        self.interval = interval
        self.pollEvery = pollEvery
        self.logger = logger
    }

    package func run() async throws {
        try await cancelWhenGracefulShutdown {
            var lastPoll: Int64 = 0
            while !Task.isCancelled {
                let now = Timestamp.now()
                // Of several daemons sharing a store, one sends (so no report is sent twice).
                guard bridge.node.leases.hold("bridges") else {
                    try await Task.sleep(for: interval)
                    continue
                }
                do {
                    try bridge.queueNew(now: now)
                    let round = try await bridge.deliverDue(now: now)
                    if round.sent > 0 {
                        logger.info("sent reports to bodies not on CIX", metadata: ["count": "\(round.sent)"])
                    }
                    if let problem = round.lastError {
                        logger.warning(
                            "a report did not reach a body not on CIX",
                            metadata: [
                                "retrying": "\(round.retrying)", "given_up": "\(round.failed)", "error": "\(problem)",
                            ]
                        )
                    }
                    if now.secondsSinceEpoch - lastPoll >= pollEvery {
                        lastPoll = now.secondsSinceEpoch
                        let relayed = try await bridge.relayAnswers(now: now)
                        if relayed > 0 {
                            logger.info("relayed answers of bodies not on CIX", metadata: ["count": "\(relayed)"])
                        }
                    }
                } catch {
                    logger.warning("bridge to bodies not on CIX", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
