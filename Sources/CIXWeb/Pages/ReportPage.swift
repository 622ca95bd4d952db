import CIXRouting
import CIXStore
import Foundation

/// The report form of an intake node. Submitted again with the resident's
/// values and a list of problems when something was wrong.
package struct ReportPage: Sendable {
    package let site: Site
    package let formToken: String
    package let values: [String: String]
    package let problems: [String]

    /// Whether the node has a gazetteer to search (`cix gazetteer import`).
    package var searchesPlaces = false
    /// A place search asked for, and what it found.
    package var placeSearch: (text: String, found: [Place])?

    package init(site: Site, formToken: String, values: [String: String] = [:], problems: [String] = []) {
        self.site = site
        self.formToken = formToken
        self.values = values
        self.problems = problems
    }

    /// "Find a street or place": a form of its own (it works without JavaScript), whose
    /// results lead back to this page with the place filled in.
    var placeFinder: HTML {
        guard searchesPlaces else { return .empty }
        var results: HTML = .empty
        if let search = placeSearch {
            let items = search.found.map { place -> HTML in
                let kind: HTML = place.kind.isEmpty ? "" : " (\(place.kind))"
                let query = URLText.query([
                    ("lat", String(format: "%.6f", place.latitude)), ("lon", String(format: "%.6f", place.longitude)),
                    ("address", place.name),
                ])
                return "<li><a href=\"/report\(query)#where\">\(place.name)</a>\(kind)</li>"
            }
            results =
                search.found.isEmpty
                ? "<p role=\"status\">No street or place called “\(search.text)” is known here. Place the pin on the map, or type the coordinates.</p>"
                : """
                <p role="status">\(search.found.count == 1 ? "One place matches" : "\(search.found.count) places match") “\(search.text)”: choose one to fill in where the problem is.</p>
                <ul class="places">\(HTML.join(items))</ul>
                """
        }
        return """
            <form class="search" method="get" action="/report" role="search">
            <label for="place">Find a street or place</label>
            <input id="place" name="place" maxlength="100" autocomplete="street-address" value="\(placeSearch?.text ?? "")">
            <button type="submit">Find</button>
            </form>
            \(results)
            """
    }

    func value(_ name: String) -> String { values[name] ?? "" }

    package func render() -> HTML {
        let layout = Layout(site: site)
        let errors: HTML =
            problems.isEmpty
            ? ""
            : """
            <div class="problems" role="alert" tabindex="-1">
            <h2>Please check your report</h2>
            <ul>\(problems.map { "<li>\($0)</li>" as HTML })</ul>
            </div>
            """
        let main: HTML = """
            <h1>Report a problem</h1>
            <p class="lead">Tell us what and where. \(site.name) sends it to every body responsible for that kind of problem in that place, and shows you where it went and why.</p>
            \(errors)
            \(placeFinder)
            <form class="report" method="post" action="/report" enctype="multipart/form-data">
            <input type="hidden" name="csrf" value="\(formToken)">
            \(values["screened"] == "1" ? "<input type=\"hidden\" name=\"screened\" value=\"1\">" as HTML : "")
            <fieldset>
            <legend>What is the problem?</legend>
            <label for="category">Kind of problem</label>
            <select id="category" name="category" required>\(categoryOptions)</select>
            <label for="title">Short title</label>
            <input id="title" name="title" required maxlength="200" value="\(value("title"))">
            <label for="description">Details (optional)</label>
            <textarea id="description" name="description" maxlength="8000">\(value("description"))</textarea>
            <label for="photo">Photo (optional, JPEG or PNG; location and camera data are removed)</label>
            <input id="photo" name="photo" type="file" accept="image/jpeg,image/png">
            </fieldset>
            <fieldset>
            <legend id="where">Where is it?</legend>
            <p id="where-help">Click the map to place a pin, or type the coordinates.</p>
            \(layout.map(label: "Map: click to set the place of the problem", geojson: "/api/v1/issues.geojson?limit=100", pick: true))
            <label for="lat">Latitude</label>
            <input id="lat" name="lat" required inputmode="decimal" aria-describedby="where-help" value="\(value("lat"))">
            <label for="lon">Longitude</label>
            <input id="lon" name="lon" required inputmode="decimal" aria-describedby="where-help" value="\(value("lon"))">
            <label for="address">Address or landmark (optional)</label>
            <input id="address" name="address" maxlength="300" value="\(value("address"))">
            </fieldset>
            <fieldset>
            <legend>Your details (optional)</legend>
            <p id="private-help">Your name and contact details stay on \(site.name)'s node, for replies about this report only. They are never published and never sent to any other body. The public report shows only a pseudonym.</p>
            <label for="reporter-name">Name</label>
            <input id="reporter-name" name="name" maxlength="200" autocomplete="name" aria-describedby="private-help" value="\(value("name"))">
            <label for="reporter-email">Email</label>
            <input id="reporter-email" name="email" type="email" maxlength="200" autocomplete="email" aria-describedby="private-help" value="\(value("email"))">
            <label for="reporter-phone">Phone</label>
            <input id="reporter-phone" name="phone" type="tel" maxlength="50" autocomplete="tel" aria-describedby="private-help" value="\(value("phone"))">
            \(updatesChoice)
            </fieldset>
            <button type="submit">Send report</button>
            </form>
            """
        return layout.page(title: "Report a problem", map: true, current: "/report", main: main)
    }

    /// "E-mail me": only where the node sends mail; unticked until the resident ticks it.
    var updatesChoice: HTML {
        guard site.mailsResidents else { return .empty }
        let checked: HTML = value("updates") == "yes" ? " checked" : ""
        return """
            <label class="check"><input id="reporter-updates" name="updates" type="checkbox" value="yes"\(checked)> Email me when a body answers this report (needs your email; every email has a link to stop them)</label>
            """
    }

    var categoryOptions: HTML {
        var groups: [String: [Taxonomy.Category]] = [:]
        var order: [String] = []
        for category in Taxonomy.categories {
            if groups[category.group] == nil { order.append(category.group) }
            groups[category.group, default: []].append(category)
        }
        let chosen = value("category")
        var options: [HTML] = [
            chosen.isEmpty ? "<option value=\"\" selected>Choose…</option>" : "<option value=\"\">Choose…</option>"
        ]
        for group in order {
            let items = groups[group, default: []].map { category -> HTML in
                category.code == chosen
                    ? "<option value=\"\(category.code)\" selected>\(category.name)</option>"
                    : "<option value=\"\(category.code)\">\(category.name)</option>"
            }
            options.append("<optgroup label=\"\(group)\">\(items)</optgroup>")
        }
        return HTML.join(options)
    }
}
