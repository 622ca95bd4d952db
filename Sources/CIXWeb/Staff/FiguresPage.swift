import CIXNode
import Foundation

/// What the figures count, as their labels name them.
package enum FigureMeasure: Sendable {
    case received, accepted, declined, fixed
}

/// A body's figures: the period form, a bar chart drawn on the server (SVG,
/// no script), the same numbers as a table, and a CSV link.
package struct FiguresPage: Sendable {
    package let site: Site
    /// The staff console's frame; nil for the public page (`/figures`).
    package let staff: StaffLayout?
    package let figures: BodyFigures
    /// The period as given in the form (YYYY-MM-DD), for the links and the form.
    package let fromText: String
    package let toText: String

    package init(site: Site, staff: StaffLayout?, figures: BodyFigures, fromText: String, toText: String) {
        self.site = site
        self.staff = staff
        self.figures = figures
        self.fromText = fromText
        self.toText = toText
    }

    /// Where the page and its CSV are served.
    var path: String { staff == nil ? "/figures" : "/staff/figures" }

    static let measures: [(measure: FigureMeasure, value: @Sendable (BodyFigures.Row) -> Int, colour: String)] = [
        (.received, { $0.received }, "#1d4f91"), (.accepted, { $0.accepted }, "#2f7d4a"),
        (.declined, { $0.declined }, "#8a5a00"), (.fixed, { $0.fixed }, "#6b3fa0"),
    ]

    var words: any Catalogue { site.words }

    package func render() -> HTML {
        let query = "from=\(fromText)&to=\(toText)"
        let main: HTML = """
            <h1>\(words.figuresHeading(site.name))</h1>
            <form class="filters" method="get" action="\(path)">
            <div><label for="from">\(words.periodFrom)</label><input id="from" name="from" type="date" value="\(fromText)" required></div>
            <div><label for="to">\(words.periodTo)</label><input id="to" name="to" type="date" value="\(toText)" required></div>
            <div><button type="submit">\(words.show)</button></div>
            </form>
            <p>\(summary) <a href="\(path).csv?\(query)">\(words.downloadCSV)</a></p>
            \(chart(figures.rows, title: words.chartByCategory, id: "by-category"))
            \(table(figures.rows + [figures.total], first: words.categoryLabel, label: words.figuresByCategory))
            \(byArea(query))
            <h2>\(words.whatTheNumbersMean)</h2>
            <ul>\(words.numbersExplained.map { "<li>\($0)</li>" as HTML })</ul>
            """
        if let staff { return staff.page(title: words.figures, current: path, main: main) }
        return Layout(site: site).page(title: words.figures, current: path, main: main)
    }

    var summary: HTML {
        let total = figures.total
        return
            "\(words.figuresSummary(total.received, total.accepted, total.declined, total.fixed, open: total.openTotal))"
    }

    /// A row's name as people read it: a category's name, an area's, or the totals.
    func name(_ row: BodyFigures.Row, areas: Bool) -> String {
        if areas { return row.name == BodyFigures.outside ? words.outsideNamedAreas : row.name }
        if row.name == "all" { return words.allCategories }
        return site.category(row.name == "uncategorised" ? nil : row.name)
    }

    /// The areas where most was reported (chart of the top ten, every area in the table), when the node names areas.
    func byArea(_ query: String) -> HTML {
        guard !figures.areas.isEmpty else { return .empty }
        let top = Array(figures.areas.filter { $0.name != BodyFigures.outside }.prefix(10))
        return """
            <h2>\(words.byArea)</h2>
            <p>\(words.byAreaLead) <a href="\(path)-by-area.csv?\(query)">\(words.downloadCSV)</a></p>
            \(chart(top, title: words.chartTopAreas, id: "by-area", areas: true))
            \(table(figures.areas, first: words.area, label: words.figuresByArea, areas: true))
            """
    }

    /// Grouped horizontal bars, one group per row; the table below carries the same numbers for screen readers.
    func chart(_ rows: [BodyFigures.Row], title: String, id: String, areas: Bool = false) -> HTML {
        guard !rows.isEmpty else { return "<p class=\"empty\">\(words.noReportsInPeriod)</p>" }
        let largest = max(1, rows.flatMap { row in Self.measures.map { $0.value(row) } }.max() ?? 1)
        let bar = 14
        let group = bar * Self.measures.count + 18
        let labelWidth = 170
        let width = 640
        var parts: [HTML] = []
        for (index, row) in rows.enumerated() {
            let top = index * group
            parts.append("<text x=\"0\" y=\"\(top + 12)\" font-size=\"12\">\(name(row, areas: areas))</text>")
            for (offset, measure) in Self.measures.enumerated() {
                let value = measure.value(row)
                let length = Int(Double(width - labelWidth - 40) * Double(value) / Double(largest))
                let y = top + offset * bar + 2
                parts.append(
                    "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(max(length, value > 0 ? 2 : 0))\" height=\"\(bar - 3)\" fill=\"\(measure.colour)\"><title>\(words.measure(measure.measure)): \(value)</title></rect><text x=\"\(labelWidth + length + 4)\" y=\"\(y + 10)\" font-size=\"10\">\(value)</text>"
                )
            }
        }
        let height = rows.count * group
        let legend = Self.measures.map { measure -> HTML in
            "<li><svg class=\"swatch\" viewBox=\"0 0 10 10\" aria-hidden=\"true\"><rect width=\"10\" height=\"10\" fill=\"\(measure.colour)\"/></svg>\(words.measure(measure.measure))</li>"
        }
        return """
            <figure class="chart">
            <svg viewBox="0 0 \(width) \(height)" width="100%" role="img" aria-labelledby="chart-\(id)"><title id="chart-\(id)">\(title)</title>\(parts)</svg>
            <figcaption><ul class="legend">\(legend)</ul></figcaption>
            </figure>
            """
    }

    func table(_ rows: [BodyFigures.Row], first: String, label: String, areas: Bool = false) -> HTML {
        func days(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "–" }
        let lines = rows.map { row -> HTML in
            let open = row.open.map { "<td>\($0)</td>" as HTML }
            return
                "<tr><th scope=\"row\">\(name(row, areas: areas))</th><td>\(row.received)</td><td>\(row.accepted)</td><td>\(row.declined)</td><td>\(row.fixed)</td>\(open)<td>\(days(row.medianDaysToAccept))</td><td>\(days(row.medianDaysToFix))</td></tr>"
        }
        let ageHeads = BodyFigures.ages.indices.map { "<th scope=\"col\">\(words.openAged($0))</th>" as HTML }
        let heads = Self.measures.map { "<th scope=\"col\">\(words.measure($0.measure).capitalizedFirst)</th>" as HTML }
        return """
            <div class="table-scroll" role="region" aria-label="\(label)" tabindex="0">
            <table class="figures">
            <thead><tr><th scope="col">\(first)</th>\(heads)\(ageHeads)<th scope="col">\(words.medianDaysToAccept)</th><th scope="col">\(words.medianDaysToFix)</th></tr></thead>
            <tbody>\(lines)</tbody>
            </table>
            </div>
            """
    }
}
