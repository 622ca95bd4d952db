/// A failure of a node operation, in words an operator can act on.
public struct NodeError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case alreadyInitialised = "already_initialised"
        case notInitialised = "not_initialised"
        case badConfig = "bad_config"
        case badKeyFile = "bad_key_file"
        case readOnly = "read_only"
        case notFound = "not_found"
        case invalidInput = "invalid_input"
        case io
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    static func io(_ what: String, _ error: any Error) -> Self {
        Self(.io, "\(what): \(error)")
    }
}
