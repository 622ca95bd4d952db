import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXRouting

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
        let words = site.words
        var nav = [
            navLink("/", words.home), navLink("/issues", words.allIssues), navLink("/nodes", words.bodiesAndNodes),
        ]
        if site.takesReports { nav.append(navLink("/report", words.reportAProblem)) }
        let role: HTML = site.takesReports ? "" : "<p class=\"mirror-note\">\(words.mirrorNote)</p>"
        return """
            <!DOCTYPE html>
            <html lang="\(site.language.rawValue)">
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
            <a class="skip" href="#main">\(words.skipToContent)</a>
            <header class="site">
            <p class="site-name"><a href="/">\(site.name)</a> <span class="site-kind">\(words.siteKind(NodeKind(rawValue: site.node.config.node.kind)))</span></p>
            \(role)<nav aria-label="\(words.mainNavigation)"><ul>\(nav)</ul></nav>
            \(languages)
            <form class="search" role="search" action="/issues" method="get">
            <label for="site-search">\(words.searchIssues)</label>
            <input id="site-search" name="q" type="search">
            <button type="submit">\(words.search)</button>
            </form>
            </header>
            <main id="main">
            \(main)
            </main>
            <footer class="site">
            <p>\(words.footerSigned) <a href="/api/v1/issues">\(words.jsonAPI)</a> · <a href="/api/v1/issues.geojson">GeoJSON</a> · <a href="/api/v1/issues.csv">CSV</a> · <a href="/feeds/issues.atom">\(words.atomFeed)</a></p>
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
            "<div class=\"map\" role=\"region\" aria-label=\"\(label)\" data-geojson=\"\(geojson)\"\(areasAttribute)\(tiles)\(pickAttribute) data-words=\"\(scriptWords)\"></div>"
        return areas == nil ? "\(map)\(legend)" : map
    }

    /// The key to the issue maps' colours (the same as the status badges'), shown under them.
    var legend: HTML {
        let words = site.words
        return """
            <ul class="legend" aria-label="\(words.mapKey)">
            <li><span class="swatch open"></span>\(words.status("open"))</li>
            <li><span class="swatch acknowledged"></span>\(words.status("acknowledged"))</li>
            <li><span class="swatch in_progress"></span>\(words.status("in_progress"))</li>
            <li><span class="swatch fixed"></span>\(words.status("fixed"))</li>
            <li><span class="swatch closed"></span>\(words.legendClosed)</li>
            <li><span class="swatch several"></span>\(words.legendSeveral)</li>
            </ul>
            """
    }

    /// The switcher: every offered language by its own name, linking to this page in it.
    var languages: HTML {
        let links = Language.allCases.map { language -> HTML in
            guard language != site.language else {
                return "<li><span aria-current=\"true\" lang=\"\(language.rawValue)\">\(language.endonym)</span></li>"
            }
            let separator = site.path.contains("?") ? "&" : "?"
            let href = "\(site.path)\(separator)\(Language.parameterName)=\(language.rawValue)"
            return
                "<li><a href=\"\(href)\" lang=\"\(language.rawValue)\" hreflang=\"\(language.rawValue)\">\(language.endonym)</a></li>"
        }
        return "<nav class=\"languages\" aria-label=\"\(site.words.languageChoice)\"><ul>\(links)</ul></nav>"
    }

    /// The map script's words in the page's language, as JSON (its templates' {n}, {lat}, … it fills in).
    var scriptWords: String {
        let words = site.words
        var statuses = JSONObject()
        for status in IssueFilter.statuses { statuses[status] = .string(words.status(status)) }
        var categories = JSONObject()
        for category in Taxonomy.categories { categories[category.code] = .string(words.category(category.code)) }
        let object = JSONObject([
            "cluster": .string(words.mapCluster), "pinTitle": .string(words.mapPinTitle),
            "pinAlt": .string(words.mapPinAlt), "pinAt": .string(words.mapPinAt), "middle": .string(words.mapMiddle),
            "locate": .string(words.mapLocate), "locating": .string(words.mapLocating),
            "located": .string(words.mapLocated), "noLocation": .string(words.mapNoLocation),
            "limitList": .string(words.mapLimitList), "zoomIn": .string(words.mapZoomIn),
            "zoomOut": .string(words.mapZoomOut), "statuses": .object(statuses),
            "categories": .object(categories),
        ])
        return (try? JSONValue.object(object).canonicalString()) ?? "{}"
    }
}
