import CIXCore
import CIXNode
import CIXStore

/// Atom (RFC 4287) feeds of issues and of one issue's events.
package enum AtomFeed {
    /// One entry of a feed.
    struct Entry {
        let id: String
        let title: String
        let updated: String
        let link: String
        let author: String
        let summary: String
        let category: String?
    }

    /// The issues of a list, newest change first.
    package static func issues(_ issues: [IssueSummary], site: Site, title: String, selfPath: String) -> String {
        let entries = issues.map { issue in
            Entry(
                id: "urn:cix:issue:\(issue.id)",
                title: issue.title ?? site.words.reportRemoved,
                updated: Timestamp(secondsSinceEpoch: issue.updatedAt).description,
                link: "\(site.baseURL)/issues/\(issue.id)",
                author: site.name(of: issue.origin),
                summary: site.words.feedSummary(
                    status: site.status(issue.status),
                    category: site.category(issue.category),
                    confirmations: issue.confirmations,
                    solutions: issue.solutions,
                    offers: issue.offers
                ),
                category: issue.category
            )
        }
        return render(
            id: "\(site.baseURL)\(selfPath)",
            title: title,
            selfLink: "\(site.baseURL)\(selfPath)",
            alternate: "\(site.baseURL)/issues",
            site: site,
            entries: entries
        )
    }

    /// The events of one issue, oldest first, as a change log.
    package static func issue(_ view: IssueView, site: Site) -> String {
        let id = view.state.id.hex
        let entries = view.entries.compactMap { entry -> Entry? in
            guard let event = entry.event else { return nil }
            let text = event.content?.texts.first
            let sentence = EventSentence.of(event, in: view, words: site.words)
            return Entry(
                id: "urn:cix:event:\(event.id.hex)",
                title: sentence,
                updated: event.at.description,
                link: "\(site.baseURL)/issues/\(id)",
                author: view.name(event.author),
                summary: text ?? sentence,
                category: nil
            )
        }
        let title = view.state.report?.title ?? site.words.issueNumber(String(id.prefix(12))).capitalizedFirst
        return render(
            id: "urn:cix:issue:\(id)",
            title: title,
            selfLink: "\(site.baseURL)/issues/\(id)/feed.atom",
            alternate: "\(site.baseURL)/issues/\(id)",
            site: site,
            entries: entries
        )
    }

    static func render(
        id: String,
        title: String,
        selfLink: String,
        alternate: String,
        site: Site,
        entries: [Entry]
    ) -> String {
        let updated = entries.map(\.updated).max() ?? Timestamp(secondsSinceEpoch: 0).description
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(site.language.rawValue)">
            <id>\(XMLText.escape(id))</id>
            <title>\(XMLText.escape(title))</title>
            <updated>\(updated)</updated>
            <author><name>\(XMLText.escape(site.name))</name></author>
            <link rel="self" type="application/atom+xml" href="\(XMLText.escape(selfLink))"/>
            <link rel="alternate" type="text/html" href="\(XMLText.escape(alternate))"/>
            <generator>CIX</generator>

            """
        for entry in entries {
            xml += """
                <entry>
                <id>\(XMLText.escape(entry.id))</id>
                <title>\(XMLText.escape(entry.title))</title>
                <updated>\(entry.updated)</updated>
                <author><name>\(XMLText.escape(entry.author))</name></author>
                <link rel="alternate" type="text/html" href="\(XMLText.escape(entry.link))"/>
                \(entry.category.map { "<category term=\"\(XMLText.escape($0))\" label=\"\(XMLText.escape(site.category($0)))\"/>\n" } ?? "")<summary>\(XMLText.escape(entry.summary))</summary>
                </entry>

                """
        }
        return xml + "</feed>\n"
    }
}
