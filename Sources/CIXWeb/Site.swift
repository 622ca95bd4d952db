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
    /// The language the page is written in, and its words.
    package let language: Language
    package let words: any Catalogue
    /// The address asked for (path and query, without the language), for the language switcher.
    package let path: String

    package init(node: LocalNode, names: [String: String], language: Language = .english, path: String = "/") {
        self.node = node
        self.names = names
        self.language = language
        words = language.catalogue
        self.path = path
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

    /// The site of `node`, naming nodes from its store, in `language`, for the page at `path`.
    package static func load(
        _ node: LocalNode,
        language: Language = .english,
        path: String = "/"
    ) throws(StoreError)
        -> Site
    {
        var names = try node.store.nodeNames()
        // A body not on CIX is named as such wherever it appears, with the node that reaches it.
        let words = language.catalogue
        for (id, relay) in try node.store.relays() {
            let through = names[relay.relayedBy.hex] ?? "node \(relay.relayedBy.short)"
            names[id] = words.relayedName(relay.name, byEmail: relay.via == .email, through: through)
        }
        return Site(node: node, names: names, language: language, path: path)
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

    /// A category's name in English, for the staff console and the data API.
    package static func categoryName(_ code: String?) -> String { EnglishCatalogue().category(code) }

    /// A status's name in English, for the staff console.
    package static func statusName(_ status: String) -> String { EnglishCatalogue().status(status) }

    /// A category's name in the page's language.
    package func category(_ code: String?) -> String { words.category(code) }

    /// A status's name in the page's language.
    package func status(_ raw: String) -> String { words.status(raw) }

    /// A moment in the page's language ("2 December 2026, 10:07 UTC").
    package func date(_ seconds: Int64) -> String {
        let moment = Timestamp(secondsSinceEpoch: seconds).parts
        let time = String(format: "%02d:%02d", moment.hour, moment.minute)
        return words.date(day: moment.day, month: words.months[moment.month - 1], year: moment.year, time: time)
    }

    /// A number with its thousands grouped ("12,345"), as both offered languages write it.
    package func number(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var grouped = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return grouped
    }

    package static func date(_ seconds: Int64) -> String {
        Timestamp(secondsSinceEpoch: seconds).description.replacingOccurrences(of: "T", with: " ").replacingOccurrences(
            of: "Z",
            with: " UTC"
        )
    }
}

extension String {
    package var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
