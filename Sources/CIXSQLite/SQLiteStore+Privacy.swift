import CIXCore
import CIXStore
import Foundation
import GRDB

extension SQLiteStore: PrivacyStore {
    package func applyRetention(_ cutoffs: RetentionCutoffs) throws(StoreError) -> RetentionReport {
        try write("applying retention") { db in
            var report = RetentionReport()
            let closed = "status IN ('fixed', 'closed', 'declined', 'duplicate') AND updated_at < ?"
            let contactsCutoff = cutoffs.contactsOfIssuesClosedBefore.secondsSinceEpoch
            try db.execute(
                sql: "DELETE FROM reporter_contact WHERE issue IN (SELECT id FROM issue WHERE \(closed))",
                arguments: [contactsCutoff]
            )
            report.contacts = db.changesCount
            // Follows of those issues go with them (the reporter's, and anyone's: the issue is over).
            try db.execute(
                sql: "DELETE FROM mail_follow WHERE issue IN (SELECT id FROM issue WHERE \(closed))",
                arguments: [contactsCutoff]
            )
            report.follows = db.changesCount
            try db.execute(
                sql: "DELETE FROM mail_follow WHERE confirmed_at IS NULL AND created_at < ?",
                arguments: [cutoffs.unconfirmedFollowsBefore.secondsSinceEpoch]
            )
            report.follows += db.changesCount
            try db.execute(
                sql: "DELETE FROM held_report WHERE received_at < ?",
                arguments: [cutoffs.heldReportsBefore.secondsSinceEpoch]
            )
            report.heldReports = db.changesCount
            try db.execute(
                sql: "DELETE FROM resident_flag WHERE at < ?",
                arguments: [cutoffs.flagsBefore.secondsSinceEpoch]
            )
            report.flags = db.changesCount
            try db.execute(
                sql: "UPDATE open311_log SET details = '' WHERE at < ? AND details != ''",
                arguments: [cutoffs.open311DetailsBefore.secondsSinceEpoch]
            )
            report.open311Details = db.changesCount
            try db.execute(
                sql: "DELETE FROM mail_outbox WHERE coalesce(sent_at, failed_at) < ?",
                arguments: [cutoffs.mailBefore.secondsSinceEpoch]
            )
            report.mails = db.changesCount
            // Contact details sealed to or by this node go when the issue's contacts would.
            let sealed = try Row.fetchAll(
                db,
                sql:
                    "SELECT id, bytes FROM event WHERE kind = 'contact' AND issue IN (SELECT id FROM issue WHERE \(closed))",
                arguments: [contactsCutoff]
            )
            for row in sealed {
                guard let event = try? Event.decodeStored(Array(row["bytes"] as Data)), event.content != nil else {
                    continue
                }
                try db.execute(
                    sql: "UPDATE event SET bytes = ? WHERE id = ?",
                    arguments: [Data(event.withoutBody().bytes), event.id.hex]
                )
                report.sealedContacts += 1
            }
            if report.total > 0 { try Self.oweScrub(db) }
            return report
        }
    }

    package func subjectRecords(email: String?, phone: String?) throws(StoreError) -> SubjectRecords {
        try read("finding a person's records") { db in try Self.subject(email: email, phone: phone, db: db) }
    }

    package func eraseSubject(email: String?, phone: String?) throws(StoreError) -> SubjectRecords {
        try write("erasing a person's records") { db in
            let found = try Self.subject(email: email, phone: phone, db: db)
            for contact in found.contacts {
                try db.execute(sql: "DELETE FROM reporter_contact WHERE issue = ?", arguments: [contact.issue])
            }
            for follow in found.follows {
                try db.execute(sql: "DELETE FROM mail_follow WHERE id = ?", arguments: [follow.id])
            }
            for mail in found.mails {
                try db.execute(sql: "DELETE FROM mail_outbox WHERE id = ?", arguments: [mail.id])
            }
            for held in found.heldReports {
                try db.execute(sql: "DELETE FROM held_report WHERE id = ?", arguments: [held.id])
            }
            for entry in found.open311 {
                try db.execute(sql: "UPDATE open311_log SET details = '' WHERE seq = ?", arguments: [entry.seq])
            }
            try Self.oweScrub(db)
            return found
        }
    }

    static func subject(email: String?, phone: String?, db: Database) throws -> SubjectRecords {
        var found = SubjectRecords()
        let match = SubjectMatch(email: email, phone: phone)
        found.contacts = try Row.fetchAll(
            db,
            // Phone numbers are matched by their digits, so every row with one is read only when a phone is asked for.
            sql: """
                SELECT * FROM reporter_contact WHERE lower(email) = ?\(match.phoneDigits == nil ? "" : " OR phone IS NOT NULL")
                ORDER BY given_at
                """,
            arguments: [email ?? ""]
        ).map(contact).filter(match.isTheirs)
        if let email {
            found.follows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM mail_follow WHERE email = ? ORDER BY id",
                arguments: [email]
            ).map(follow)
            found.mails = try Row.fetchAll(
                db,
                sql: "SELECT id, subject, created_at, sent_at FROM mail_outbox WHERE recipient = ? ORDER BY id",
                arguments: [email]
            ).map {
                SubjectMail(
                    id: $0["id"],
                    subject: $0["subject"],
                    createdAt: Timestamp(secondsSinceEpoch: $0["created_at"]),
                    sentAt: ($0["sent_at"] as Int64?).map(Timestamp.init(secondsSinceEpoch:))
                )
            }
        }
        found.heldReports = try Row.fetchAll(db, sql: "SELECT * FROM held_report ORDER BY id")
            .filter { match.names($0["fields"]) }.map { try held($0, db: db) }
        found.open311 = try Row.fetchAll(db, sql: "SELECT * FROM open311_log WHERE details != '' ORDER BY seq")
            .filter { match.names($0["details"]) }.map {
                SubjectOpen311Entry(
                    seq: $0["seq"],
                    at: Timestamp(secondsSinceEpoch: $0["at"]),
                    action: $0["action"],
                    issue: $0["issue"],
                    details: $0["details"]
                )
            }
        return found
    }
}
