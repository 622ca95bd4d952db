import CIXNode
import CIXRouting
import CIXStore
import Foundation

/// The report form of an intake node. Submitted again with the resident's
/// values and a list of problems when something was wrong.
package struct ReportPage: Sendable {
    package let site: Site
    package let formToken: String
    package let values: [String: String]
    package let problems: [IntakeProblem]

    /// Whether the node has a gazetteer to search (`cix gazetteer import`).
    package var searchesPlaces = false
    /// A place search asked for, and what it found.
    package var placeSearch: (text: String, found: [Place])?

    package init(site: Site, formToken: String, values: [String: String] = [:], problems: [IntakeProblem] = []) {
        self.site = site
        self.formToken = formToken
        self.values = values
        self.problems = problems
    }

    /// "Find a street or place": a form of its own (it works without JavaScript), whose
    /// results lead back to this page with the place filled in.
    var placeFinder: HTML {
        guard searchesPlaces else { return .empty }
        let words = site.words
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
                ? "<p role=\"status\">\(words.noPlace(search.text))</p>"
                : """
                <p role="status">\(words.placesMatch(search.found.count, search.text))</p>
                <ul class="places">\(HTML.join(items))</ul>
                """
        }
        return """
            <form class="search" method="get" action="/report" role="search">
            <label for="place">\(words.findPlace)</label>
            <input id="place" name="place" maxlength="100" autocomplete="street-address" value="\(placeSearch?.text ?? "")">
            <button type="submit">\(words.find)</button>
            </form>
            \(results)
            """
    }

    func value(_ name: String) -> String { values[name] ?? "" }

    package func render() -> HTML {
        let layout = Layout(site: site)
        let words = site.words
        let errors: HTML =
            problems.isEmpty
            ? ""
            : """
            <div class="problems" role="alert" tabindex="-1">
            <h2>\(words.checkYourReport)</h2>
            <ul>\(problems.map { "<li>\(words.problem($0))</li>" as HTML })</ul>
            </div>
            """
        let main: HTML = """
            <h1>\(words.reportAProblem)</h1>
            <p class="lead">\(words.reportLead) \(words.reportLeadSends(site.name))</p>
            \(errors)
            \(placeFinder)
            <form class="report" method="post" action="/report" enctype="multipart/form-data">
            <input type="hidden" name="csrf" value="\(formToken)">
            \(values["screened"] == "1" ? "<input type=\"hidden\" name=\"screened\" value=\"1\">" as HTML : "")
            <fieldset>
            <legend>\(words.whatIsTheProblem)</legend>
            <label for="category">\(words.kindOfProblem)</label>
            <select id="category" name="category" required>\(categoryOptions)</select>
            <label for="title">\(words.shortTitle)</label>
            <input id="title" name="title" required maxlength="200" value="\(value("title"))">
            <label for="description">\(words.detailsOptional)</label>
            <textarea id="description" name="description" maxlength="8000">\(value("description"))</textarea>
            <label for="photo">\(words.photoOptional)</label>
            <input id="photo" name="photo" type="file" accept="image/jpeg,image/png">
            </fieldset>
            <fieldset>
            <legend id="where">\(words.whereIsIt)</legend>
            <p id="where-help">\(words.whereHelp)</p>
            \(layout.map(label: words.mapPick, geojson: "/api/v1/issues.geojson?limit=100", pick: true))
            <label for="lat">\(words.latitude)</label>
            <input id="lat" name="lat" required inputmode="decimal" aria-describedby="where-help" value="\(value("lat"))">
            <label for="lon">\(words.longitude)</label>
            <input id="lon" name="lon" required inputmode="decimal" aria-describedby="where-help" value="\(value("lon"))">
            <label for="address">\(words.addressOptional)</label>
            <input id="address" name="address" maxlength="300" value="\(value("address"))">
            </fieldset>
            <fieldset>
            <legend>\(words.yourDetails)</legend>
            <p id="private-help">\(words.privateHelp(site.name))</p>
            <label for="reporter-name">\(words.name)</label>
            <input id="reporter-name" name="name" maxlength="200" autocomplete="name" aria-describedby="private-help" value="\(value("name"))">
            <label for="reporter-email">\(words.email)</label>
            <input id="reporter-email" name="email" type="email" maxlength="200" autocomplete="email" aria-describedby="private-help" value="\(value("email"))">
            <label for="reporter-phone">\(words.phone)</label>
            <input id="reporter-phone" name="phone" type="tel" maxlength="50" autocomplete="tel" aria-describedby="private-help" value="\(value("phone"))">
            \(updatesChoice)
            \(shareChoice)
            </fieldset>
            <button type="submit">\(words.sendReport)</button>
            </form>
            """
        return layout.page(title: words.reportAProblem, map: true, current: "/report", main: main)
    }

    /// "E-mail me": only where the node sends mail; unticked until the resident ticks it.
    var updatesChoice: HTML {
        guard site.mailsResidents else { return .empty }
        let checked: HTML = value("updates") == "yes" ? " checked" : ""
        return """
            <label class="check"><input id="reporter-updates" name="updates" type="checkbox" value="yes"\(checked)> \(site.words.emailMeUpdates)</label>
            """
    }

    /// Consent to pass the details, sealed, to the bodies handling the report; unticked until ticked.
    var shareChoice: HTML {
        let checked: HTML = value("share") == "yes" ? " checked" : ""
        return """
            <label class="check"><input id="reporter-share" name="share" type="checkbox" value="yes"\(checked)> \(site.words.shareWithBodies)</label>
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
            chosen.isEmpty
                ? "<option value=\"\" selected>\(site.words.choose)</option>"
                : "<option value=\"\">\(site.words.choose)</option>"
        ]
        for group in order {
            let items = groups[group, default: []].map { category -> HTML in
                category.code == chosen
                    ? "<option value=\"\(category.code)\" selected>\(site.category(category.code))</option>"
                    : "<option value=\"\(category.code)\">\(site.category(category.code))</option>"
            }
            options.append("<optgroup label=\"\(site.words.categoryGroup(group))\">\(items)</optgroup>")
        }
        return HTML.join(options)
    }
}
