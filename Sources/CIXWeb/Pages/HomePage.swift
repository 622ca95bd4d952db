import CIXStore

/// The front page: what is new, what most people see, a map and a search box.
package struct HomePage: Sendable {
    package let site: Site
    package let recent: [IssueSummary]
    package let mostConfirmed: [IssueSummary]

    package init(site: Site, recent: [IssueSummary], mostConfirmed: [IssueSummary]) {
        self.site = site
        self.recent = recent
        self.mostConfirmed = mostConfirmed
    }

    package func render() -> HTML {
        let layout = Layout(site: site)
        let list = IssueList(site: site)
        let report: HTML =
            site.takesReports
            ? "<p><a class=\"button\" href=\"/report\">Report a problem</a> — you do not need to know which body is responsible.</p>"
            : "<p>This mirror takes no reports. See <a href=\"/nodes\">the bodies and nodes</a> to find where to report.</p>"
        let follow: HTML =
            site.mailsResidents && !site.node.areas.isEmpty
            ? "<p><a href=\"/follow\">Get an email about each new report in your area</a></p>" : ""
        let main: HTML = """
            <h1>\(site.name): the public issue list</h1>
            <p class="lead">Every problem reported to the bodies of this place, who holds each part of it, and what is being done.</p>
            \(report)
            \(follow)
            \(layout.map(label: "Map of recent issues", geojson: "/api/v1/issues.geojson?limit=200"))
            <div class="columns">
            <section aria-labelledby="recent-heading">
            <h2 id="recent-heading">Recently changed</h2>
            \(list.render(recent, empty: "No issues yet."))
            <p><a href="/issues">All issues</a></p>
            </section>
            <section aria-labelledby="confirmed-heading">
            <h2 id="confirmed-heading">Most confirmed</h2>
            \(list.render(mostConfirmed, empty: "No issues yet."))
            <p><a href="/issues?sort=confirmations">All issues by confirmations</a></p>
            </section>
            </div>
            """
        return layout.page(
            title: "Home",
            feeds: [.init(title: "All issues", href: "/feeds/issues.atom")],
            map: true,
            current: "/",
            main: main
        )
    }
}
