import CIXStore

/// Issue rows as a list, shared by the home page and the issue list.
struct IssueList {
    let site: Site

    func render(_ issues: [IssueSummary], empty: String) -> HTML {
        guard !issues.isEmpty else { return "<p class=\"empty\">\(empty)</p>" }
        let items = issues.map { issue -> HTML in
            let title = issue.title ?? "[report removed]"
            let meta =
                "\(Site.categoryName(issue.category)) · reported \(Site.date(issue.reportedAt)) through \(site.name(of: issue.origin))"
            return """
                <li class="issue">
                <h3><a href="/issues/\(issue.id)">\(title)</a></h3>
                <p class="meta"><span class="status status-\(issue.status)">\(Site.statusName(issue.status))</span> \(meta)</p>
                <p class="counts">\(issue.confirmations) confirmed · \(Plural.count(issue.solutions, "solution")) · \(Plural.count(issue.offers, "offer", "offers")) of help · \(Plural.count(issue.comments, "comment"))</p>
                </li>
                """
        }
        return "<ul class=\"issues\">\n\(items)\n</ul>"
    }
}

/// “1 comment”, “2 comments”.
enum Plural {
    static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number) \(number == 1 ? singular : plural ?? singular + "s")"
    }
}
