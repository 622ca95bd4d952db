/// A failure of the store, with what was being done and the underlying cause.
package struct StoreError: Error, Sendable, CustomStringConvertible {
    package enum Code: String, Sendable {
        case cannotOpen = "cannot_open"
        case database
        case corrupt
        case notFound = "not_found"
        /// The change conflicts with what is held (a name already taken).
        case conflict
        /// The storage cannot take the operation now (disk full, I/O error, locked):
        /// nothing was changed, and the same operation may succeed later.
        case unavailable
        /// The store would not make commits durable.
        case notDurable = "not_durable"
        /// A read ran past the time its request allows (`StoreReadBudget`); nothing was changed.
        case timedOut = "timed_out"
    }

    package let code: Code
    package let message: String
    package let cause: (any Error & Sendable)?

    package init(code: Code, message: String, cause: (any Error & Sendable)?) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    package var description: String {
        if let cause { return "\(message): \(cause)" }
        return message
    }

    package static func cannotOpen(_ path: String, cause: any Error) -> Self {
        Self(code: .cannotOpen, message: "cannot open the store at \(path)", cause: cause)
    }

    /// A failure of the backend: `unavailable` when the storage itself failed
    /// (full, an I/O error including a failed sync, busy or locked), `database` otherwise.
    package static func backend(_ operation: String, cause: any Error, storageFault: Bool) -> Self {
        storageFault
            ? Self(
                code: .unavailable,
                message: "the store cannot take writes right now while \(operation)",
                cause: cause
            )
            : Self(code: .database, message: "store failed while \(operation)", cause: cause)
    }

    package static func notDurable(_ path: String, mode: String) -> Self {
        Self(
            code: .notDurable,
            message:
                "the store at \(path) runs with synchronous=\(mode), not full: acknowledged writes could be lost in a power cut, so the node refuses to run",
            cause: nil
        )
    }

    /// A read cancelled by the store after the `seconds` its request allows.
    package static func timedOut(_ operation: String, seconds: Int) -> Self {
        Self(
            code: .timedOut,
            message:
                "this took longer than the \(seconds) s this node allows a request's query (\(operation)): a narrower search, or the same request a moment later, may succeed",
            cause: nil
        )
    }

    package static func corrupt(_ message: String) -> Self {
        Self(code: .corrupt, message: message, cause: nil)
    }

    package static func conflict(_ message: String) -> Self {
        Self(code: .conflict, message: message, cause: nil)
    }

    package static func notFound(_ message: String) -> Self {
        Self(code: .notFound, message: message, cause: nil)
    }

    /// Whether the failure is of the storage, not of the request: retry later.
    package var isUnavailable: Bool { code == .unavailable }
}
