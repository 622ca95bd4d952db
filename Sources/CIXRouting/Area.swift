import CIXCanonicalJSON

/// An area a node serves: GeoJSON Polygon or MultiPolygon (RFC 7946), with holes.
///
/// Points on an edge or a vertex count as inside, for outer rings and holes
/// alike (a hole's edge is the area's edge), so that a report exactly on a
/// shared boundary reaches both neighbours rather than neither. Coordinates
/// are [longitude, latitude] in degrees, treated as planar: the areas a place
/// uses are small enough that the difference from geodesic edges is far below
/// the accuracy of a reported location.
package struct Area: Sendable {
    package let polygons: [Polygon]
    package let bounds: Bounds

    package init(polygons: [Polygon]) {
        self.polygons = polygons
        self.bounds = polygons.map(\.bounds).reduce(Bounds.empty) { $0.union($1) }
    }

    /// Reads a GeoJSON Polygon or MultiPolygon, or a Feature or FeatureCollection of them
    /// (already validated by the descriptor schema, or not).
    package init(geoJSON object: JSONObject) throws(RoutingError) {
        guard let type = object["type"]?.stringValue else {
            throw RoutingError("an area must be a GeoJSON object with a type")
        }
        let coordinates = object["coordinates"]?.arrayValue ?? []
        if (type == "Polygon" || type == "MultiPolygon") && object["coordinates"]?.arrayValue == nil {
            throw RoutingError("a \(type) needs coordinates")
        }
        switch type {
        case "Polygon": self.init(polygons: [try Polygon(rings: coordinates)])
        case "MultiPolygon":
            var polygons: [Polygon] = []
            for polygon in coordinates {
                guard let rings = polygon.arrayValue else { throw RoutingError("a MultiPolygon holds arrays of rings") }
                polygons.append(try Polygon(rings: rings))
            }
            self.init(polygons: polygons)
        case "Feature":
            guard let geometry = object["geometry"]?.objectValue else {
                throw RoutingError("a Feature needs a geometry")
            }
            try self.init(geoJSON: geometry)
        case "FeatureCollection":
            var polygons: [Polygon] = []
            for feature in object["features"]?.arrayValue ?? [] {
                guard let feature = feature.objectValue else { continue }
                polygons.append(contentsOf: try Area(geoJSON: feature).polygons)
            }
            guard !polygons.isEmpty else { throw RoutingError("the FeatureCollection holds no polygons") }
            self.init(polygons: polygons)
        default:
            throw RoutingError("an area must be a Polygon, MultiPolygon, Feature or FeatureCollection, not \(type)")
        }
    }

    package func contains(latitude: Double, longitude: Double) -> Bool {
        guard bounds.contains(x: longitude, y: latitude) else { return false }
        return polygons.contains { $0.contains(x: longitude, y: latitude) }
    }

    /// The area as a GeoJSON MultiPolygon object, for descriptors.
    package var geoJSON: JSONObject {
        JSONObject([
            "type": "MultiPolygon",
            "coordinates": .array(
                polygons.map { polygon in
                    .array(
                        polygon.rings.map { ring in
                            .array(ring.points.map { .array([.number($0.x), .number($0.y)]) })
                        }
                    )
                }
            ),
        ])
    }
}

/// An axis-aligned box.
package struct Bounds: Sendable, Equatable {
    package var minX, minY, maxX, maxY: Double

    static let empty = Bounds(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)

    func contains(x: Double, y: Double) -> Bool { x >= minX && x <= maxX && y >= minY && y <= maxY }

    func union(_ other: Bounds) -> Bounds {
        Bounds(
            minX: min(minX, other.minX),
            minY: min(minY, other.minY),
            maxX: max(maxX, other.maxX),
            maxY: max(maxY, other.maxY)
        )
    }
}
