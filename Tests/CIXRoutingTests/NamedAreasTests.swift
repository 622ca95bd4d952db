import CIXRouting
import Testing

/// Reading `[staff] areas_file`: what is accepted, and each refusal names its feature.
@Suite("Named areas")
struct NamedAreasTests {
    static func feature(_ name: String, _ ring: String, type: String = "Polygon") -> String {
        """
        {"type": "Feature", "properties": {"name": "\(name)"}, "geometry": {"type": "\(type)", "coordinates": [\(ring)]}}
        """
    }

    static let square = "[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]"
    static let nextSquare = "[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]"

    static func collection(_ features: [String]) -> [UInt8] {
        Array("{\"type\": \"FeatureCollection\", \"features\": [\(features.joined(separator: ","))]}".utf8)
    }

    @Test func pointsAreInEveryAreaHoldingThem() throws {
        let areas = try NamedAreas(
            geoJSON: Self.collection([
                Self.feature("West", Self.square), Self.feature("East", "[\(Self.nextSquare)]", type: "MultiPolygon"),
            ])
        )
        #expect(areas.names == ["West", "East"])
        #expect(areas.names(longitude: 0.5, latitude: 0.5) == ["West"])
        #expect(areas.names(longitude: 1.5, latitude: 0.5) == ["East"])
        // On the shared edge: in both, in the file's order.
        #expect(areas.names(longitude: 1, latitude: 0.5) == ["West", "East"])
        #expect(areas.names(longitude: 5, latitude: 5).isEmpty)
        #expect(areas.fingerprint.count == 64)
        #expect(NamedAreas.none.isEmpty)
    }

    @Test(arguments: [
        (#"{"type": "Polygon", "coordinates": []}"#, "the areas file must be a GeoJSON FeatureCollection"),
        (#"{"type": "FeatureCollection", "features": []}"#, "the areas file must hold 1 to 1000 features, not 0"),
        ("not json", "the areas file is not JSON"),
        (
            #"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": null}]}"#,
            "feature 1 needs properties.name"
        ),
        (
            #"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "A"}, "geometry": {"type": "Point", "coordinates": [0, 0]}}]}"#,
            "feature 1 (A) needs a Polygon or MultiPolygon geometry"
        ),
        (
            #"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "A"}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0]]]}}]}"#,
            "feature 1 (A): "
        ),
    ])
    func badFilesAreRefusedSayingWhere(_ text: String, _ message: String) {
        #expect {
            try NamedAreas(geoJSON: Array(text.utf8))
        } throws: { error in
            (error as? RoutingError)?.message.contains(message) == true
        }
    }

    @Test func aNameUsedTwiceIsRefused() {
        #expect {
            try NamedAreas(geoJSON: Self.collection([Self.feature("A", Self.square), Self.feature("A", Self.square)]))
        } throws: { error in
            (error as? RoutingError)?.message == "feature 2: the name A is used twice"
        }
    }
}
