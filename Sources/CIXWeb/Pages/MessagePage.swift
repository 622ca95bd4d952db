import CIXCore

/// Short pages: errors, and where to report when this node takes no reports.
package struct MessagePage: Sendable {
    package let site: Site

    package init(site: Site) { self.site = site }

    var words: any Catalogue { site.words }

    package func error(_ error: WebError) -> HTML {
        let message: HTML =
            error.problems.isEmpty
            ? "\(error.message)" : HTML.join(error.problems.map { "\(words.problem($0))" as HTML }, separator: " ")
        return Layout(site: site).page(
            title: words.errorTitle(error.status),
            main: """
                <h1>\(words.thatDidNotWork)</h1>
                <p role="alert">\(message)</p>
                <p><a href="/">\(words.backHome)</a></p>
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
            title: words.mirrorTakesNoReportsTitle,
            main: """
                <h1>\(words.mirrorTakesNoReportsTitle)</h1>
                <p>\(words.useIntakeNodes(site.name))</p>
                <ul>\(items)</ul>
                """
        )
    }

    /// After a report that waits for a moderator.
    package func held() -> HTML {
        Layout(site: site).page(
            title: words.reportReceived,
            main: """
                <h1>\(words.thanksReceived)</h1>
                <p role="status">\(words.heldExplained(site.name))</p>
                <p><a href="/">\(words.backHome)</a></p>
                """
        )
    }

    /// After a report: where it went and why.
    package func reported(issue: EventID, title: String, routes: [(name: String, reason: String)]) -> HTML {
        let list: HTML =
            routes.isEmpty
            ? "<p>\(words.heldByHand(site.name))</p>"
            : "<ul class=\"routes\">\(routes.map { "<li><strong>\($0.name)</strong>: \($0.reason)</li>" as HTML })</ul>"
        return Layout(site: site).page(
            title: words.reportSent,
            main: """
                <h1>\(words.thanksSent)</h1>
                <p role="status">\(words.nowPublic(title))</p>
                <h2>\(words.whereItWent)</h2>
                \(list)
                <p><a href="/issues/\(issue.hex)">\(words.followYourReport)</a> \(words.bookmark)</p>
                """
        )
    }
}
