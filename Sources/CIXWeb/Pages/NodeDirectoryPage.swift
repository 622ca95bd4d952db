import CIXCore
import CIXRouting
import CIXStore

/// Every node this node knows: what body runs it, where it serves, its key, and when it was last heard from.
package struct NodeDirectoryPage: Sendable {
    package struct Entry: Sendable {
        package let descriptor: NodeDescriptor
        /// When this node last exchanged records with it; nil if never (or if it is this node).
        package let lastHeard: Timestamp?

        package init(descriptor: NodeDescriptor, lastHeard: Timestamp?) {
            self.descriptor = descriptor
            self.lastHeard = lastHeard
        }
    }

    package let site: Site
    package let entries: [Entry]
    /// The nodes this node blocks: its policy, in public.
    package let blocks: [BlockedNode]

    package init(site: Site, entries: [Entry], blocks: [BlockedNode] = []) {
        self.site = site
        self.entries = entries.sorted { $0.descriptor.name < $1.descriptor.name }
        self.blocks = blocks
    }

    /// The key's fingerprint as people compare it: the first 16 bytes of its SHA-256, in groups of four hex digits.
    package static func fingerprint(_ key: PublicKey) -> String {
        let digest = SHA256Hex.hash(key.bytes).prefix(32)
        return stride(from: 0, to: 32, by: 4).map { offset in
            let start = digest.index(digest.startIndex, offsetBy: offset)
            return String(digest[start..<digest.index(start, offsetBy: 4)])
        }.joined(separator: ":")
    }

    package func render() -> HTML {
        let layout = Layout(site: site)
        let words = site.words
        let rows = entries.map { entry -> HTML in
            let descriptor = entry.descriptor
            let heard: String =
                descriptor.node == site.node.id
                ? words.thisNode
                : entry.lastHeard.map { site.date($0.secondsSinceEpoch) } ?? words.heardThroughOthers
            let categories =
                descriptor.categories.isEmpty
                ? "—" : descriptor.categories.map { site.category($0) }.joined(separator: ", ")
            return """
                <tr id="node-\(descriptor.node.hex)"><th scope="row"><a href="/issues?agency=\(descriptor.node.hex)">\(descriptor.name)</a></th><td>\(words.nodeKind(descriptor.kind))</td><td>\(descriptor.url)</td><td>\(descriptor.area == nil ? words.everywhere : words.onTheMap)</td><td class="categories">\(categories)</td><td><code>\(Self.fingerprint(descriptor.signer))</code></td><td>\(heard)</td></tr>
                """
        }
        let main: HTML = """
            <h1>\(words.bodiesAndNodes)</h1>
            <p class="lead">\(words.nodesLead)</p>
            \(site.takesReports ? "<p><a href=\"/figures\">\(words.figuresLink(site.name))</a></p>" as HTML : "")
            \(layout.map(label: words.mapOfAreas, geojson: "/api/v1/issues.geojson?limit=1", areas: "/api/v1/nodes.geojson"))
            <div class="table-scroll">
            <table class="nodes">
            <thead><tr><th scope="col">\(words.bodyLabel)</th><th scope="col">\(words.kind)</th><th scope="col">\(words.address)</th><th scope="col">\(words.area)</th><th scope="col">\(words.categories)</th><th scope="col">\(words.keyFingerprint)</th><th scope="col">\(words.lastHeard)</th></tr></thead>
            <tbody>
            \(rows)
            </tbody>
            </table>
            </div>
            \(blockList)
            """
        return layout.page(title: words.bodiesAndNodes, map: true, current: "/nodes", main: main)
    }

    /// Whom this node blocks, since when and why.
    var blockList: HTML {
        let words = site.words
        let rows = blocks.map { block -> HTML in
            let name: HTML =
                site.names[block.node.hex].map { "\($0) <code>\(block.node.hex)</code>" }
                ?? "<code>\(block.node.hex)</code>"
            return
                "<tr><th scope=\"row\">\(name)</th><td>\(site.date(block.since.secondsSinceEpoch))</td><td>\(block.reason)</td></tr>"
        }
        let table: HTML =
            blocks.isEmpty
            ? "<p>\(words.blocksNone)</p>"
            : """
            <div class="table-scroll">
            <table class="blocks">
            <thead><tr><th scope="col">\(words.nodeColumn)</th><th scope="col">\(words.sinceColumn)</th><th scope="col">\(words.reasonColumn)</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            </div>
            """
        return """
            <section aria-labelledby="blocks-heading">
            <h2 id="blocks-heading">\(words.blocksHeading)</h2>
            <p>\(words.blocksLead)</p>
            \(table)
            </section>
            """
    }
}
