import CIXCore
import CIXStore
import GRDB

extension SQLiteStore: MailStore {
    package func addFollow(
        email: String,
        issue: String?,
        area: String?,
        token: String,
        confirmed: Bool,
        language: String,
        at moment: Timestamp
    ) throws(StoreError) -> MailFollow {
        try write("adding a follow") { db in
            let now = moment.secondsSinceEpoch
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO mail_follow
                        (email, issue, area, reporter, token, created_at, confirmed_at, language)
                    VALUES (?, ?, ?, 0, ?, ?, ?, ?)
                    """,
                arguments: [email, issue, area, token, now, confirmed ? now : nil, language]
            )
            let row = try Row.fetchOne(
                db,
                sql: "SELECT * FROM mail_follow WHERE email = ? AND coalesce(issue, '') = ? AND coalesce(area, '') = ?",
                arguments: [email, issue ?? "", area ?? ""]
            )
            guard let row else {
                throw StoreError(code: .database, message: "a follow just added is missing", cause: nil)
            }
            return Self.follow(row)
        }
    }

    package func follow(id: Int64) throws(StoreError) -> MailFollow? {
        try read("reading a follow") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM mail_follow WHERE id = ?", arguments: [id]).map(Self.follow)
        }
    }

    package func confirmFollow(id: Int64, at moment: Timestamp) throws(StoreError) -> Bool {
        try write("confirming a follow") { db in
            try db.execute(
                sql: "UPDATE mail_follow SET confirmed_at = coalesce(confirmed_at, ?) WHERE id = ?",
                arguments: [moment.secondsSinceEpoch, id]
            )
            return db.changesCount == 1
        }
    }

    package func removeFollow(id: Int64) throws(StoreError) -> Bool {
        try write("ending a follow") { db in
            try db.execute(sql: "DELETE FROM mail_follow WHERE id = ?", arguments: [id])
            let removed = db.changesCount == 1
            // Whatever was queued for it and not yet sent goes too.
            try db.execute(
                sql: "DELETE FROM mail_outbox WHERE sent_at IS NULL AND key LIKE ?",
                arguments: ["%:follow-\(id)"]
            )
            return removed
        }
    }

    package func follows(ofIssue issue: String) throws(StoreError) -> [MailFollow] {
        try read("reading an issue's follows") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM mail_follow WHERE issue = ? AND confirmed_at IS NOT NULL ORDER BY id",
                arguments: [issue]
            ).map(Self.follow)
        }
    }

    package func follows(ofAreas areas: [String]) throws(StoreError) -> [MailFollow] {
        guard !areas.isEmpty else { return [] }
        return try read("reading areas' follows") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM mail_follow WHERE area IN (\(databaseQuestionMarks(count: areas.count)))
                    AND confirmed_at IS NOT NULL ORDER BY id
                    """,
                arguments: StatementArguments(areas)
            ).map(Self.follow)
        }
    }

    package func followRequests(email: String, since moment: Timestamp) throws(StoreError) -> Int {
        try read("counting follow requests") { db in
            try Int.fetchOne(
                db,
                sql: "SELECT count(*) FROM mail_follow WHERE email = ? AND created_at >= ?",
                arguments: [email, moment.secondsSinceEpoch]
            ) ?? 0
        }
    }

    static func follow(_ row: Row) -> MailFollow {
        MailFollow(
            id: row["id"],
            email: row["email"],
            issue: row["issue"],
            area: row["area"],
            reporter: row["reporter"],
            token: row["token"],
            createdAt: Timestamp(secondsSinceEpoch: row["created_at"]),
            confirmedAt: (row["confirmed_at"] as Int64?).map(Timestamp.init(secondsSinceEpoch:)),
            language: row["language"]
        )
    }

    package func mailCursor() throws(StoreError) -> Int64 {
        try read("reading the mail cursor") { db in
            try Int64.fetchOne(db, sql: "SELECT seq FROM mail_cursor") ?? 0
        }
    }

    package func queueMail(_ mails: [QueuedMail], cursor: Int64?, at moment: Timestamp) throws(StoreError) -> Int {
        try write("queueing mail") { db in
            var added = 0
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO mail_outbox (key, recipient, subject, body, unsubscribe, created_at, next_attempt_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """
            )
            for mail in mails {
                try insert.execute(arguments: [
                    mail.key, mail.recipient, mail.subject, mail.body, mail.unsubscribe,
                    moment.secondsSinceEpoch, moment.secondsSinceEpoch,
                ])
                added += db.changesCount
            }
            if let cursor {
                try db.execute(sql: "UPDATE mail_cursor SET seq = max(seq, ?)", arguments: [cursor])
            }
            return added
        }
    }

    package func dueMail(at moment: Timestamp, limit: Int, perRecipientPerHour: Int) throws(StoreError) -> [OutboxMail]
    {
        try read("reading the outbox") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.* FROM mail_outbox o
                    WHERE o.sent_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= ?
                    AND (SELECT count(*) FROM mail_outbox s WHERE s.recipient = o.recipient AND s.sent_at > ?) < ?
                    ORDER BY o.id LIMIT ?
                    """,
                arguments: [moment.secondsSinceEpoch, moment.secondsSinceEpoch - 3_600, perRecipientPerHour, limit]
            ).map { row in
                OutboxMail(
                    id: row["id"],
                    mail: QueuedMail(
                        key: row["key"],
                        recipient: row["recipient"],
                        subject: row["subject"],
                        body: row["body"],
                        unsubscribe: row["unsubscribe"]
                    ),
                    attempts: row["attempts"]
                )
            }
        }
    }

    package func markSent(_ id: Int64, at moment: Timestamp) throws(StoreError) {
        try write("noting a mail sent") { db in
            try db.execute(
                sql:
                    "UPDATE mail_outbox SET sent_at = ?, body = '', attempts = attempts + 1, last_error = NULL WHERE id = ?",
                arguments: [moment.secondsSinceEpoch, id]
            )
        }
    }

    package func markFailed(_ id: Int64, error: String, retryAt: Timestamp?, at moment: Timestamp) throws(StoreError) {
        try write("noting a mail not sent") { db in
            if let retryAt {
                try db.execute(
                    sql:
                        "UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                    arguments: [error, retryAt.secondsSinceEpoch, id]
                )
            } else {
                try db.execute(
                    sql: """
                        UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, failed_at = ?, body = '' WHERE id = ?
                        """,
                    arguments: [error, moment.secondsSinceEpoch, id]
                )
            }
        }
    }

    package func outboxCounts() throws(StoreError) -> OutboxCounts {
        try read("counting the outbox") { db in
            var counts = OutboxCounts()
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT sum(sent_at IS NULL AND failed_at IS NULL), sum(sent_at IS NOT NULL), sum(failed_at IS NOT NULL),
                    min(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN created_at END) FROM mail_outbox
                    """
            )
            counts.waiting = row?[0] ?? 0
            counts.sent = row?[1] ?? 0
            counts.failed = row?[2] ?? 0
            counts.oldestWaiting = (row?[3] as Int64?).map(Timestamp.init(secondsSinceEpoch:))
            return counts
        }
    }
}
