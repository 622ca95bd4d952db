import CIXCore
import CIXFederation
import CIXNode
import CIXServer
import Logging
import ServiceLifecycle

/// Pulls from every peer every `interval` seconds, each peer in its own loop
/// (`PeerLoops`), at most `concurrency` at once, each exchange within the
/// peer's deadlines. A failing or stalled peer is logged and recorded on the
/// peer (`cix peer list` shows it); the others go on as if it were not there.
/// Each peer is also repaired by set reconciliation (`PeerSync.repair`) a
/// minute after the start and then every `repairInterval` seconds, which
/// closes gaps no cursor can see (a peer restored from an older backup).
package struct PullService: Service {
    let node: LocalNode
    let interval: Double
    let logger: Logger
    let metrics: NodeMetrics
    var concurrency = 8
    /// Seconds between repairs with each peer; the first comes `firstRepair` seconds after the start.
    var repairInterval: Double = 6 * 3_600
    var firstRepair: Double = 60

    /// Asks peers for the parents that waiting events lack, each round.
    let chase: ParentChase

    package init(
        node: LocalNode,
        interval: Double,
        logger: Logger,
        metrics: NodeMetrics,
        chase: ParentChase = ParentChase()
    ) {
        self.metrics = metrics
        self.node = node
        self.interval = interval
        self.logger = logger
        self.chase = chase
    }

    package func run() async throws {
        let sync = PeerSync(node: node)
        let gate = Gate(permits: concurrency)
        let (node, logger, metrics, interval, chase) = (node, logger, metrics, interval, chase)
        let (repairInterval, firstRepair) = (repairInterval, firstRepair)
        let loops = PeerLoops(
            node: node,
            refresh: .seconds(max(interval, 1)),
            loop: { id in
                // Daemons sharing a store share the peers out: one pulls from (and repairs with) each.
                let lease = "pull \(id.hex)"
                defer { node.leases.release(lease) }
                var nextRepair = ContinuousClock.now + .seconds(firstRepair)
                while !Task.isCancelled {
                    guard node.leases.hold(lease) else {
                        try? await Task.sleep(for: .seconds(interval))
                        continue
                    }
                    if ContinuousClock.now >= nextRepair, let peer = try? node.store.peer(id) {
                        nextRepair = ContinuousClock.now + .seconds(repairInterval)
                        await gate.holding {
                            do {
                                let report = try await sync.repair(with: peer, now: { .now() })
                                logger.info(
                                    "repaired",
                                    metadata: ["peer": "\(peer.node.short)", "result": "\(report.summary)"]
                                )
                            } catch {
                                logger.warning(
                                    "repair failed",
                                    metadata: ["peer": "\(peer.node.short)", "error": "\(error)"]
                                )
                            }
                        }
                    }
                    if let peer = try? node.store.peer(id) {
                        await gate.holding {
                            do {
                                let report = try await sync.pull(from: peer, now: { .now() })
                                metrics.pulled(report.stored, from: peer.node)
                                if let finding = report.auditFinding {
                                    logger.error(
                                        "peer's audit trail rewritten",
                                        metadata: ["peer": "\(peer.node.short)", "finding": "\(finding)"]
                                    )
                                }
                                if report.received > 0 {
                                    logger.info(
                                        "pulled",
                                        metadata: ["peer": "\(peer.node.short)", "result": "\(report.summary)"]
                                    )
                                }
                            } catch {
                                logger.warning(
                                    "pull failed",
                                    metadata: ["peer": "\(peer.node.short)", "error": "\(error)"]
                                )
                            }
                        }
                    }
                    try? await Task.sleep(for: .seconds(interval))
                }
            },
            between: {
                // Staff have worked since the descriptor was signed: publish the audit trail's new head.
                if node.leases.hold("publish descriptor"),
                    (try? node.publishDescriptorIfAuditMoved(now: .now())) == true
                {
                    logger.info("published the audit trail's head")
                }
                // Events that wait for parents, however they came: ask the peers for those parents
                // (one daemon of those sharing the store does it).
                if node.leases.hold("chase parents") {
                    do {
                        if let round = try await sync.chaseParentsUnlessBusy(chase, now: { .now() }),
                            round.fetched > 0 || round.notFound > 0
                        {
                            logger.info(
                                "asked peers for missing parents",
                                metadata: [
                                    "fetched": "\(round.fetched)", "not_found": "\(round.notFound)",
                                    "still_waiting": "\(round.pending)",
                                ]
                            )
                        }
                    } catch {
                        logger.warning("could not ask peers for missing parents", metadata: ["error": "\(error)"])
                    }
                }
                // A peer may have started serving an area or category: route what waits.
                if node.authors, node.leases.hold("route waiting"), let routed = try? node.routeUnrouted(now: .now()),
                    routed > 0
                {
                    logger.info("routed waiting issues", metadata: ["count": "\(routed)"])
                }
            }
        )
        await cancelWhenGracefulShutdown { await loops.run() }
    }
}
