import CIXCore

/// Short pages: errors, and where to report when this node takes no reports.
package struct MessagePage: Sendable {
    package let site: Site

    package init(site: Site) { self.site = site }

    package func error(_ error: WebError) -> HTML {
        Layout(site: site).page(
            title: "Error \(error.status)",
            main: """
                <h1>That did not work</h1>
                <p role="alert">\(error.message)</p>
                <p><a href="/">Back to the home page</a></p>
                """
        )
    }

    /// Where a resident can report instead: every known node that takes reports.
    package func reportElsewhere(intake: [(name: String, url: String)]) -> HTML {
        let items = intake.map { node -> HTML in
            let safe = node.url.hasPrefix("https://") ? node.url : ""
            return safe.isEmpty ? "<li>\(node.name)</li>" : "<li><a href=\"\(safe)/report\">\(node.name)</a></li>"
        }
        return Layout(site: site).page(
            title: "This mirror takes no reports",
            main: """
                <h1>This mirror takes no reports</h1>
                <p>\(site.name) is a read-only public mirror: it copies and verifies the records of the bodies below, but it cannot accept reports, confirmations, solutions or offers of help. Please use one of these intake nodes instead:</p>
                <ul>\(items)</ul>
                """
        )
    }

    /// After a report that waits for a moderator.
    package func held() -> HTML {
        Layout(site: site).page(
            title: "Report received",
            main: """
                <h1>Thank you: your report was received</h1>
                <p role="status">\(site.name) checks reports of this kind before they are published. Once a moderator has looked at it, it becomes a public, signed issue and goes to the bodies that deal with it. If it cannot be published, it is deleted.</p>
                <p><a href="/">Back to the home page</a></p>
                """
        )
    }

    /// After a report: where it went and why.
    package func reported(issue: EventID, title: String, routes: [(name: String, reason: String)]) -> HTML {
        let list: HTML =
            routes.isEmpty
            ? "<p>No body has said it serves this kind of problem in this place yet, so \(site.name) holds it and will route it by hand.</p>"
            : "<ul class=\"routes\">\(routes.map { "<li><strong>\($0.name)</strong>: \($0.reason)</li>" as HTML })</ul>"
        return Layout(site: site).page(
            title: "Report sent",
            main: """
                <h1>Thank you: your report was sent</h1>
                <p role="status">“\(title)” is now a public, signed issue.</p>
                <h2>Where it went, and why</h2>
                \(list)
                <p><a href="/issues/\(issue.hex)">Follow your report</a> (bookmark this page to come back to it).</p>
                """
        )
    }
}
