/// Why a message could not be written or sent, in words an operator can act on.
package struct MailError: Error, Sendable, CustomStringConvertible {
    package enum Code: String, Sendable {
        /// An address, name or subject that cannot go into a header (a line break, a control character).
        case badHeader
        /// The relay could not be reached, or the connection broke: worth trying again later.
        case unreachable
        /// The relay answered with a temporary failure (4xx): worth trying again later.
        case temporary
        /// The relay refused for good (5xx), or does not offer what the settings require (STARTTLS).
        case refused
    }

    package let code: Code
    package let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Whether sending again later may succeed.
    package var isTransient: Bool { code == .unreachable || code == .temporary }

    package var description: String { message }
}
