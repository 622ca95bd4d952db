import CIXCanonicalJSON

/// Validation of the areas nodes serve: GeoJSON Polygon and MultiPolygon (RFC 7946).
enum GeoJSONArea {
    static func validate(_ value: JSONValue, maxPositions: Int, path: String) throws(CoreError) {
        func fail(_ reason: String) -> CoreError { .schema("\(path) \(reason)") }
        guard let object = value.objectValue, let type = object["type"]?.stringValue,
            let coordinates = object["coordinates"]?.arrayValue, object.count == 2
        else { throw fail("must be a GeoJSON geometry with exactly type and coordinates") }
        let polygons: [[JSONValue]]
        switch type {
        case "Polygon": polygons = [coordinates]
        case "MultiPolygon":
            polygons = try coordinates.map { (polygon: JSONValue) throws(CoreError) -> [JSONValue] in
                guard let rings = polygon.arrayValue else { throw fail("has a polygon that is not an array of rings") }
                return rings
            }
        default: throw fail("must be a Polygon or MultiPolygon, not \(type)")
        }
        guard !polygons.isEmpty else { throw fail("has no polygons") }
        var positions = 0
        for rings in polygons {
            guard !rings.isEmpty else { throw fail("has a polygon without rings") }
            for ring in rings {
                guard let points = ring.arrayValue, points.count >= 4 else {
                    throw fail("has a ring with fewer than four positions")
                }
                positions += points.count
                guard positions <= maxPositions else { throw fail("has more than \(maxPositions) positions") }
                for point in points {
                    guard let pair = point.arrayValue, pair.count == 2, let lon = pair[0].numberValue,
                        let lat = pair[1].numberValue, (-180...180).contains(lon), (-90...90).contains(lat)
                    else { throw fail("has a position that is not [longitude, latitude] in range") }
                }
                guard points.first == points.last else { throw fail("has a ring that is not closed") }
            }
        }
    }
}
