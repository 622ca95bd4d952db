import CIXCore
import CIXStore
import Foundation
import PostgresNIO

/// Retention and a person's rights over the private tables, in PostgreSQL, with SQLite's
/// rules (`SQLiteStore+Privacy`).
extension PostgresStore: PrivacyStore {
    package func applyRetention(_ cutoffs: RetentionCutoffs) throws(StoreError) -> RetentionReport {
        try write("applying retention") { connection in
            var report = RetentionReport()
            let before = cutoffs.contactsOfIssuesClosedBefore.secondsSinceEpoch
            let closed: PostgresQuery =
                "SELECT id FROM issue WHERE status IN ('fixed', 'closed', 'declined', 'duplicate') AND updated_at < \(before)"
            func count(_ statement: String, _ binds: PostgresBindings = PostgresBindings()) throws -> Int {
                try connection.run(PostgresQuery(unsafeSQL: statement + " RETURNING 1", binds: binds)).count
            }
            report.contacts = try count("DELETE FROM reporter_contact WHERE issue IN (\(closed.sql))", closed.binds)
            // Follows of those issues go with them (the reporter's, and anyone's: the issue is over).
            report.follows = try count("DELETE FROM mail_follow WHERE issue IN (\(closed.sql))", closed.binds)
            report.follows += try connection.run(
                """
                DELETE FROM mail_follow
                WHERE confirmed_at IS NULL AND created_at < \(cutoffs.unconfirmedFollowsBefore.secondsSinceEpoch)
                RETURNING 1
                """
            ).count
            report.heldReports = try connection.run(
                "DELETE FROM held_report WHERE received_at < \(cutoffs.heldReportsBefore.secondsSinceEpoch) RETURNING 1"
            ).count
            report.flags = try connection.run(
                "DELETE FROM resident_flag WHERE at < \(cutoffs.flagsBefore.secondsSinceEpoch) RETURNING 1"
            ).count
            report.open311Details = try connection.run(
                """
                UPDATE open311_log SET details = ''
                WHERE at < \(cutoffs.open311DetailsBefore.secondsSinceEpoch) AND details <> '' RETURNING 1
                """
            ).count
            report.mails = try connection.run(
                "DELETE FROM mail_outbox WHERE coalesce(sent_at, failed_at) < \(cutoffs.mailBefore.secondsSinceEpoch) RETURNING 1"
            ).count
            // Contact details sealed to or by this node go when the issue's contacts would.
            let sealed = try connection.rows(
                PostgresQuery(
                    unsafeSQL: "SELECT id, bytes FROM event WHERE kind = 'contact' AND issue IN (\(closed.sql))",
                    binds: closed.binds
                ),
                as: (String, Data).self
            )
            for (id, bytes) in sealed {
                guard let event = try? Event.decodeStored(Array(bytes)), event.content != nil else { continue }
                try connection.run("UPDATE event SET bytes = \(Data(event.withoutBody().bytes)) WHERE id = \(id)")
                report.sealedContacts += 1
            }
            if report.total > 0 { try Self.oweScrub(on: connection) }
            return report
        }
    }

    package func subjectRecords(email: String?, phone: String?) throws(StoreError) -> SubjectRecords {
        try read("finding a person's records") { connection in
            try Self.subject(email: email, phone: phone, on: connection)
        }
    }

    package func eraseSubject(email: String?, phone: String?) throws(StoreError) -> SubjectRecords {
        try write("erasing a person's records") { connection in
            let found = try Self.subject(email: email, phone: phone, on: connection)
            try connection.run("DELETE FROM reporter_contact WHERE issue = ANY(\(found.contacts.map(\.issue)))")
            try connection.run("DELETE FROM mail_follow WHERE id = ANY(\(found.follows.map(\.id)))")
            try connection.run("DELETE FROM mail_outbox WHERE id = ANY(\(found.mails.map(\.id)))")
            try connection.run("DELETE FROM held_report WHERE id = ANY(\(found.heldReports.map(\.id)))")
            try connection.run("UPDATE open311_log SET details = '' WHERE seq = ANY(\(found.open311.map(\.seq)))")
            try Self.oweScrub(on: connection)
            return found
        }
    }

    static func subject(email: String?, phone: String?, on connection: PostgresConnection) throws -> SubjectRecords {
        var found = SubjectRecords()
        let match = SubjectMatch(email: email, phone: phone)
        // Phone numbers are matched by their digits, so every row with one is read only when a phone is asked for.
        let candidates =
            match.phoneDigits == nil
            ? try contacts("WHERE lower(email) = \(email ?? "")", on: connection)
            : try contacts("WHERE lower(email) = \(email ?? "") OR phone IS NOT NULL", on: connection)
        found.contacts = candidates.filter(match.isTheirs)
        if let email {
            found.follows = try follows("email = \(email)", on: connection)
            found.mails = try connection.rows(
                "SELECT id, subject, created_at, sent_at FROM mail_outbox WHERE recipient = \(email) ORDER BY id",
                as: (Int64, String, Int64, Int64?).self
            ).map {
                SubjectMail(
                    id: $0.0,
                    subject: $0.1,
                    createdAt: Timestamp(secondsSinceEpoch: $0.2),
                    sentAt: $0.3.map(Timestamp.init(secondsSinceEpoch:))
                )
            }
        }
        found.heldReports = try held("true", on: connection).filter { match.names($0.fields) }
        found.open311 = try connection.rows(
            "SELECT seq, at, action, issue, details FROM open311_log WHERE details <> '' ORDER BY seq",
            as: (Int64, Int64, String, String?, String).self
        ).filter { match.names($0.4) }.map {
            SubjectOpen311Entry(
                seq: $0.0,
                at: Timestamp(secondsSinceEpoch: $0.1),
                action: $0.2,
                issue: $0.3,
                details: $0.4
            )
        }
        return found
    }
}
