import CIXCore

/// Where each kind of residents' data runs out: everything of that kind
/// older than its cutoff is deleted by the retention job.
package struct RetentionCutoffs: Sendable, Equatable {
    /// Contact details (and the reporter's mail follow) of issues closed and unchanged since before this.
    package var contactsOfIssuesClosedBefore: Timestamp
    /// Reports held for moderation and never decided, received before this.
    package var heldReportsBefore: Timestamp
    /// Residents' flags (and their notes) made before this.
    package var flagsBefore: Timestamp
    /// The free text of Open311 log entries made before this (their ids stay, so retries stay idempotent).
    package var open311DetailsBefore: Timestamp
    /// Mails sent or given up before this (recipient and subject), and follows never confirmed since before this.
    package var mailBefore: Timestamp
    package var unconfirmedFollowsBefore: Timestamp

    package init(
        contactsOfIssuesClosedBefore: Timestamp,
        heldReportsBefore: Timestamp,
        flagsBefore: Timestamp,
        open311DetailsBefore: Timestamp,
        mailBefore: Timestamp,
        unconfirmedFollowsBefore: Timestamp
    ) {
        self.contactsOfIssuesClosedBefore = contactsOfIssuesClosedBefore
        self.heldReportsBefore = heldReportsBefore
        self.flagsBefore = flagsBefore
        self.open311DetailsBefore = open311DetailsBefore
        self.mailBefore = mailBefore
        self.unconfirmedFollowsBefore = unconfirmedFollowsBefore
    }
}

/// What one run of the retention job deleted, by kind.
package struct RetentionReport: Sendable, Equatable {
    package var contacts = 0
    package var follows = 0
    package var heldReports = 0
    package var flags = 0
    package var open311Details = 0
    package var mails = 0
    /// Sealed contact details (`contact` events) whose bodies were withheld.
    package var sealedContacts = 0

    package init() {}

    package var total: Int { contacts + follows + heldReports + flags + open311Details + mails + sealedContacts }

    package var summary: String {
        "contacts \(contacts), follows \(follows), held reports \(heldReports), flags \(flags), Open311 texts \(open311Details), mails \(mails), sealed contacts \(sealedContacts)"
    }
}

/// Everything this node's private tables hold about one person, found by
/// their e-mail address or phone number: what `cix subject` shows, exports
/// and erases.
package struct SubjectRecords: Sendable, Equatable {
    package var contacts: [ReporterContact] = []
    package var follows: [MailFollow] = []
    package var mails: [SubjectMail] = []
    package var heldReports: [HeldReport] = []
    package var open311: [SubjectOpen311Entry] = []

    package init() {}

    package var isEmpty: Bool {
        contacts.isEmpty && follows.isEmpty && mails.isEmpty && heldReports.isEmpty && open311.isEmpty
    }
}

/// A mail to the person, waiting or sent.
package struct SubjectMail: Sendable, Equatable {
    package let id: Int64
    package let subject: String
    package let createdAt: Timestamp
    package let sentAt: Timestamp?

    package init(id: Int64, subject: String, createdAt: Timestamp, sentAt: Timestamp?) {
        self.id = id
        self.subject = subject
        self.createdAt = createdAt
        self.sentAt = sentAt
    }
}

/// An Open311 post whose logged text names the person.
package struct SubjectOpen311Entry: Sendable, Equatable {
    package let seq: Int64
    package let at: Timestamp
    package let action: String
    package let issue: String?
    package let details: String

    package init(seq: Int64, at: Timestamp, action: String, issue: String?, details: String) {
        self.seq = seq
        self.at = at
        self.action = action
        self.issue = issue
        self.details = details
    }
}
