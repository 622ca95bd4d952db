import CIXCanonicalJSON

/// A polygon: an outer ring and any number of holes.
package struct Polygon: Sendable {
    package let rings: [Ring]
    package var bounds: Bounds { rings.first?.bounds ?? .empty }

    init(rings coordinates: [JSONValue]) throws(RoutingError) {
        guard !coordinates.isEmpty else { throw RoutingError("a polygon needs an outer ring") }
        var rings: [Ring] = []
        for ring in coordinates {
            guard let positions = ring.arrayValue else { throw RoutingError("a ring is an array of positions") }
            var points: [Point] = []
            for position in positions {
                guard let pair = position.arrayValue, pair.count >= 2, let x = pair[0].numberValue,
                    let y = pair[1].numberValue,
                    (-180...180).contains(x), (-90...90).contains(y)
                else { throw RoutingError("a position is [longitude, latitude] in range") }
                points.append(Point(x: x, y: y))
            }
            rings.append(try Ring(points: points))
        }
        self.rings = rings
    }

    package init(outer: [Point], holes: [[Point]] = []) throws(RoutingError) {
        var rings = [try Ring(points: outer)]
        for hole in holes { rings.append(try Ring(points: hole)) }
        self.rings = rings
    }

    /// Inside the outer ring (edges included) and not strictly inside any hole.
    package func contains(x: Double, y: Double) -> Bool {
        guard let outer = rings.first, outer.locate(x: x, y: y) != .outside else { return false }
        for hole in rings.dropFirst() where hole.locate(x: x, y: y) == .inside { return false }
        return true
    }
}

package struct Point: Sendable, Equatable {
    package var x: Double
    package var y: Double

    package init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}
