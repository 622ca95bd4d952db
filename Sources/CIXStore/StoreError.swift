/// A failure of the store, with what was being done and the underlying cause.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case cannotOpen = "cannot_open"
        case database
        case corrupt
        case notFound = "not_found"
    }

    public let code: Code
    public let message: String
    public let cause: (any Error & Sendable)?

    public var description: String {
        if let cause { return "\(message): \(cause)" }
        return message
    }

    static func cannotOpen(_ path: String, cause: any Error) -> Self {
        Self(code: .cannotOpen, message: "cannot open the store at \(path)", cause: cause as? any Error & Sendable)
    }

    static func database(_ operation: String, cause: any Error) -> Self {
        Self(code: .database, message: "store failed while \(operation)", cause: cause as? any Error & Sendable)
    }

    static func corrupt(_ message: String) -> Self {
        Self(code: .corrupt, message: message, cause: nil)
    }

    public static func notFound(_ message: String) -> Self {
        Self(code: .notFound, message: message, cause: nil)
    }
}
