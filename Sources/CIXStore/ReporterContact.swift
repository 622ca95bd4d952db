import CIXCore
import GRDB

/// A resident's contact details, given to this node with a report.
///
/// Private to this node: held in its own table, which no export, federation,
/// page or feed reads. Only the pseudonymous `reporter` handle enters the event.
public struct ReporterContact: Sendable, Equatable {
    public let issue: String
    public let reporter: String
    public let name: String?
    public let email: String?
    public let phone: String?
    public let givenAt: Timestamp

    public init(issue: String, reporter: String, name: String?, email: String?, phone: String?, givenAt: Timestamp) {
        self.issue = issue
        self.reporter = reporter
        self.name = name
        self.email = email
        self.phone = phone
        self.givenAt = givenAt
    }
}

extension Store {
    /// Appends a locally made report and keeps its reporter's contact details, in one transaction.
    public func ingestReport(_ event: Event, contact: ReporterContact?, now: Timestamp) throws(StoreError)
        -> IngestOutcome
    {
        try write("storing a report") { db in
            var session = try IngestSession(db: db, now: now)
            let outcome = try session.offer(event, source: "local")
            if outcome.isStored, let contact {
                try db.execute(
                    sql: """
                        INSERT INTO reporter_contact (issue, reporter, name, email, phone, given_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        contact.issue, contact.reporter, contact.name, contact.email, contact.phone,
                        contact.givenAt.secondsSinceEpoch,
                    ])
            }
            try session.finish()
            return outcome
        }
    }

    /// The contact details kept for an issue reported here, for this node's staff only.
    public func contact(forIssue issue: EventID) throws(StoreError) -> ReporterContact? {
        try read("reading a contact") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM reporter_contact WHERE issue = ?", arguments: [issue.hex]).map {
                ReporterContact(
                    issue: $0["issue"], reporter: $0["reporter"], name: $0["name"], email: $0["email"],
                    phone: $0["phone"], givenAt: Timestamp(secondsSinceEpoch: $0["given_at"]))
            }
        }
    }
}
