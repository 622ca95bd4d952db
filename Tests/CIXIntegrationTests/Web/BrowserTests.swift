import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXTesting
import Foundation
import Testing

/// Real headless Chromium against real nodes on loopback.
@Suite("Public pages in Chromium", .serialized)
struct BrowserTests {
    func withTown(
        _ label: String,
        councilName: String = "council",
        _ body: (WebTown, Browser) async throws -> Void
    ) async throws {
        try await WebTown.runWithBrowser(label, councilName: councilName, body)
    }

    @Test func mirrorShowsHomeListIssueAndDirectory() async throws {
        try await withTown("browser-pages") { town, browser in
            let issue = try await town.reportAntisocialBehaviour(title: "Fireworks thrown at the bus shelter")
            _ = try town.council.node.intake.report(
                ReportSubmission(
                    title: "Pothole by the school gate",
                    category: "pothole",
                    latitude: 52.205,
                    longitude: 0.121
                ),
                now: .now()
            )
            try await town.syncMirror()
            let mirror = town.mirror.url

            // Home: both issues listed, markers on the map, and no forms on a mirror.
            try await browser.open(mirror + "/")
            #expect(try await browser.run("return document.title;").stringValue == "Home · mirror")
            #expect(try await browser.count("li.issue") >= 2)
            try await browser.wait(until: "return document.querySelector('div.map').dataset.loaded === 'true';")
            #expect(try await browser.count("div.map path.leaflet-interactive") == 2)
            #expect(try await browser.count("form[method=post]") == 0)
            #expect(try await browser.text(".mirror-note").contains("public mirror"))

            // The list, filtered through its own form by category.
            try await browser.open(mirror + "/issues")
            try await browser.click("#f-category option[value=pothole]")
            try await browser.click("form.filters button[type=submit]")
            try await browser.wait(until: "return location.search.indexOf('category=pothole') >= 0;")
            let titles = try await browser.run(
                "return Array.from(document.querySelectorAll('li.issue h3')).map(function (h) { return h.textContent; });"
            )
            #expect(titles.arrayValue?.compactMap(\.stringValue) == ["Pothole by the school gate"])

            // The issue page: each agency's status, who signed it, and verified marks.
            try await browser.open(mirror + "/issues/\(issue.hex)")
            let rows = try await browser.run(
                "return Array.from(document.querySelectorAll('table.agencies tbody tr')).map(function (r) { return r.innerText; });"
            )
            let lines = rows.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(lines.count == 2)
            #expect(
                lines.contains {
                    $0.contains("police") && $0.contains("In progress") && $0.contains("Patrols increased")
                        && $0.contains("✓")
                }
            )
            #expect(
                lines.contains { $0.hasPrefix("council") && $0.contains("Origin") && $0.contains("Received") },
                "\(lines)"
            )
            #expect(try await browser.count("table.timeline .verified") == 4)
            #expect(try await browser.count("table.timeline .unverified") == 0)

            // Every page: one h1, landmarks, a language, and a label for every control.
            for path in ["/", "/issues", "/issues/\(issue.hex)", "/nodes"] {
                for base in [mirror, town.council.url] {
                    try await browser.open(base + path)
                    let structure = try await browser.run(
                        """
                        var controls = Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'));
                        return [document.querySelectorAll('h1').length, document.querySelectorAll('main').length,
                                document.querySelectorAll('header nav[aria-label], footer').length,
                                document.documentElement.lang, controls.filter(function (c) { return c.labels.length === 0; }).length,
                                controls.length];
                        """
                    )
                    #expect(structure == [1, 1, 3, "en", 0, structure.arrayValue?[5] ?? 0], "\(base)\(path)")
                }
            }

            // The directory: every node, its kind, fingerprint, and areas on the map.
            try await browser.open(mirror + "/nodes")
            let names = try await browser.run(
                "return Array.from(document.querySelectorAll('table.nodes tbody th')).map(function (h) { return h.textContent; });"
            )
            #expect(Set(names.arrayValue?.compactMap(\.stringValue) ?? []) == ["council", "police", "mirror"])
            try await browser.wait(until: "return document.querySelector('div.map').dataset.loaded === 'true';")
            #expect(try await browser.count("div.map path.leaflet-interactive") >= 2)
            let fingerprint = try await browser.text("#node-\(town.police.id.hex) code")
            #expect(fingerprint.count == 39)
        }
    }

    @Test func reportThroughTheCouncilFormAppearsOnTheMirror() async throws {
        try await withTown("browser-report") { town, browser in
            let council = town.council.url
            try await browser.open(council + "/report")
            try await browser.click("#category option[value=antisocial_behaviour]")
            try await browser.type("#title", "Broken glass and shouting every night")
            try await browser.type("#description", "Since Friday, near the underpass.")
            // A click on the map places a pin and fills the coordinates; then exact ones are typed.
            try await browser.wait(until: "return document.querySelector('div.map').dataset.loaded === 'true';")
            try await browser.click("div.map")
            try await browser.wait(
                until:
                    "return document.getElementById('lat').value !== '' && document.getElementById('lon').value !== '';"
            )
            try await browser.wait(
                until:
                    "var m = document.querySelector('.leaflet-marker-icon'); return !!m && m.complete && m.naturalWidth > 0;"
            )
            try await browser.clear("#lat")
            try await browser.clear("#lon")
            try await browser.type("#lat", "52.228")
            try await browser.type("#lon", "0.110")
            try await browser.type("#reporter-email", "resident@example.org")
            let photo = town.folder.file("photo.jpg")
            try Data(PhotoSamples.jpegWithGPS()).write(to: photo)
            try await browser.type("#photo", photo.path)
            try await browser.click("form.report button[type=submit]")

            // The resident sees where the report went and why.
            try await browser.wait(until: "return location.pathname.endsWith('/sent');")
            let routes = try await browser.text("ul.routes")
            #expect(routes.contains("council") && routes.contains("police"))
            let path = try await browser.run("return location.pathname;").stringValue ?? ""
            let id = try #require(EventID(String(path.split(separator: "/")[1])))

            // The contact stayed on the council; the photo was stored without its metadata.
            let contact = try town.council.node.contact(forIssue: id)
            #expect(contact?.email == "resident@example.org")
            let state = try #require(try town.council.node.store.issueState(id))
            let hash = try #require(state.report?.attachments.first?.hash)
            let stored = try #require(try town.council.node.store.attachment(hash))
            #expect(!PhotoSamples.contains(Array(stored.bytes), "Exif"))

            // The mirror pulls it and shows it; its page has no forms.
            try await town.syncMirror()
            try await browser.open(town.mirror.url + "/issues/\(id.hex)")
            #expect(try await browser.text("h1") == "Broken glass and shouting every night")
            #expect(try await browser.count("form[method=post]") == 0)
            #expect(
                try await browser.run("return document.body.innerText.indexOf('resident@example.org');").numberValue
                    == -1
            )
            // The mirror copied the photo (checked against the signed hash) and shows it.
            #expect(try town.mirror.node.store.attachment(hash)?.bytes == stored.bytes)
            try await browser.wait(
                until:
                    "var i = document.querySelector('ul.photos img'); return !!i && i.complete && i.naturalWidth === 64;"
            )

            // A confirmation through the council's issue page.
            try await browser.open(council + "/issues/\(id.hex)")
            try await browser.type("#confirm-note", "Heard it too on Saturday")
            try await browser.click("form[action$=confirm] button")
            try await browser.wait(until: "return location.search.indexOf('added=confirm') >= 0;")
            #expect(try await browser.text("p.notice").contains("confirmation was added"))
            #expect(try town.council.node.store.issueState(id)?.counts.confirmations == 1)
        }
    }

    @Test func hostileTextIsShownAsTextAndNeverRuns() async throws {
        let hostileName = "Evil <img src=x onerror=\"window.__pwned=1\"> Council"
        try await withTown("browser-hostile", councilName: hostileName) { town, browser in
            let payloads = [
                "<script>window.__pwned=1</script>", "\"><svg onload=\"window.__pwned=1\">",
                "' onmouseover='window.__pwned=1' x='", "javascript:window.__pwned=1",
                "<svg><script>window.__pwned=1</script></svg>",
                "</textarea><iframe src=\"javascript:window.__pwned=1\">",
            ]
            let title = payloads[0] + payloads[1]
            let description = payloads.joined(separator: "\n\n")
            let issue = try await town.reportAntisocialBehaviour(title: title, description: description)
            for base in [town.council.url, town.mirror.url] {
                for path in [
                    "/", "/issues", "/issues/\(issue.hex)", "/nodes", "/issues?q=\(WebClient.encode("<script>"))",
                ] {
                    try await browser.open(base + path)
                    try await browser.wait(until: "return document.readyState === 'complete';")
                    if path == "/issues/\(issue.hex)" {
                        #expect(try await browser.text("h1") == title)
                        let shown = try await browser.run(
                            "return Array.from(document.querySelectorAll('#report-heading ~ p')).map(function (p) { return p.textContent; });"
                        )
                        #expect(shown.arrayValue?.compactMap(\.stringValue) == payloads)
                    }
                    // Nothing ran, and none of the payloads became elements or links.
                    #expect(
                        try await browser.run("return window.__pwned === undefined;").boolValue == true,
                        "\(base)\(path)"
                    )
                    #expect(try await browser.count("script:not([src])") == 0)
                    #expect(
                        try await browser.count("svg script, iframe, img[src=x], [onerror], [onload], [onmouseover]")
                            == 0
                    )
                    #expect(try await browser.count("a[href^=javascript]") == 0)
                    #expect(
                        try await browser.run("return document.body.innerText.indexOf('Evil <img src=x') >= 0;")
                            .boolValue == true
                    )
                }
            }
        }
    }

    /// Every public page passes axe-core's WCAG 2.1 AA and best-practice rules, and fits a phone
    /// (390 px wide: nothing scrolls sideways), on the council and on the mirror.
    @Test func crowdedMarkersClusterAndThePinMovesByKeyboardAndByLocation() async throws {
        try await withTown("browser-pin") { town, browser in
            // A dozen reports along one street and one far away: at the town's zoom the dozen are one circle.
            for index in 0..<12 {
                _ = try town.council.node.intake.report(
                    ReportSubmission(
                        title: "Loose paving slab \(index)",
                        category: "pothole",
                        latitude: 52.2050 + Double(index) * 0.00004,
                        longitude: 0.1210
                    ),
                    now: .now()
                )
            }
            _ = try town.council.node.intake.report(
                ReportSubmission(
                    title: "Pothole at the edge of town",
                    category: "pothole",
                    latitude: 52.26,
                    longitude: 0.04
                ),
                now: .now()
            )
            let council = town.council.url
            try await browser.open(council + "/")
            try await browser.wait(until: "return document.querySelector('div.map').dataset.loaded === 'true';")
            #expect(try await browser.count("ul.legend li") == 6)
            let clusters = try await browser.run(
                "return Array.from(document.querySelectorAll('.leaflet-marker-icon.cluster')).map(function (c) { return c.textContent; });"
            )
            #expect(clusters.arrayValue?.compactMap(\.stringValue) == ["12"], "\(clusters)")
            #expect(try await browser.count("div.map path.leaflet-interactive") == 1)
            // Selecting the circle zooms in until its issues can be told apart.
            try await browser.click(".leaflet-marker-icon.cluster")
            try await browser.wait(
                until: "return document.querySelectorAll('div.map path.leaflet-interactive').length >= 3;"
            )

            // The report map: a pin put in the middle, then moved with the arrow keys.
            try await browser.open(council + "/report")
            try await browser.wait(until: "return document.querySelector('div.map').dataset.loaded === 'true';")
            try await browser.click(".map-tools button:first-child")
            try await browser.wait(until: "return document.getElementById('lon').value !== '';")
            func coordinate(_ id: String) async throws -> Double {
                Double(try await browser.run("return document.getElementById('\(id)').value;").stringValue ?? "")
                    ?? .nan
            }
            let (lat, lon) = (try await coordinate("lat"), try await coordinate("lon"))
            #expect(
                try await browser.run("return document.activeElement.getAttribute('title');").stringValue
                    == "Place of the problem: arrow keys move it"
            )
            let pin = ".leaflet-marker-icon[title^='Place of the problem']"
            _ = try await browser.command(
                .POST,
                "/element/\(try await browser.element(pin))/value",
                ["text": "\u{E014}"]
            )
            _ = try await browser.command(
                .POST,
                "/element/\(try await browser.element(pin))/value",
                ["text": "\u{E013}"]
            )
            let (movedLat, movedLon) = (try await coordinate("lat"), try await coordinate("lon"))
            #expect(movedLon > lon && movedLat > lat, "\(lat),\(lon) → \(movedLat),\(movedLon)")
            #expect(try await browser.text("p[role=status]").hasPrefix("The pin is at "))

            // "Use my location", with the browser told where it is.
            _ = try await browser.command(
                .POST,
                "/goog/cdp/execute",
                [
                    "cmd": "Browser.grantPermissions",
                    "params": ["permissions": ["geolocation"], "origin": .string(council)],
                ]
            )
            _ = try await browser.command(
                .POST,
                "/goog/cdp/execute",
                [
                    "cmd": "Emulation.setGeolocationOverride",
                    "params": ["latitude": 52.2101, "longitude": 0.1187, "accuracy": 8],
                ]
            )
            try await browser.click(".map-tools button:nth-child(2)")
            try await browser.wait(until: "return document.getElementById('lat').value === '52.210100';")
            #expect(try await coordinate("lon") == 0.1187)
            #expect(try await browser.text("p[role=status]").contains("within about 8 m"))
        }
    }

    /// The switcher turns every word of the page into Welsh: what is left in English is content or a name.
    @Test func theLanguageSwitcherChangesEveryVisibleString() async throws {
        try await withTown("browser-welsh") { town, browser in
            let issue = try await town.reportAntisocialBehaviour(title: "Tân gwyllt", description: "Bob nos Sadwrn.")
            let state = try #require(try town.council.node.store.issueState(issue))
            // Content and names: what bodies and residents wrote, and what bodies are called.
            let content =
                state.agencies.values.flatMap { [$0.reason, $0.note].compactMap { $0 } }
                + ["Tân gwyllt", "Bob nos Sadwrn.", "council", "police", "mirror"]
            // Every string a reader sees or hears: text, the title, and labels, alternatives and titles.
            let visible = """
                var texts = [document.title, document.body.innerText];
                document.querySelectorAll('[aria-label], [title], [alt], [data-label], [placeholder]').forEach(function (e) {
                  ['aria-label', 'title', 'alt', 'data-label', 'placeholder'].forEach(function (a) {
                    if (e.hasAttribute(a)) texts.push(e.getAttribute(a));
                  });
                });
                return texts.join(' ');
                """
            let english: Set<String> = [
                "the", "and", "of", "to", "is", "this", "that", "with", "for", "your", "you", "by", "from", "issue",
                "issues", "report", "reports", "reported", "not", "has", "have", "was", "no", "it", "its", "are",
                "in", "on", "what", "where", "who", "when", "why", "body", "bodies", "node", "nodes", "signed",
                "verified", "status", "category", "email", "comment", "comments", "confirm", "solution", "offer",
                "search", "home", "all", "page", "key", "area", "place", "use", "my", "location", "zoom", "map key",
            ]
            func englishWords(_ text: String) -> [String] {
                var rest = text
                for piece in content { rest = rest.replacingOccurrences(of: piece, with: " ") }
                let words = rest.lowercased().split { !$0.isLetter }.map(String.init)
                return words.filter { english.contains($0) }
            }
            let axe = try await Axe.source()
            for path in ["/issues/\(issue.hex)", "/report", "/", "/issues", "/nodes", "/figures"] {
                try await browser.open(town.council.url + path)
                try await browser.wait(until: "return document.readyState === 'complete';")
                let before = try await browser.run(visible).stringValue ?? ""
                #expect(englishWords(before).count > 10, "\(path): the check finds English on the English page")
                try await browser.click("nav.languages a[lang=cy]")
                try await browser.wait(
                    until: "return document.documentElement.lang === 'cy' && document.readyState === 'complete';"
                )
                if path == "/report" {
                    try await browser.wait(until: "return document.querySelectorAll('.map-tools button').length > 0;")
                }
                let after = try await browser.run(visible).stringValue ?? ""
                #expect(englishWords(after).isEmpty, "\(path) in Welsh still says: \(englishWords(after))")
                let violations = try await Axe.violations(in: browser, source: axe)
                #expect(violations.isEmpty, "\(path) in Welsh: \(violations)")
                // Back to English for the next page: the choice is remembered until changed.
                try await browser.click("nav.languages a[lang=en]")
                try await browser.wait(until: "return document.documentElement.lang === 'en';")
            }
            // Chosen once, kept: the next page opened is in Welsh without asking.
            try await browser.open(town.council.url + "/nodes?lang=cy")
            try await browser.open(town.council.url + "/issues/\(issue.hex)")
            #expect(try await browser.run("return document.documentElement.lang;").stringValue == "cy")
            #expect(try await browser.text("h2#timeline-heading") == "Llinell amser")
        }
    }

    @Test func publicPagesAreAccessibleAndFitAPhone() async throws {
        try await withTown("browser-phone") { town, browser in
            let issue = try await town.reportAntisocialBehaviour(
                title: "Fireworks thrown at the bus shelter on the corner of Station Road every night",
                description: "Every weekend.\nUntil 3am."
            )
            try await town.syncMirror()
            let axe = try await Axe.source()
            let pages = [
                "/", "/issues", "/issues/\(issue.hex)", "/issues/\(issue.hex)/sent", "/nodes", "/report", "/figures",
            ]
            // At phone width: the markup is the same at any width, and this layout is the one that can overflow.
            _ = try await browser.command(.POST, "/window/rect", ["width": 390, "height": 844])
            // Welsh last (the switcher's cookie keeps it): its words are longer, and must fit too.
            let welsh = ["/?lang=cy", "/issues/\(issue.hex)?lang=cy", "/report?lang=cy", "/nodes?lang=cy"]
            for (node, paths) in [
                (town.council, pages), (town.mirror, ["/", "/issues", "/issues/\(issue.hex)"]), (town.council, welsh),
            ] {
                for path in paths {
                    try await browser.open(node.url + path)
                    try await browser.wait(until: "return document.readyState === 'complete';")
                    let page = "\(node.node.config.node.name)\(path)"
                    let violations = try await Axe.violations(in: browser, source: axe)
                    #expect(violations.isEmpty, "\(page): \(violations)")
                    let header =
                        try await browser.run(
                            "return document.querySelector('header.site').getBoundingClientRect().height / window.innerHeight;"
                        ).numberValue ?? 1
                    #expect(header < 0.3, "\(page): the header takes \(Int(header * 100))% of the first screen")
                    let fits = try await browser.run(
                        "return document.documentElement.scrollWidth <= window.innerWidth;"
                    )
                    #expect(fits.boolValue == true, "\(page) is wider than a phone")
                }
            }
        }
    }
}
