import ArgumentParser
import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXRouting
import Foundation

struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "See and steer where reports go.",
        subcommands: [Explain.self, RouteSendCommand.self]
    )

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show which nodes would receive a report of this category at this place, and why."
        )
        @OptionGroup var data: DataOptions
        @Option(help: "Category code (see `cix categories list`).") var category: String
        @Option(parsing: .unconditional, help: "Latitude, WGS84 degrees.") var lat: Double
        @Option(parsing: .unconditional, help: "Longitude, WGS84 degrees.") var lon: Double
        @OptionGroup var output: JSONOption

        func validate() throws {
            guard Taxonomy.category(category) != nil else {
                throw ValidationError("unknown category \"\(category)\"; see `cix categories list`")
            }
        }

        func run() throws {
            let node = try data.openNode()
            let recipients = try Output.run { () throws(NodeError) in
                try node.router().route(category: category, latitude: lat, longitude: lon)
            }
            if output.json {
                Output.printJSON(
                    .object(
                        JSONObject([
                            "category": .string(category), "lat": .number(lat), "lon": .number(lon),
                            "recipients": .array(
                                recipients.map {
                                    .object(
                                        JSONObject([
                                            "node": .string($0.node.hex), "name": .string($0.name),
                                            "reason": .string($0.reason),
                                        ])
                                    )
                                }
                            ),
                        ])
                    )
                )
                return
            }
            if recipients.isEmpty {
                print("No known node serves \(category) at \(lat), \(lon): a report would wait in the unrouted queue.")
            }
            for recipient in recipients {
                print("\(recipient.node.short)  \(pad(recipient.name, 36)) \(recipient.reason)")
            }
        }
    }
}

struct CategoriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "categories",
        abstract: "The shared category taxonomy.",
        subcommands: [List.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every category: code, name, group, Open311 code.",
            discussion:
                "The taxonomy is the protocol's, the same on every node; --data is accepted like everywhere else."
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var output: JSONOption

        func run() throws {
            if output.json {
                print(TaxonomyDocument.text, terminator: "")
                return
            }
            var group = ""
            for category in Taxonomy.categories {
                if category.group != group {
                    group = category.group
                    print(group)
                }
                print("  \(pad(category.code, 26)) \(pad(category.open311, 8)) \(category.name)")
            }
        }
    }
}

struct ServesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serves",
        abstract: "What this node answers for.",
        subcommands: [Set.self, Show.self]
    )

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set the categories and area this node serves; re-signs and republishes its descriptor.",
            discussion:
                "Peers learn the change on their next contact, without a restart. Issues waiting unrouted are routed again."
        )
        @OptionGroup var data: DataOptions
        @Option(help: ArgumentHelp("Comma-separated category codes.", valueName: "CODE,CODE...")) var categories:
            String?
        @Option(
            help: ArgumentHelp(
                "A GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection.",
                valueName: "FILE.geojson"
            )
        )
        var area: String?

        var codes: [String]? {
            categories.map {
                $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
        }

        func validate() throws {
            for code in codes ?? [] where Taxonomy.category(code) == nil {
                throw ValidationError("unknown category \"\(code)\"; see `cix categories list`")
            }
            guard categories != nil || area != nil else { throw ValidationError("give --categories, --area or both") }
        }

        func run() throws {
            let node = try data.openNode()
            var geometry: JSONObject??
            if let area {
                guard let data = FileManager.default.contents(atPath: area) else {
                    throw Output.fail("cannot read \(area)")
                }
                let parsed = try Output.run { () throws(CanonicalJSONError) in
                    try JSONParser(limits: .init(maxDepth: 16, maxBytes: 32 << 20)).parse(Array(data))
                }
                guard let object = parsed.objectValue else { throw Output.fail("\(area) is not a GeoJSON object") }
                let shape = try Output.run { () throws(RoutingError) in try Area(geoJSON: object) }
                geometry = .some(shape.geoJSON)
            }
            try Output.run { () throws(NodeError) in
                try node.publishDescriptor(now: .now(), categories: codes, area: geometry)
            }
            let routed = try Output.run { () throws(NodeError) in try node.routeUnrouted(now: .now()) }
            print("descriptor republished\(routed > 0 ? "; \(routed) waiting issues routed" : "")")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the categories and area in this node's descriptor."
        )
        @OptionGroup var data: DataOptions

        func run() throws {
            let node = try data.openNode()
            let descriptor = try Output.run { () throws(NodeError) in try node.ownDescriptor() }
            print("categories: \(descriptor?.categories.joined(separator: ", ") ?? "")")
            if let area = descriptor?.area, let shape = try? Area(geoJSON: area) {
                let b = shape.bounds
                print("area: \(shape.polygons.count) polygons within lon \(b.minX)…\(b.maxX), lat \(b.minY)…\(b.maxY)")
            } else {
                print("area: everywhere")
            }
        }
    }
}
