/// Why an uploaded photo was refused.
package struct PhotoError: Error, Sendable, CustomStringConvertible {
    package let message: String

    init(_ message: String) { self.message = message }

    package var description: String { message }
}
