import CIXCore
import CIXNode
import CIXRouting
import CIXStore
import Foundation

/// What every page needs to know about the node that serves it.
package struct Site: Sendable {
    package let node: LocalNode
    /// Node names by id (hex), from the verified descriptors this node holds.
    package let names: [String: String]
    /// The map's tile URL template (`{z}/{x}/{y}`), or nil for a plain background.
    package let tiles: String?
    package let tileAttribution: String

    package init(node: LocalNode, names: [String: String]) {
        self.node = node
        self.names = names
        let configured = node.config.web?.tiles ?? WebConfig.defaultTiles
        tiles = configured.isEmpty ? nil : configured
        tileAttribution = node.config.web?.tile_attribution ?? WebConfig.defaultAttribution
    }

    package var name: String { node.config.node.name }
    /// Intake nodes take reports and contributions from residents; mirrors only show.
    package var takesReports: Bool { node.authors }
    /// Whether residents can ask for e-mail here (`[mail]` is set on a node that takes reports).
    package var mailsResidents: Bool { takesReports && node.config.mail != nil }
    /// The node's public address, without a trailing slash, for absolute links in feeds.
    package var baseURL: String {
        node.config.node.url.hasSuffix("/") ? String(node.config.node.url.dropLast()) : node.config.node.url
    }

    /// The site of `node`, naming nodes from its store.
    package static func load(_ node: LocalNode) throws(StoreError) -> Site {
        Site(node: node, names: try node.store.nodeNames())
    }

    /// Every known node that takes reports, by name, for "report here instead".
    package func intakeNodes() throws(StoreError) -> [(name: String, url: String)] {
        try node.store.descriptors().filter { $0.kind != .mirror }.sorted { $0.name < $1.name }.map {
            ($0.name, $0.url)
        }
    }

    package func name(of node: String) -> String { names[node] ?? "node \(node.prefix(8))" }

    /// The origin (scheme://host[:port]) of the tile server, for the Content-Security-Policy.
    package var tileOrigin: String? {
        guard let tiles,
            let url = URL(
                string: tiles.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")
            ),
            let scheme = url.scheme, let host = url.host
        else { return nil }
        return "\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")"
    }

    package static func categoryName(_ code: String?) -> String {
        guard let code else { return "Uncategorised" }
        return Taxonomy.category(code)?.name ?? code
    }

    package static func statusName(_ status: String) -> String {
        status.replacingOccurrences(of: "_", with: " ").capitalizedFirst
    }

    static func date(_ seconds: Int64) -> String {
        Timestamp(secondsSinceEpoch: seconds).description.replacingOccurrences(of: "T", with: " ").replacingOccurrences(
            of: "Z",
            with: " UTC"
        )
    }
}

extension String {
    package var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
