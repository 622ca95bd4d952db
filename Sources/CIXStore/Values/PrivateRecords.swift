import CIXCore
import Foundation

/// A resident's contact details, given to this node with a report.
///
/// Private to this node: held apart from the log, which no export,
/// federation, page or feed reads. Only the pseudonymous `reporter` handle
/// enters the event.
package struct ReporterContact: Sendable, Equatable {
    package let issue: String
    package let reporter: String
    package let name: String?
    package let email: String?
    package let phone: String?
    package let givenAt: Timestamp
    /// Set when the resident asked to hear about the report by e-mail: the secret of the
    /// links in those mails (their follow of the issue is kept with the contact).
    package let updatesToken: String?
    /// The language the report was made in, for those mails.
    package let language: String
    /// The resident agreed that the bodies handling the report may contact them.
    package let mayShare: Bool

    package init(
        issue: String,
        reporter: String,
        name: String?,
        email: String?,
        phone: String?,
        givenAt: Timestamp,
        updatesToken: String? = nil,
        language: String = "en",
        mayShare: Bool = false
    ) {
        self.language = language
        self.mayShare = mayShare
        self.issue = issue
        self.reporter = reporter
        self.name = name
        self.email = email
        self.phone = phone
        self.givenAt = givenAt
        self.updatesToken = updatesToken
    }
}

/// An Open311 API key as listed; the key itself is never stored.
package struct APIKey: Sendable, Equatable {
    package let id: Int64
    package let name: String
    package let createdAt: Timestamp
    package let revokedAt: Timestamp?

    package init(id: Int64, name: String, createdAt: Timestamp, revokedAt: Timestamp?) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// A stored photo: bytes already re-encoded without metadata.
package struct StoredAttachment: Sendable, Equatable {
    /// SHA-256 of `bytes`, lower-case hex.
    package let hash: String
    /// Media type: image/jpeg or image/png.
    package let type: String
    package let bytes: Data

    package init(hash: String, type: String, bytes: Data) {
        self.hash = hash
        self.type = type
        self.bytes = bytes
    }
}

/// A resident's report waiting for a moderator: what they sent (contact
/// details included) and its photos, already re-encoded. Private: it has no
/// signature and no id outside this node until it is approved.
package struct HeldReport: Sendable, Equatable {
    package let id: Int64
    package let receivedAt: Timestamp
    /// The submission's fields as a JSON object (see `ReportSubmission.heldFields`).
    package let fields: String
    package let photos: [StoredPhoto]

    /// A held photo: re-encoded bytes and their media type.
    package struct StoredPhoto: Sendable, Equatable {
        package let type: String
        package let bytes: Data

        package init(type: String, bytes: Data) {
            self.type = type
            self.bytes = bytes
        }
    }

    package init(id: Int64, receivedAt: Timestamp, fields: String, photos: [StoredPhoto]) {
        self.id = id
        self.receivedAt = receivedAt
        self.fields = fields
        self.photos = photos
    }
}
