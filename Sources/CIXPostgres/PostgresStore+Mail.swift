import CIXCore
import CIXStore
import PostgresNIO

/// Residents' mail in PostgreSQL (follows, the outbox, the notifier's cursor), with SQLite's
/// rules (`SQLiteStore+Mail`). Which daemon sends is decided by a lease, not here.
extension PostgresStore: MailStore {
    package func addFollow(
        email: String,
        issue: String?,
        area: String?,
        token: String,
        confirmed: Bool,
        language: String,
        at moment: Timestamp
    ) throws(StoreError) -> MailFollow {
        try write("adding a follow") { connection in
            let now = moment.secondsSinceEpoch
            try connection.run(
                """
                INSERT INTO mail_follow (email, issue, area, token, created_at, confirmed_at, language)
                VALUES (\(email), \(issue), \(area), \(token), \(now), \(confirmed ? now : nil), \(language))
                ON CONFLICT DO NOTHING
                """
            )
            guard
                let follow = try Self.follows(
                    "email = \(email) AND coalesce(issue, '') = \(issue ?? "") AND coalesce(area, '') = \(area ?? "")",
                    on: connection
                ).first
            else {
                throw StoreError(code: .database, message: "a follow just added is missing", cause: nil)
            }
            return follow
        }
    }

    /// Follows matching a condition, oldest first.
    static func follows(_ condition: PostgresQuery, on connection: PostgresConnection) throws -> [MailFollow] {
        try connection.rows(
            PostgresQuery(
                unsafeSQL: """
                    SELECT id, email, issue, area, reporter, token, created_at, confirmed_at, language
                    FROM mail_follow WHERE \(condition.sql) ORDER BY id
                    """,
                binds: condition.binds
            ),
            as: (Int64, String, String?, String?, Bool, String, Int64, Int64?, String).self
        ).map {
            MailFollow(
                id: $0.0,
                email: $0.1,
                issue: $0.2,
                area: $0.3,
                reporter: $0.4,
                token: $0.5,
                createdAt: Timestamp(secondsSinceEpoch: $0.6),
                confirmedAt: $0.7.map(Timestamp.init(secondsSinceEpoch:)),
                language: $0.8
            )
        }
    }

    package func follow(id: Int64) throws(StoreError) -> MailFollow? {
        try read("reading a follow") { connection in try Self.follows("id = \(id)", on: connection).first }
    }

    package func confirmFollow(id: Int64, at moment: Timestamp) throws(StoreError) -> Bool {
        try write("confirming a follow") { connection in
            try !connection.run(
                """
                UPDATE mail_follow SET confirmed_at = coalesce(confirmed_at, \(moment.secondsSinceEpoch))
                WHERE id = \(id) RETURNING 1
                """
            ).isEmpty
        }
    }

    package func removeFollow(id: Int64) throws(StoreError) -> Bool {
        try write("ending a follow") { connection in
            let removed = try !connection.run("DELETE FROM mail_follow WHERE id = \(id) RETURNING 1").isEmpty
            // Whatever was queued for it and not yet sent goes too.
            try connection.run("DELETE FROM mail_outbox WHERE sent_at IS NULL AND key LIKE \("%:follow-\(id)")")
            return removed
        }
    }

    package func follows(ofIssue issue: String) throws(StoreError) -> [MailFollow] {
        try read("reading an issue's follows") { connection in
            try Self.follows("issue = \(issue) AND confirmed_at IS NOT NULL", on: connection)
        }
    }

    package func follows(ofAreas areas: [String]) throws(StoreError) -> [MailFollow] {
        guard !areas.isEmpty else { return [] }
        return try read("reading areas' follows") { connection in
            try Self.follows("area = ANY(\(areas)) AND confirmed_at IS NOT NULL", on: connection)
        }
    }

    package func followRequests(email: String, since moment: Timestamp) throws(StoreError) -> Int {
        try read("counting follow requests") { connection in
            try connection.value(
                "SELECT count(*) FROM mail_follow WHERE email = \(email) AND created_at >= \(moment.secondsSinceEpoch)",
                as: Int.self
            ) ?? 0
        }
    }

    package func mailCursor() throws(StoreError) -> Int64 {
        try read("reading the mail cursor") { connection in
            try connection.value("SELECT seq FROM mail_cursor", as: Int64.self) ?? 0
        }
    }

    @discardableResult
    package func queueMail(_ mails: [QueuedMail], cursor: Int64?, at moment: Timestamp) throws(StoreError) -> Int {
        try write("queueing mail") { connection in
            var added = 0
            if !mails.isEmpty {
                let now = moment.secondsSinceEpoch
                added = try connection.run(
                    """
                    INSERT INTO mail_outbox (key, recipient, subject, body, unsubscribe, created_at, next_attempt_at)
                    SELECT key, recipient, subject, body, nullif(unsubscribe, ''), \(now), \(now)
                    FROM unnest(\(mails.map(\.key))::text[], \(mails.map(\.recipient))::text[],
                        \(mails.map(\.subject))::text[], \(mails.map(\.body))::text[], \(mails.map { $0.unsubscribe ?? "" })::text[])
                        WITH ORDINALITY AS queued (key, recipient, subject, body, unsubscribe, position)
                    ORDER BY position
                    ON CONFLICT (key) DO NOTHING
                    RETURNING 1
                    """
                ).count
            }
            if let cursor {
                try connection.run("UPDATE mail_cursor SET seq = greatest(seq, \(cursor))")
            }
            return added
        }
    }

    package func dueMail(at moment: Timestamp, limit: Int, perRecipientPerHour: Int) throws(StoreError) -> [OutboxMail]
    {
        try read("reading the outbox") { connection in
            let now = moment.secondsSinceEpoch
            return try connection.rows(
                """
                SELECT o.id, o.key, o.recipient, o.subject, o.body, o.unsubscribe, o.attempts FROM mail_outbox o
                WHERE o.sent_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= \(now)
                AND (SELECT count(*) FROM mail_outbox s WHERE s.recipient = o.recipient AND s.sent_at > \(now - 3_600))
                    < \(Int64(perRecipientPerHour))
                ORDER BY o.id LIMIT \(Int64(limit))
                """,
                as: (Int64, String, String, String, String, String?, Int).self
            ).map {
                OutboxMail(
                    id: $0.0,
                    mail: QueuedMail(key: $0.1, recipient: $0.2, subject: $0.3, body: $0.4, unsubscribe: $0.5),
                    attempts: $0.6
                )
            }
        }
    }

    package func markSent(_ id: Int64, at moment: Timestamp) throws(StoreError) {
        try write("noting a mail sent") { connection in
            try connection.run(
                """
                UPDATE mail_outbox SET sent_at = \(moment.secondsSinceEpoch), body = '', attempts = attempts + 1,
                    last_error = NULL
                WHERE id = \(id)
                """
            )
        }
    }

    package func markFailed(_ id: Int64, error: String, retryAt: Timestamp?, at moment: Timestamp) throws(StoreError) {
        try write("noting a mail not sent") { connection in
            if let retryAt {
                try connection.run(
                    """
                    UPDATE mail_outbox SET attempts = attempts + 1, last_error = \(error),
                        next_attempt_at = \(retryAt.secondsSinceEpoch)
                    WHERE id = \(id)
                    """
                )
            } else {
                try connection.run(
                    """
                    UPDATE mail_outbox SET attempts = attempts + 1, last_error = \(error),
                        failed_at = \(moment.secondsSinceEpoch), body = ''
                    WHERE id = \(id)
                    """
                )
            }
        }
    }

    package func outboxCounts() throws(StoreError) -> OutboxCounts {
        try read("counting the outbox") { connection in
            var counts = OutboxCounts()
            guard
                let row = try connection.rows(
                    """
                    SELECT count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL),
                        count(*) FILTER (WHERE sent_at IS NOT NULL), count(*) FILTER (WHERE failed_at IS NOT NULL),
                        min(created_at) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL)
                    FROM mail_outbox
                    """,
                    as: (Int, Int, Int, Int64?).self
                ).first
            else { return counts }
            counts.waiting = row.0
            counts.sent = row.1
            counts.failed = row.2
            counts.oldestWaiting = row.3.map(Timestamp.init(secondsSinceEpoch:))
            return counts
        }
    }
}
