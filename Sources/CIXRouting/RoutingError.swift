/// Why an area, a rule or a taxonomy entry is not acceptable.
package struct RoutingError: Error, Sendable, CustomStringConvertible {
    package let message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
