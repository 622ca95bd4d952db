/// A request the pages cannot answer, with the HTTP status to answer it with
/// and a message written for the person who sent it.
package struct WebError: Error, Sendable, CustomStringConvertible {
    package let status: Int
    package let message: String

    package init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    package var description: String { message }
}
