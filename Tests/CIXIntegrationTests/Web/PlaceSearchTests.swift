import CIXCore
import CIXNode
import CIXTesting
import Foundation
import Testing

/// A resident finds "Mill Lane" rather than typing coordinates: a gazetteer
/// imported by the real `cix`, searched by the real report page, without
/// JavaScript.
@Suite("Finding a street or place", .serialized)
struct PlaceSearchTests {
    static let geoJSON = """
        {"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"name": "Mill Lane", "kind": "street"},
           "geometry": {"type": "LineString", "coordinates": [[0.1200, 52.2000], [0.1210, 52.2010], [0.1220, 52.2020]]}},
          {"type": "Feature", "properties": {"name": "Mill Road", "kind": "street"},
           "geometry": {"type": "MultiLineString", "coordinates": [[[0.13, 52.19], [0.15, 52.21]]]}},
          {"type": "Feature", "properties": {"name": "Christ's Pieces", "kind": "park"},
           "geometry": {"type": "Polygon", "coordinates": [[[0.10, 52.20], [0.12, 52.20], [0.12, 52.22], [0.10, 52.20]]]}},
          {"type": "Feature", "properties": {"name": "Église Saint-Pierre", "kind": "church"},
           "geometry": {"type": "Point", "coordinates": [0.1234, 52.2345]}}
        ]}
        """

    @Test func aGazetteerIsImportedAndSearchedFromTheReportForm() async throws {
        let folder = TemporaryDirectory("places")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        defer { Task { await council.stop() } }
        let web = WebClient(node: council)
        let cli = CLI(data: council.node.directory.root.path)
        #expect(!(try await web.get("/report")).text.contains("Find a street or place"), "no gazetteer, no finder")

        // A bad file is refused whole, naming its first problems; nothing is taken.
        let bad = folder.file("bad.csv")
        try Data("name,lat,lon\nHigh Street,52.2,0.1\n,52.2,0.1\nStation Road,95,0.1\n".utf8).write(to: bad)
        let refused = try await cli.runAsync(["gazetteer", "import", bad.path])
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("line 3: a name") && refused.stderr.contains("line 4: Station Road: a latitude")
        )
        #expect(try !council.node.gazetteer.hasPlaces())

        let file = folder.file("places.geojson")
        try Data(Self.geoJSON.utf8).write(to: file)
        let imported = try await cli.runAsync(["gazetteer", "import", file.path])
        #expect(imported.status == 0 && imported.stdout.contains("now holds 4 places"), "\(imported.stderr)")
        let search = try await cli.runAsync(["gazetteer", "search", "mill l"])
        #expect(search.stdout.hasPrefix("52.201000 0.121000  Mill Lane (street)"), "\(search.stdout)")
        #expect(!search.stdout.contains("Mill Road"))
        // Accents need not be typed; a polygon is found by the middle of its bounds.
        #expect(try council.node.searchPlaces("eglise").map(\.name) == ["Église Saint-Pierre"])
        let park = try #require(try council.node.searchPlaces("christ").first)
        #expect(park.latitude == 52.21 && park.longitude == 0.11)

        // The form: a search of its own, whose results fill in where the problem is.
        let found = try await web.get("/report?place=mill")
        #expect(found.status == 200)
        #expect(found.text.contains("2 places match “mill”"))
        let link = "/report?lat=52.201000&amp;lon=0.121000&amp;address=Mill%20Lane#where"
        #expect(found.text.contains("<a href=\"\(link)\">Mill Lane</a> (street)"), "\(found.text)")
        let chosen = try await web.get(link.replacingOccurrences(of: "&amp;", with: "&"))
        #expect(
            chosen.text.contains(
                "id=\"lat\" name=\"lat\" required inputmode=\"decimal\" aria-describedby=\"where-help\" value=\"52.201\""
            )
        )
        #expect(chosen.text.contains("id=\"address\" name=\"address\" maxlength=\"300\" value=\"Mill Lane\""))
        let nothing = try await web.get("/report?place=nowhere%20street")
        #expect(nothing.text.contains("No street or place called “nowhere street” is known here."))
        let hostile = try await web.get("/report?place=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        #expect(!hostile.text.contains("<script>alert(1)") && hostile.text.contains("&lt;script&gt;"))

        // Imported again, the file replaces what was there.
        let csv = folder.file("places.csv")
        try Data("name,latitude,longitude,kind\n\"Mill Lane, Trumpington\",52.17,0.11,street\n".utf8).write(to: csv)
        let replaced = try await cli.runAsync(["gazetteer", "import", csv.path])
        #expect(replaced.status == 0)
        #expect(try council.node.searchPlaces("mill").map(\.name) == ["Mill Lane, Trumpington"])
    }
}
