/// A closed ring of points with an index for fast point location.
///
/// The ring's y-range is cut into horizontal bands, each listing the edges
/// that cross it, so locating a point tests only the edges of its band: a few
/// edges instead of hundreds, which keeps routing fast for detailed boundaries.
package struct Ring: Sendable {
    package enum Location: Sendable { case inside, boundary, outside }

    package let points: [Point]
    let bounds: Bounds
    private let bands: [[Int32]]
    private let bandHeight: Double

    init(points: [Point]) throws(RoutingError) {
        var points = points
        if points.count >= 2, points.first != points.last, let first = points.first { points.append(first) }
        guard points.count >= 4 else { throw RoutingError("a ring needs at least three distinct points") }
        self.points = points
        var bounds = Bounds.empty
        for point in points {
            bounds = bounds.union(Bounds(minX: point.x, minY: point.y, maxX: point.x, maxY: point.y))
        }
        self.bounds = bounds
        let count = max(1, min(256, (points.count - 1) / 4))
        let height = max((bounds.maxY - bounds.minY) / Double(count), .leastNonzeroMagnitude)
        var bands = [[Int32]](repeating: [], count: count)
        for index in 0..<(points.count - 1) {
            let (a, b) = (points[index], points[index + 1])
            let low = Self.band(min(a.y, b.y), minY: bounds.minY, height: height, count: count)
            let high = Self.band(max(a.y, b.y), minY: bounds.minY, height: height, count: count)
            for band in low...high { bands[band].append(Int32(index)) }
        }
        self.bands = bands
        self.bandHeight = height
    }

    static func band(_ y: Double, minY: Double, height: Double, count: Int) -> Int {
        min(count - 1, max(0, Int((y - minY) / height)))
    }

    /// Where the point lies: inside, on the boundary, or outside (even-odd rule).
    package func locate(x: Double, y: Double) -> Location {
        guard bounds.contains(x: x, y: y) else { return .outside }
        var inside = false
        for index in bands[Self.band(y, minY: bounds.minY, height: bandHeight, count: bands.count)] {
            let a = points[Int(index)]
            let b = points[Int(index) + 1]
            if Self.onSegment(x: x, y: y, a, b) { return .boundary }
            // Half-open rule: an edge counts when it straddles the horizontal line through the point.
            if (a.y > y) != (b.y > y) {
                let crossing = a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y)
                if x < crossing { inside.toggle() }
            }
        }
        return inside ? .inside : .outside
    }

    static func onSegment(x: Double, y: Double, _ a: Point, _ b: Point) -> Bool {
        guard x >= min(a.x, b.x), x <= max(a.x, b.x), y >= min(a.y, b.y), y <= max(a.y, b.y) else { return false }
        let cross = (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x)
        let scale = max(abs(b.x - a.x), abs(b.y - a.y), 1e-12)
        return abs(cross) <= 1e-12 * scale
    }
}
