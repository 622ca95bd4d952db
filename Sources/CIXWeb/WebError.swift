/// A request the pages cannot answer, with the HTTP status to answer it with
/// and a message written for the person who sent it.
public struct WebError: Error, Sendable, CustomStringConvertible {
    public let status: Int
    public let message: String

    public init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }
}
