import CIXCore
import CIXNode
import CIXServer
import CIXStore
import Logging
import ServiceLifecycle

/// The node's housekeeping, hourly and once at start: events that have waited
/// for their parents longer than `[federation] pending_days` are dropped and
/// reported, so that what any peer sends cannot pile up for ever; what
/// moderators removed is deleted once its `keep_redacted_days` are up; and
/// residents' data past its `[retention]` time is deleted.
package struct UpkeepService: Service {
    let node: LocalNode
    let interval: Duration
    let logger: Logger
    let metrics: NodeMetrics

    package init(node: LocalNode, interval: Duration = .seconds(3_600), logger: Logger, metrics: NodeMetrics) {
        self.node = node
        self.interval = interval
        self.logger = logger
        self.metrics = metrics
    }

    package func run() async throws {
        try await cancelWhenGracefulShutdown {
            var lastRound: ContinuousClock.Instant?
            while !Task.isCancelled {
                // Of several daemons sharing a store, one keeps house; the others ask every few seconds,
                // so that one takes over within seconds of the holder dying.
                if node.leases.hold("upkeep"), lastRound.map({ $0.duration(to: .now) >= interval }) ?? true {
                    lastRound = .now
                    expireWaitingEvents()
                    deleteKeptOriginals()
                    applyRetention()
                }
                try await Task.sleep(for: min(interval, .seconds(5)))
            }
        }
    }

    package func expireWaitingEvents() {
        let cutoff = Timestamp(secondsSinceEpoch: Timestamp.now().secondsSinceEpoch - node.config.pendingMaxAgeSeconds)
        do {
            let expired = try node.store.expirePending(before: cutoff)
            guard !expired.isEmpty else { return }
            metrics.expiredPending(expired.count)
            logger.warning(
                "dropped events whose parents never came",
                metadata: [
                    "count": "\(expired.count)", "waited_since_before": "\(cutoff)",
                    "first": "\(expired.prefix(5).map(\.hex).joined(separator: ","))",
                ]
            )
        } catch {
            logger.warning("could not expire waiting events", metadata: ["error": "\(error)"])
        }
    }

    /// Residents' data past its time (`[retention]`); hourly, though the policy counts in days.
    func applyRetention() {
        do {
            let run = try node.applyRetention(by: "cix serve", now: .now())
            if run.deleted.total > 0 {
                logger.info(
                    "deleted residents' data past its retention time",
                    metadata: ["deleted": "\(run.deleted.summary)"]
                )
            }
            if let failure = run.unscrubbed {
                logger.warning(
                    "residents' data deleted for retention is not yet scrubbed from disk; the store's upkeep retries each second",
                    metadata: ["error": "\(failure)"]
                )
            }
        } catch {
            logger.warning("could not apply the retention policy", metadata: ["error": "\(error)"])
        }
    }

    func deleteKeptOriginals() {
        do {
            let deleted = try node.purgeKeptOriginals(now: .now())
            if deleted > 0 { logger.info("deleted removed texts whose time was up", metadata: ["count": "\(deleted)"]) }
        } catch {
            logger.warning("could not delete removed texts whose time was up", metadata: ["error": "\(error)"])
        }
    }
}
