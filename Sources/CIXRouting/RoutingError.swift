/// Why an area, a rule or a taxonomy entry is not acceptable.
public struct RoutingError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
