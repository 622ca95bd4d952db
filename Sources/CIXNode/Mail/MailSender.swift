import CIXCore
import CIXMail
import CIXStore
import Foundation

/// Hands due mail from the outbox to the relay, one SMTP session per batch.
/// A mail is marked sent only once the relay has taken it; a relay that is
/// down or answers 4xx leaves it queued for a later try (after 1, 2, 4 …
/// minutes, at most an hour apart, for about three days); a refusal (5xx)
/// or a mail that cannot be written ends it at once, with the reason kept.
package struct MailSender: Sendable {
    let settings: MailSettings
    let store: any MailStore
    let client: SMTPClient

    /// Attempts before a mail is given up (about three days at the longest wait).
    package static let maxAttempts = 80

    package init(settings: MailSettings, store: any MailStore) {
        self.settings = settings
        self.store = store
        self.client = SMTPClient(relay: settings.relay)
    }

    /// What one round did.
    package struct Round: Sendable, Equatable {
        package var sent = 0
        package var retrying = 0
        package var failed = 0
        /// The relay's or the message's problem, when there was one.
        package var lastError: String?

        package init() {}
    }

    /// Sends at most `limit` due mails.
    package func sendDue(limit: Int, now: Timestamp) async throws(NodeError) -> Round {
        let due: [OutboxMail]
        do {
            due = try store.dueMail(at: now, limit: limit, perRecipientPerHour: settings.perAddressPerHour)
        } catch {
            throw NodeError(error)
        }
        var round = Round()
        var batch: [(mail: OutboxMail, outgoing: SMTPClient.Outgoing)] = []
        for mail in due {
            do {
                let message = try MailMessage(
                    from: settings.from,
                    fromName: settings.fromName,
                    to: try MailAddress(mail.mail.recipient),
                    subject: mail.mail.subject,
                    text: mail.mail.body,
                    unsubscribe: mail.mail.unsubscribe
                )
                let id = "\(Hex.encode(LocalNode.randomBytes(12)))@\(settings.relay.heloName)"
                let bytes = message.rendered(
                    date: Date(timeIntervalSince1970: Double(now.secondsSinceEpoch)),
                    messageID: id
                )
                batch.append((mail, .init(from: settings.from, to: message.to, bytes: bytes)))
            } catch {
                try record(mail, .failure(error), now: now, into: &round)
            }
        }
        let results = await client.deliver(batch.map(\.outgoing))
        for (item, result) in zip(batch, results) {
            try record(item.mail, result, now: now, into: &round)
        }
        return round
    }

    func record(
        _ mail: OutboxMail,
        _ result: Result<Void, MailError>,
        now: Timestamp,
        into round: inout Round
    ) throws(NodeError) {
        do {
            switch result {
            case .success:
                try store.markSent(mail.id, at: now)
                round.sent += 1
            case .failure(let error) where error.isTransient && mail.attempts + 1 < Self.maxAttempts:
                let wait = min(Int64(60) << Int64(min(mail.attempts, 6)), 3_600)
                try store.markFailed(
                    mail.id,
                    error: error.message,
                    retryAt: Timestamp(secondsSinceEpoch: now.secondsSinceEpoch + wait),
                    at: now
                )
                round.retrying += 1
                round.lastError = error.message
            case .failure(let error):
                try store.markFailed(mail.id, error: error.message, retryAt: nil, at: now)
                round.failed += 1
                round.lastError = error.message
            }
        } catch {
            throw NodeError(error)
        }
    }
}
