import CIXStore

/// A failure of a node operation, in words an operator can act on.
package struct NodeError: Error, Sendable, CustomStringConvertible {
    package enum Code: String, Sendable {
        case alreadyInitialised = "already_initialised"
        case notInitialised = "not_initialised"
        case badConfig = "bad_config"
        case badKeyFile = "bad_key_file"
        case readOnly = "read_only"
        case notFound = "not_found"
        case invalidInput = "invalid_input"
        /// A daemon already runs on this data directory.
        case alreadyRunning = "already_running"
        case io
        /// The store cannot take writes right now (disk full, I/O error): nothing was done; try again later.
        case unavailable
        /// A read took longer than its request allows (`StoreReadBudget`): try a narrower one, or later.
        case timedOut = "timed_out"
    }

    package let code: Code
    package let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }

    /// A store failure, keeping whether it was the storage's fault (`unavailable`) or a read cut
    /// off at its request's time (`timedOut`).
    package init(_ error: StoreError) {
        let code: Code =
            switch error.code {
            case .unavailable: .unavailable
            case .timedOut: .timedOut
            default: .io
            }
        self.init(code, error.description)
    }

    static func io(_ what: String, _ error: any Error) -> Self {
        Self(.io, "\(what): \(error)")
    }
}
