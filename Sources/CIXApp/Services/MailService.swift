import CIXCore
import CIXNode
import CIXServer
import Logging
import ServiceLifecycle

/// Residents' mail, beside the listener: every few seconds the notifier reads
/// what reached the store and queues mails, then the sender hands what is
/// due to the relay, at most `[mail] per_minute` a minute. Both work from the
/// store, so a slow or absent relay never holds up a report or a push.
package struct MailService: Service {
    let node: LocalNode
    let settings: MailSettings
    let interval: Duration
    let logger: Logger
    let metrics: NodeMetrics

    package init(
        node: LocalNode,
        settings: MailSettings,
        interval: Duration = .seconds(5),
        logger: Logger,
        metrics: NodeMetrics
    ) {
        self.node = node
        self.settings = settings
        self.interval = interval
        self.logger = logger
        self.metrics = metrics
    }

    package func run() async throws {
        let notifier = MailNotifier(node: node, settings: settings)
        let sender = MailSender(settings: settings, store: node.mailRecords)
        try await cancelWhenGracefulShutdown {
            var window = (start: Timestamp.now().secondsSinceEpoch, sent: 0)
            while !Task.isCancelled {
                let now = Timestamp.now()
                // Of several daemons sharing a store, one mails (so no resident gets a mail twice).
                guard node.leases.hold("mail") else {
                    try await Task.sleep(for: interval)
                    continue
                }
                do {
                    let queued = try notifier.catchUp(now: now)
                    if queued > 0 { logger.info("queued mail for residents", metadata: ["count": "\(queued)"]) }
                } catch {
                    logger.warning("could not queue residents' mail", metadata: ["error": "\(error)"])
                }
                if now.secondsSinceEpoch - window.start >= 60 { window = (now.secondsSinceEpoch, 0) }
                let budget = settings.perMinute - window.sent
                if budget > 0 {
                    do {
                        let round = try await sender.sendDue(limit: min(budget, 100), now: now)
                        window.sent += round.sent + round.retrying + round.failed
                        metrics.mailed(round.sent, result: "sent")
                        metrics.mailed(round.retrying, result: "retrying")
                        metrics.mailed(round.failed, result: "failed")
                        if let problem = round.lastError {
                            logger.warning(
                                "mail not delivered",
                                metadata: [
                                    "sent": "\(round.sent)", "retrying": "\(round.retrying)",
                                    "failed": "\(round.failed)", "error": "\(problem)",
                                ]
                            )
                        }
                    } catch {
                        logger.warning("could not send residents' mail", metadata: ["error": "\(error)"])
                    }
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
