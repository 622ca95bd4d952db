/// Why a report did not reach a body not on CIX, or its answers were not read.
package struct BridgeError: Error, Sendable, CustomStringConvertible {
    /// Whether trying again later may help (no answer, a server error, a rate limit).
    package let retryable: Bool
    package let message: String

    package static func retry(_ message: String) -> BridgeError { BridgeError(retryable: true, message: message) }
    package static func refused(_ message: String) -> BridgeError { BridgeError(retryable: false, message: message) }

    package var description: String { message }
}
