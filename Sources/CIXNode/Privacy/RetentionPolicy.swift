import CIXCore
import CIXStore

/// How long residents' data is kept on this node (`[retention]`, with these
/// defaults), and the cutoffs that follow from it at a given moment. Months
/// are counted as 30 days.
package struct RetentionPolicy: Sendable, Equatable {
    package var contactsMonths = 12
    package var heldDays = 30
    package var flagDays = 90
    package var open311LogDays = 90
    package var mailDays = 30
    package var unconfirmedFollowDays = 7

    package init() {}

    package init(_ config: NodeConfig.Retention?) {
        guard let config else { return }
        contactsMonths = config.contacts_months ?? contactsMonths
        heldDays = config.held_days ?? heldDays
        flagDays = config.flag_days ?? flagDays
        open311LogDays = config.open311_log_days ?? open311LogDays
        mailDays = config.mail_days ?? mailDays
        unconfirmedFollowDays = config.unconfirmed_follow_days ?? unconfirmedFollowDays
    }

    package func cutoffs(at now: Timestamp) -> RetentionCutoffs {
        func daysAgo(_ days: Int) -> Timestamp {
            Timestamp(secondsSinceEpoch: now.secondsSinceEpoch - Int64(days) * 86_400)
        }
        return RetentionCutoffs(
            contactsOfIssuesClosedBefore: daysAgo(contactsMonths * 30),
            heldReportsBefore: daysAgo(heldDays),
            flagsBefore: daysAgo(flagDays),
            open311DetailsBefore: daysAgo(open311LogDays),
            mailBefore: daysAgo(mailDays),
            unconfirmedFollowsBefore: daysAgo(unconfirmedFollowDays)
        )
    }
}

/// What a retention run deleted, and whether it is scrubbed from disk yet.
package struct RetentionRun: Sendable {
    package let deleted: RetentionReport
    /// False when nothing was deleted, when scrubbing is left to `cix store scrub`, or when the
    /// scrub failed (`unscrubbed` says why): the store then owes it, and the daemon's upkeep
    /// scrubs it once it can.
    package let scrubbed: Bool
    package let unscrubbed: StoreError?
}

extension LocalNode {
    /// This node's retention policy.
    package var retention: RetentionPolicy { RetentionPolicy(config.retention) }

    /// Deletes what the policy says has run out at `now`, records the run in the audit trail,
    /// and scrubs what it deleted from disk (`scrubAfterChange`).
    package func applyRetention(by actor: String, now: Timestamp) throws(NodeError) -> RetentionRun {
        let report: RetentionReport
        do {
            report = try vault.applyRetention(retention.cutoffs(at: now))
            guard report.total > 0 else { return RetentionRun(deleted: report, scrubbed: false, unscrubbed: nil) }
            try staffRecords.appendAudit(
                actor: actor,
                action: "retention",
                subject: "",
                address: "",
                event: nil,
                detail: "deleted: \(report.summary)",
                at: now.secondsSinceEpoch
            )
        } catch {
            throw NodeError(error)
        }
        // What was deleted lingers in freed pages, the search index and the WAL until scrubbed.
        do {
            return RetentionRun(deleted: report, scrubbed: try scrubAfterChange(), unscrubbed: nil)
        } catch {
            return RetentionRun(deleted: report, scrubbed: false, unscrubbed: error)
        }
    }
}
