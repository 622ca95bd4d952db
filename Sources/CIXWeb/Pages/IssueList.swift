import CIXStore

/// Issue rows as a list, shared by the home page and the issue list.
struct IssueList {
    let site: Site

    func render(_ issues: [IssueSummary], empty: String) -> HTML {
        guard !issues.isEmpty else { return "<p class=\"empty\">\(empty)</p>" }
        let words = site.words
        let items = issues.map { issue -> HTML in
            let title = issue.title ?? words.reportRemoved
            let meta =
                "\(site.category(issue.category)) · \(words.reportedThrough(site.date(issue.reportedAt), site.name(of: issue.origin)))"
            return """
                <li class="issue">
                <h3><a href="/issues/\(issue.id)">\(title)</a></h3>
                <p class="meta"><span class="status status-\(issue.status)">\(site.status(issue.status))</span> \(meta)</p>
                <p class="counts">\(words.confirmedCount(issue.confirmations)) · \(words.solutionCount(issue.solutions)) · \(words.offerCount(issue.offers)) · \(words.commentCount(issue.comments))</p>
                </li>
                """
        }
        return "<ul class=\"issues\">\n\(items)\n</ul>"
    }
}
