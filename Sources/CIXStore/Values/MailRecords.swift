import CIXCore

/// A resident's wish to hear by e-mail about an issue or about new reports in a named area.
package struct MailFollow: Sendable, Equatable {
    package let id: Int64
    package let email: String
    /// The issue followed (its id in hex), or nil for an area.
    package let issue: String?
    /// The named area followed, or nil for an issue.
    package let area: String?
    /// Made with the report by the resident who reported it.
    package let reporter: Bool
    /// The secret of this follow's confirm and unsubscribe links.
    package let token: String
    package let createdAt: Timestamp
    /// When the address answered the confirmation mail; nil until then (nothing else is sent before).
    package let confirmedAt: Timestamp?
    /// The language the resident asked in (a BCP 47 tag the node offers), for the mails' words.
    package let language: String

    package init(
        id: Int64,
        email: String,
        issue: String?,
        area: String?,
        reporter: Bool,
        token: String,
        createdAt: Timestamp,
        confirmedAt: Timestamp?,
        language: String = "en"
    ) {
        self.language = language
        self.id = id
        self.email = email
        self.issue = issue
        self.area = area
        self.reporter = reporter
        self.token = token
        self.createdAt = createdAt
        self.confirmedAt = confirmedAt
    }
}

/// A mail to queue: to whom, what, and what it is about (`key`: the same key is never queued twice).
package struct QueuedMail: Sendable, Equatable {
    package let key: String
    package let recipient: String
    package let subject: String
    package let body: String
    package let unsubscribe: String?

    package init(key: String, recipient: String, subject: String, body: String, unsubscribe: String?) {
        self.key = key
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.unsubscribe = unsubscribe
    }
}

/// A queued mail as the sender takes it.
package struct OutboxMail: Sendable, Equatable {
    package let id: Int64
    package let mail: QueuedMail
    package let attempts: Int

    package init(id: Int64, mail: QueuedMail, attempts: Int) {
        self.id = id
        self.mail = mail
        self.attempts = attempts
    }
}

/// How the outbox stands, for `cix mail status` and the metrics.
package struct OutboxCounts: Sendable, Equatable {
    package var waiting = 0
    package var sent = 0
    package var failed = 0
    /// When the oldest waiting mail was queued.
    package var oldestWaiting: Timestamp?

    package init() {}
}
