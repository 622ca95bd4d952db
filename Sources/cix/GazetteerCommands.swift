import ArgumentParser
import CIXNode
import Foundation

/// `cix gazetteer`: the streets and places residents can search for when they report.
struct GazetteerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gazetteer",
        abstract: "The streets and places of this node's area, for the report form's place search.",
        discussion: """
            Sources: an OpenStreetMap extract of named streets and places (for example from \
            `osmium tags-filter area.osm.pbf w/highway=*  n/place=*` then `osmium export -f geojson`), \
            or Ordnance Survey's OS Open Names as CSV (columns renamed to name, lat, lon, kind).
            """,
        subcommands: [Import.self, Search.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the gazetteer with the places of a GeoJSON or CSV file.",
            discussion: """
                GeoJSON: a FeatureCollection; each feature has properties.name (and optionally properties.kind) \
                and any geometry (a street's line is found by its middle point). CSV: a header line naming \
                name, lat (or latitude), lon (or longitude) and optionally kind. A file with any bad entry is \
                refused whole, naming the first ones; nothing is changed then.
                """
        )
        @OptionGroup var data: DataOptions
        @Argument(help: "The GeoJSON or CSV file.") var file: String

        func run() throws {
            let node = try data.openNode()
            let count = try Output.run { () throws(NodeError) in
                try node.importGazetteer(from: URL(fileURLWithPath: file))
            }
            print("The gazetteer now holds \(count) places from \(file).")
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Search the gazetteer as the report form does.")
        @OptionGroup var data: DataOptions
        @Argument(help: "Words of the name; the last may be the start of a word.") var text: String

        func run() throws {
            let node = try data.openNode()
            let places = try Output.run { () throws(NodeError) in try node.searchPlaces(text) }
            if places.isEmpty { print("No place matches.") }
            for place in places {
                print(
                    "\(String(format: "%.6f", place.latitude)) \(String(format: "%.6f", place.longitude))  \(place.name)\(place.kind.isEmpty ? "" : " (\(place.kind))")"
                )
            }
        }
    }
}
