import CIXCanonicalJSON
import CIXCore

/// The parts of its place a body divides its work by (wards, beats,
/// neighbourhoods), each with a name: staff grants can be limited to some of
/// them, the inbox filtered by them, and the figures counted per area.
///
/// Read from a GeoJSON FeatureCollection whose every Feature has a
/// `properties.name` and a Polygon or MultiPolygon geometry. Areas may
/// overlap (a report on a shared boundary is in both). Local to the node:
/// never published or federated.
package struct NamedAreas: Sendable {
    /// Most areas one file may name.
    package static let maxAreas = 1_000
    /// Longest area name, in characters.
    package static let maxNameLength = 100

    /// Areas in the file's order.
    package let areas: [(name: String, area: Area)]
    /// The SHA-256 of the file read (empty for none): it changes whenever the areas may have.
    package let fingerprint: String

    package static let none = NamedAreas(validated: [], fingerprint: "")

    private init(validated areas: [(name: String, area: Area)], fingerprint: String) {
        self.areas = areas
        self.fingerprint = fingerprint
    }

    /// Reads a FeatureCollection of named areas; every problem names the feature it is in.
    package init(geoJSON bytes: [UInt8]) throws(RoutingError) {
        let value: JSONValue
        do {
            value = try JSONParser(limits: .init(maxDepth: 16, maxBytes: 32 << 20)).parse(bytes)
        } catch {
            throw RoutingError("the areas file is not JSON: \(error)")
        }
        guard value["type"]?.stringValue == "FeatureCollection", let features = value["features"]?.arrayValue else {
            throw RoutingError("the areas file must be a GeoJSON FeatureCollection")
        }
        guard !features.isEmpty, features.count <= Self.maxAreas else {
            throw RoutingError("the areas file must hold 1 to \(Self.maxAreas) features, not \(features.count)")
        }
        var areas: [(name: String, area: Area)] = []
        var seen: Set<String> = []
        for (index, feature) in features.enumerated() {
            guard let object = feature.objectValue, object["type"]?.stringValue == "Feature" else {
                throw RoutingError("feature \(index + 1) is not a GeoJSON Feature")
            }
            guard let name = object["properties"]?["name"]?.stringValue,
                (1...Self.maxNameLength).contains(name.count), name.allSatisfy({ !$0.isNewline })
            else {
                throw RoutingError(
                    "feature \(index + 1) needs properties.name: 1 to \(Self.maxNameLength) characters on one line"
                )
            }
            guard seen.insert(name).inserted else {
                throw RoutingError("feature \(index + 1): the name \(name) is used twice")
            }
            guard let geometry = object["geometry"]?.objectValue,
                ["Polygon", "MultiPolygon"].contains(geometry["type"]?.stringValue ?? "")
            else {
                throw RoutingError("feature \(index + 1) (\(name)) needs a Polygon or MultiPolygon geometry")
            }
            do {
                areas.append((name, try Area(geoJSON: geometry)))
            } catch {
                throw RoutingError("feature \(index + 1) (\(name)): \(error.message)")
            }
        }
        self.init(validated: areas, fingerprint: SHA256Hex.hash(bytes))
    }

    package var names: [String] { areas.map(\.name) }
    package var isEmpty: Bool { areas.isEmpty }

    /// The names of every area holding the point, in the file's order.
    package func names(longitude: Double, latitude: Double) -> [String] {
        areas.filter { $0.area.contains(latitude: latitude, longitude: longitude) }.map(\.name)
    }
}
