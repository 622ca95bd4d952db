import GRDB

/// A failure of the store, with what was being done and the underlying cause.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case cannotOpen = "cannot_open"
        case database
        case corrupt
        case notFound = "not_found"
        /// The storage cannot take the operation now (disk full, I/O error, locked):
        /// nothing was changed, and the same operation may succeed later.
        case unavailable
        /// The store would not make commits durable.
        case notDurable = "not_durable"
    }

    public let code: Code
    public let message: String
    public let cause: (any Error & Sendable)?

    public var description: String {
        if let cause { return "\(message): \(cause)" }
        return message
    }

    static func cannotOpen(_ path: String, cause: any Error) -> Self {
        Self(code: .cannotOpen, message: "cannot open the store at \(path)", cause: cause)
    }

    /// A failure of SQLite: `unavailable` when the storage itself failed (full,
    /// I/O error including a failed sync, busy or locked), `database` otherwise.
    static func database(_ operation: String, cause: any Error) -> Self {
        let storageFault: [ResultCode] = [.SQLITE_FULL, .SQLITE_IOERR, .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_NOMEM, .SQLITE_CANTOPEN]
        if let error = cause as? DatabaseError, storageFault.contains(error.resultCode.primaryResultCode) {
            return Self(
                code: .unavailable, message: "the store cannot take writes right now while \(operation)",
                cause: error)
        }
        return Self(code: .database, message: "store failed while \(operation)", cause: cause)
    }

    static func notDurable(_ path: String, mode: String) -> Self {
        Self(
            code: .notDurable,
            message: "the store at \(path) runs with synchronous=\(mode), not full: acknowledged writes could be lost in a power cut, so the node refuses to run",
            cause: nil)
    }

    /// Whether the failure is of the storage, not of the request: retry later.
    public var isUnavailable: Bool { code == .unavailable }

    static func corrupt(_ message: String) -> Self {
        Self(code: .corrupt, message: message, cause: nil)
    }

    public static func notFound(_ message: String) -> Self {
        Self(code: .notFound, message: message, cause: nil)
    }
}
