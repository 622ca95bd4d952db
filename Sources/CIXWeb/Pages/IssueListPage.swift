import CIXRouting
import CIXStore

/// The list with its filters, order and paging. Works as a plain GET form.
package struct IssueListPage: Sendable {
    package let site: Site
    package let filter: IssueFilter
    /// Up to one more than a page: the extra row only says there is a next page.
    package let issues: [IssueSummary]
    /// How many match, counted up to `countCap` + 1.
    package let total: Int
    /// Above this many matches the page says "more than" rather than count them all.
    package static let countCap = 10_000

    package init(site: Site, filter: IssueFilter, issues: [IssueSummary], total: Int) {
        self.site = site
        self.filter = filter
        self.issues = issues
        self.total = total
    }

    /// 12345 as "12,345".
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        return String(
            digits.enumerated().flatMap { index, digit in
                index > 0 && (digits.count - index) % 3 == 0 ? [",", digit] : [digit]
            }
        )
    }

    /// "No issues match", "1 issue matches", "1,234 issues match", "More than 10,000 issues match".
    var countText: String {
        let number = Self.grouped(min(total, Self.countCap))
        switch total {
        case 0: return "No issues match."
        case 1: return "1 issue matches."
        case ...Self.countCap: return "\(number) issues match."
        default: return "More than \(number) issues match."
        }
    }

    package func render() -> HTML {
        let layout = Layout(site: site)
        let shown = Array(issues.prefix(filter.perPage))
        let hasNext = issues.count > filter.perPage
        let feed = "/feeds/issues.atom" + filter.filtersOnly
        var pages: [HTML] = []
        if filter.page > 1 {
            pages.append(
                "<a rel=\"prev\" href=\"/issues\(filter.queryString(page: filter.page - 1))\">Previous page</a>"
            )
        }
        pages.append("<span>Page \(filter.page)</span>")
        if hasNext {
            pages.append("<a rel=\"next\" href=\"/issues\(filter.queryString(page: filter.page + 1))\">Next page</a>")
        }
        let main: HTML = """
            <h1>Issues</h1>
            <form class="filters" action="/issues" method="get" aria-label="Filter issues">
            <div><label for="f-q">Words</label><input id="f-q" name="q" type="search" value="\(filter.text ?? "")"></div>
            <div><label for="f-category">Category</label><select id="f-category" name="category">\(categoryOptions)</select></div>
            <div><label for="f-status">Status</label><select id="f-status" name="status">\(statusOptions)</select></div>
            <div><label for="f-agency">Body</label><select id="f-agency" name="agency">\(agencyOptions)</select></div>
            <div><label for="f-bbox">Area (west,south,east,north)</label><input id="f-bbox" name="bbox" value="\(filter.area?.text ?? "")" inputmode="decimal" data-bbox-input></div>
            <div><label for="f-sort">Order</label><select id="f-sort" name="sort">\(orderOptions)</select></div>
            <div><button type="submit">Show issues</button></div>
            </form>
            \(layout.map(label: "Map of the listed issues", geojson: "/api/v1/issues.geojson" + filter.queryString(page: filter.page, includeOrder: true)))
            <p class="downloads">These issues as <a href="\(feed)">Atom feed</a> · <a href="/api/v1/issues.geojson\(filter.filtersOnly)">GeoJSON</a> · <a href="/api/v1/issues.csv\(filter.filtersOnly)">CSV</a> · <a href="/api/v1/issues\(filter.filtersOnly)">JSON</a></p>
            <section aria-labelledby="results-heading">
            <h2 id="results-heading">Results</h2>
            <p class="count" role="status">\(countText)\(total > 0 ? " Page \(filter.page)." : "")</p>
            \(IssueList(site: site).render(shown, empty: "No issues match these filters."))
            <nav class="pages" aria-label="Pages">\(HTML.join(pages, separator: " "))</nav>
            </section>
            """
        return layout.page(
            title: "Issues",
            feeds: [.init(title: "Issues matching these filters", href: feed)],
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
        var options: [HTML] = [option("", "Any category", selected: filter.category == nil)]
        for category in Taxonomy.categories {
            options.append(option(category.code, category.name, selected: filter.category == category.code))
        }
        return HTML.join(options)
    }

    var statusOptions: HTML {
        HTML.join(
            [option("", "Any status", selected: filter.status == nil)]
                + IssueFilter.statuses.map { option($0, Site.statusName($0), selected: filter.status == $0) }
        )
    }

    var agencyOptions: HTML {
        let agencies = site.names.sorted { $0.value < $1.value }
        return HTML.join(
            [option("", "Any body", selected: filter.agency == nil)]
                + agencies.map { option($0.key, $0.value, selected: filter.agency == $0.key) }
        )
    }

    var orderOptions: HTML {
        func label(_ order: IssueQuery.Order) -> String {
            switch order {
            case .updated: "Recently changed"
            case .reported: "Recently reported"
            case .confirmations: "Most confirmed"
            }
        }
        return HTML.join(IssueQuery.Order.allCases.map { option($0.rawValue, label($0), selected: filter.order == $0) })
    }
}
