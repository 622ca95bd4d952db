import CIXCore
import Foundation

/// A resident's contact details, given to this node with a report.
///
/// Private to this node: held apart from the log, which no export,
/// federation, page or feed reads. Only the pseudonymous `reporter` handle
/// enters the event.
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

/// An Open311 API key as listed; the key itself is never stored.
public struct APIKey: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let createdAt: Timestamp
    public let revokedAt: Timestamp?

    package init(id: Int64, name: String, createdAt: Timestamp, revokedAt: Timestamp?) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// A stored photo: bytes already re-encoded without metadata.
public struct StoredAttachment: Sendable, Equatable {
    /// SHA-256 of `bytes`, lower-case hex.
    public let hash: String
    /// Media type: image/jpeg or image/png.
    public let type: String
    public let bytes: Data

    package init(hash: String, type: String, bytes: Data) {
        self.hash = hash
        self.type = type
        self.bytes = bytes
    }
}
