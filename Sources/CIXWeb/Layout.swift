/// The frame every page shares: landmarks, navigation, feed links, and the
/// map script only where a page has a map.
package struct Layout: Sendable {
    package struct Feed: Sendable {
        package let title: String
        package let href: String

        package init(title: String, href: String) {
            self.title = title
            self.href = href
        }
    }

    package let site: Site

    package init(site: Site) { self.site = site }

    package func page(title: String, feeds: [Feed] = [], map: Bool = false, current: String = "", main: HTML) -> HTML {
        let feedLinks = feeds.map { feed -> HTML in
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"\(feed.title)\" href=\"\(feed.href)\">\n"
        }
        let mapHead: HTML =
            map
            ? "<link rel=\"stylesheet\" href=\"/static/leaflet/leaflet.css\">\n<script src=\"/static/leaflet/leaflet.js\" defer></script>\n<script src=\"/static/cix.js\" defer></script>\n"
            : .empty
        func navLink(_ href: String, _ label: String) -> HTML {
            href == current
                ? "<li><a href=\"\(href)\" aria-current=\"page\">\(label)</a></li>"
                : "<li><a href=\"\(href)\">\(label)</a></li>"
        }
        var nav = [navLink("/", "Home"), navLink("/issues", "All issues"), navLink("/nodes", "Bodies and nodes")]
        if site.takesReports { nav.append(navLink("/report", "Report a problem")) }
        let role: HTML =
            site.takesReports
            ? ""
            : "<p class=\"mirror-note\">This is a public mirror: it shows and verifies every record but takes no reports.</p>"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · \(site.name)</title>
            <link rel="stylesheet" href="/static/cix.css">
            <link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
            <link rel="manifest" href="/manifest.webmanifest">
            <meta name="theme-color" content="#1d4f91">
            \(feedLinks)\(mapHead)</head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="site">
            <p class="site-name"><a href="/">\(site.name)</a> <span class="site-kind">\(site.node.config.node.kind) node · Civic Issue eXchange</span></p>
            \(role)<nav aria-label="Main"><ul>\(nav)</ul></nav>
            <form class="search" role="search" action="/issues" method="get">
            <label for="site-search">Search issues</label>
            <input id="site-search" name="q" type="search">
            <button type="submit">Search</button>
            </form>
            </header>
            <main id="main">
            \(main)
            </main>
            <footer class="site">
            <p>Every record here is signed by the body that wrote it and verified by this node. <a href="/api/v1/issues">JSON API</a> · <a href="/api/v1/issues.geojson">GeoJSON</a> · <a href="/api/v1/issues.csv">CSV</a> · <a href="/feeds/issues.atom">Atom feed</a></p>
            </footer>
            </body>
            </html>

            """
    }

    /// A map that the script fills from a GeoJSON URL; without JavaScript it is simply absent.
    package func map(label: String, geojson: String, areas: String? = nil, pick: Bool = false) -> HTML {
        let tiles: HTML = site.tiles.map { " data-tiles=\"\($0)\" data-attribution=\"\(site.tileAttribution)\"" } ?? ""
        let areasAttribute: HTML = areas.map { " data-areas=\"\($0)\"" } ?? ""
        let pickAttribute: HTML = pick ? " data-pick=\"lat,lon\"" : ""
        let map: HTML =
            "<div class=\"map\" role=\"region\" aria-label=\"\(label)\" data-geojson=\"\(geojson)\"\(areasAttribute)\(tiles)\(pickAttribute)></div>"
        return areas == nil ? "\(map)\(Self.legend)" : map
    }

    /// The key to the issue maps' colours (the same as the status badges'), shown under them.
    static let legend: HTML = """
        <ul class="legend" aria-label="Map key">
        <li><span class="swatch open"></span>Open</li>
        <li><span class="swatch acknowledged"></span>Acknowledged</li>
        <li><span class="swatch in_progress"></span>In progress</li>
        <li><span class="swatch fixed"></span>Fixed</li>
        <li><span class="swatch closed"></span>Closed, declined or duplicate</li>
        <li><span class="swatch several"></span>Several issues (the number): select to zoom in</li>
        </ul>
        """
}
