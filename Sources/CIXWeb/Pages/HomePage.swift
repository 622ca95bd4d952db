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
        let words = site.words
        let report: HTML =
            site.takesReports
            ? "<p><a class=\"button\" href=\"/report\">\(words.reportAProblem)</a> — \(words.noNeedToKnow)</p>"
            : "<p>\(words.mirrorTakesNoReports(nodes: "/nodes"))</p>"
        let follow: HTML =
            site.mailsResidents && !site.node.areas.isEmpty
            ? "<p><a href=\"/follow\">\(words.followAreaLink)</a></p>" : ""
        let main: HTML = """
            <h1>\(words.homeHeading(site.name))</h1>
            <p class="lead">\(words.homeLead)</p>
            \(report)
            \(follow)
            \(layout.map(label: words.mapOfRecent, geojson: "/api/v1/issues.geojson?limit=200"))
            <div class="columns">
            <section aria-labelledby="recent-heading">
            <h2 id="recent-heading">\(words.recentlyChanged)</h2>
            \(list.render(recent, empty: words.noIssuesYet))
            <p><a href="/issues">\(words.allIssues)</a></p>
            </section>
            <section aria-labelledby="confirmed-heading">
            <h2 id="confirmed-heading">\(words.mostConfirmed)</h2>
            \(list.render(mostConfirmed, empty: words.noIssuesYet))
            <p><a href="/issues?sort=confirmations">\(words.allByConfirmations)</a></p>
            </section>
            </div>
            """
        return layout.page(
            title: words.home,
            feeds: [.init(title: words.allIssues, href: "/feeds/issues.atom")],
            map: true,
            current: "/",
            main: main
        )
    }
}
