import CIXRouting
import CIXStore

/// The list with its filters, order and paging. Works as a plain GET form.
package struct IssueListPage: Sendable {
    package let site: Site
    package let filter: IssueFilter
    /// Up to one more than a page: the extra row only says there is a next page.
    package let issues: [IssueSummary]
    /// How many match, counted up to `countCap(for:)` + 1.
    package let total: Int

    /// Above this many matches the page says "more than" rather than count them all: 10,000
    /// for filters, 1,000 for a search, whose count costs matching each candidate's words
    /// (on PostgreSQL most of a search page's time: `deploy/SCALE.md`).
    package static func countCap(for filter: IssueFilter) -> Int {
        filter.text == nil ? 10_000 : 1_000
    }

    package init(site: Site, filter: IssueFilter, issues: [IssueSummary], total: Int) {
        self.site = site
        self.filter = filter
        self.issues = issues
        self.total = total
    }

    /// "No issues match", "1 issue matches", "1,234 issues match", "More than 10,000 issues match"
    /// ("more than 1,000" for a search).
    var countText: String {
        let cap = Self.countCap(for: filter)
        return site.words.matchCount(total, shown: site.number(min(total, cap)), more: total > cap)
    }

    package func render() -> HTML {
        let layout = Layout(site: site)
        let words = site.words
        let shown = Array(issues.prefix(filter.perPage))
        let hasNext = issues.count > filter.perPage
        let feed = "/feeds/issues.atom" + filter.filtersOnly
        var pages: [HTML] = []
        if filter.page > 1 {
            pages.append(
                "<a rel=\"prev\" href=\"/issues\(filter.queryString(page: filter.page - 1))\">\(words.previousPage)</a>"
            )
        }
        pages.append("<span>\(words.page(filter.page))</span>")
        if hasNext {
            pages.append(
                "<a rel=\"next\" href=\"/issues\(filter.queryString(page: filter.page + 1))\">\(words.nextPage)</a>"
            )
        }
        let main: HTML = """
            <h1>\(words.issues)</h1>
            <form class="filters" action="/issues" method="get" aria-label="\(words.filterIssues)">
            <div><label for="f-q">\(words.words)</label><input id="f-q" name="q" type="search" value="\(filter.text ?? "")"></div>
            <div><label for="f-category">\(words.categoryLabel)</label><select id="f-category" name="category">\(categoryOptions)</select></div>
            <div><label for="f-status">\(words.statusLabel)</label><select id="f-status" name="status">\(statusOptions)</select></div>
            <div><label for="f-agency">\(words.bodyLabel)</label><select id="f-agency" name="agency">\(agencyOptions)</select></div>
            <div><label for="f-bbox">\(words.areaBox)</label><input id="f-bbox" name="bbox" value="\(filter.area?.text ?? "")" inputmode="decimal" data-bbox-input></div>
            <div><label for="f-sort">\(words.orderLabel)</label><select id="f-sort" name="sort">\(orderOptions)</select></div>
            <div><button type="submit">\(words.showIssues)</button></div>
            </form>
            \(layout.map(label: words.mapOfListed, geojson: "/api/v1/issues.geojson" + filter.queryString(page: filter.page, includeOrder: true)))
            <p class="downloads">\(words.theseIssuesAs) <a href="\(feed)">\(words.atomFeed)</a> · <a href="/api/v1/issues.geojson\(filter.filtersOnly)">GeoJSON</a> · <a href="/api/v1/issues.csv\(filter.filtersOnly)">CSV</a> · <a href="/api/v1/issues\(filter.filtersOnly)">JSON</a></p>
            <section aria-labelledby="results-heading">
            <h2 id="results-heading">\(words.results)</h2>
            <p class="count" role="status">\(countText)\(total > 0 ? " \(words.page(filter.page))." : "")</p>
            \(IssueList(site: site).render(shown, empty: words.noneMatchFilters))
            <nav class="pages" aria-label="\(words.pages)">\(HTML.join(pages, separator: " "))</nav>
            </section>
            """
        return layout.page(
            title: words.issues,
            feeds: [.init(title: words.matchingFeed, href: feed)],
            map: true,
            current: "/issues",
            main: main
        )
    }

    func option(_ value: String, _ label: String, selected: Bool) -> HTML {
        selected
            ? "<option value=\"\(value)\" selected>\(label)</option>" : "<option value=\"\(value)\">\(label)</option>"
    }

    var categoryOptions: HTML {
        var options: [HTML] = [option("", site.words.anyCategory, selected: filter.category == nil)]
        for category in Taxonomy.categories {
            options.append(
                option(category.code, site.category(category.code), selected: filter.category == category.code)
            )
        }
        return HTML.join(options)
    }

    var statusOptions: HTML {
        HTML.join(
            [option("", site.words.anyStatus, selected: filter.status == nil)]
                + IssueFilter.statuses.map { option($0, site.status($0), selected: filter.status == $0) }
        )
    }

    var agencyOptions: HTML {
        let agencies = site.names.sorted { $0.value < $1.value }
        return HTML.join(
            [option("", site.words.anyBody, selected: filter.agency == nil)]
                + agencies.map { option($0.key, $0.value, selected: filter.agency == $0.key) }
        )
    }

    var orderOptions: HTML {
        HTML.join(
            IssueQuery.Order.allCases.map { option($0.rawValue, site.words.order($0), selected: filter.order == $0) }
        )
    }
}
