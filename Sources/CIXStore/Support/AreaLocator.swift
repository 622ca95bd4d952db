/// The node's named areas (`[staff] areas_file`) as a store sees them: which of them hold a
/// point, and a fingerprint that changes whenever their definitions do. A store keeps each
/// issue's areas beside its projection (so that a staff query limited to areas reads an
/// index rather than testing polygons), and works them all out again when it is opened with
/// a fingerprint other than the one it last used.
package struct AreaLocator: Sendable {
    package let fingerprint: String
    /// The names of the areas holding the point (longitude, latitude).
    package let locate: @Sendable (Double, Double) -> [String]

    package init(fingerprint: String, locate: @escaping @Sendable (Double, Double) -> [String]) {
        self.fingerprint = fingerprint
        self.locate = locate
    }

    /// No named areas.
    package static let none = AreaLocator(fingerprint: "", locate: { _, _ in [] })
}
