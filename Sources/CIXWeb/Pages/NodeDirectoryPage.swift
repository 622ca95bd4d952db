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

    package init(site: Site, entries: [Entry]) {
        self.site = site
        self.entries = entries.sorted { $0.descriptor.name < $1.descriptor.name }
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
        let rows = entries.map { entry -> HTML in
            let descriptor = entry.descriptor
            let heard: String =
                descriptor.node == site.node.id
                ? "this node"
                : entry.lastHeard.map { Site.date($0.secondsSinceEpoch) } ?? "not directly (known through others)"
            let categories =
                descriptor.categories.isEmpty
                ? "—" : descriptor.categories.map { Site.categoryName($0) }.joined(separator: ", ")
            return """
                <tr id="node-\(descriptor.node.hex)"><th scope="row"><a href="/issues?agency=\(descriptor.node.hex)">\(descriptor.name)</a></th><td>\(descriptor.kind.rawValue)</td><td>\(descriptor.url)</td><td>\(descriptor.area == nil ? "everywhere" : "on the map")</td><td class="categories">\(categories)</td><td><code>\(Self.fingerprint(descriptor.signer))</code></td><td>\(heard)</td></tr>
                """
        }
        let main: HTML = """
            <h1>Bodies and nodes</h1>
            <p class="lead">Each body runs its own node and signs its own records. Compare a key fingerprint with the one the body publishes to be sure whom you are reading.</p>
            \(site.takesReports ? "<p><a href=\"/figures\">How \(site.name) has answered reports: its figures</a></p>" as HTML : "")
            \(layout.map(label: "Areas the bodies serve", geojson: "/api/v1/issues.geojson?limit=1", areas: "/api/v1/nodes.geojson"))
            <div class="table-scroll">
            <table class="nodes">
            <thead><tr><th scope="col">Body</th><th scope="col">Kind</th><th scope="col">Address</th><th scope="col">Area</th><th scope="col">Categories</th><th scope="col">Key fingerprint</th><th scope="col">Last heard from</th></tr></thead>
            <tbody>
            \(rows)
            </tbody>
            </table>
            </div>
            """
        return layout.page(title: "Bodies and nodes", map: true, current: "/nodes", main: main)
    }
}
