import CIXStore

/// A staff operation that failed, with a message a member of staff or an operator can act on.
package struct StaffError: Error, Sendable, CustomStringConvertible {
    package enum Code: String, Sendable {
        /// Login, password or code wrong: said the same way whichever it was.
        case signInFailed = "sign_in_failed"
        /// Too many failures: the account or address must wait.
        case throttled
        case invalidInput = "invalid_input"
        case notFound = "not_found"
        case forbidden
        case conflict
        case storage
    }

    package let code: Code
    package let message: String
    /// Seconds to wait, for `throttled`.
    package let retryAfter: Int?

    package init(_ code: Code, _ message: String, retryAfter: Int? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    package init(_ error: StoreError) {
        self.init(error.code == .conflict ? .conflict : .storage, error.message)
    }

    package var description: String { message }
}
