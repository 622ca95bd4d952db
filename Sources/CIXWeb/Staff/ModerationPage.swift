import CIXCanonicalJSON
import CIXStaff
import CIXStore

/// The moderation queue: residents' reports held before publication, each
/// with approve, edit-and-approve and reject. Contact details are not shown
/// here (they go with the report to the case, behind their own permission).
package struct ModerationPage: Sendable {
    package let layout: StaffLayout
    package let held: [HeldReport]
    package let flagged: [Flagged]
    package let notice: String?

    /// A published item residents flagged, with their reasons and notes.
    package struct Flagged: Sendable {
        package let issue: String
        package let event: String
        /// The issue's title, for the link.
        package let title: String
        /// "The report", "Comment of 3 Dec 2026 (ab12cd34)".
        package let what: String
        /// What it says now (nil once removed).
        package let text: String?
        package let reasons: [(reason: String, count: Int)]
        package let notes: [String]

        package init(
            issue: String,
            event: String,
            title: String,
            what: String,
            text: String?,
            reasons: [(reason: String, count: Int)],
            notes: [String]
        ) {
            self.issue = issue
            self.event = event
            self.title = title
            self.what = what
            self.text = text
            self.reasons = reasons
            self.notes = notes
        }
    }

    package init(layout: StaffLayout, held: [HeldReport], flagged: [Flagged] = [], notice: String? = nil) {
        self.layout = layout
        self.held = held
        self.flagged = flagged
        self.notice = notice
    }

    var flaggedSection: HTML {
        let token = layout.token
        let items = flagged.map { item -> HTML in
            let reasons = item.reasons.map { reason, count -> String in
                let label = FlagReason(rawValue: reason)?.label ?? reason
                return count == 1 ? label : "\(label) (\(count) residents)"
            }.joined(separator: "; ")
            let notes = HTML.join(item.notes.map { "<li>\($0)</li>" as HTML })
            return """
                <li class="flagged"><h3 id="flag-\(item.event)">\(item.what) on <a href="/staff/cases/\(item.issue)">\(item.title)</a></h3>
                \(item.text.map { Paragraphs.render($0) } ?? "<p>Already removed.</p>")
                <p class="meta">Flagged: \(reasons)</p>
                \(item.notes.isEmpty ? HTML.empty : "<p>Residents' notes (never published):</p><ul>\(notes)</ul>")
                <form method="post" action="/staff/moderation/flags/remove">\(token)
                <input type="hidden" name="event" value="\(item.event)">
                <label for="remove-\(item.event)">Why it is removed (published with the removal; no personal data)</label>
                <input id="remove-\(item.event)" name="reason" required maxlength="500">
                <button type="submit">Remove it everywhere</button>
                </form>
                <form method="post" action="/staff/moderation/flags/keep">\(token)
                <input type="hidden" name="event" value="\(item.event)">
                <button type="submit">Keep it and close the flags</button>
                </form></li>
                """
        }
        let list: HTML =
            items.isEmpty ? "<p class=\"empty\">Nothing is flagged.</p>" : "<ul class=\"cases\">\(items)</ul>"
        return """
            <section aria-labelledby="flagged-heading">
            <h2 id="flagged-heading">Flagged by residents (\(flagged.count))</h2>
            <p>Published items residents reported with "Report a problem with this page". Removing one publishes a signed removal: its text is deleted on every node that holds it.</p>
            \(list)
            </section>
            """
    }

    package func render() -> HTML {
        let token = layout.token
        let items = held.map { report -> HTML in
            let fields = (try? JSONParser().parse(report.fields)) ?? .null
            let title = fields["title"]?.stringValue ?? ""
            let description = fields["description"]?.stringValue ?? ""
            let id = Int(report.id)
            let place = [
                fields["address"]?.stringValue, fields["latitude"]?.numberValue.map { "\($0)" },
                fields["longitude"]?.numberValue.map { "\($0)" },
            ]
            .compactMap { $0 }.joined(separator: ", ")
            return """
                <li class="held"><h3 id="held-\(id)">\(title)</h3>
                <p class="meta">\(Site.categoryName(fields["category"]?.stringValue)) · received \(Site.date(report.receivedAt.secondsSinceEpoch)) · \(place) · \(report.photos.count) photo(s)</p>
                \(description.isEmpty ? HTML.empty : Paragraphs.render(description))
                <form method="post" action="/staff/moderation/\(id)/approve">\(token)
                <label for="title-\(id)">Title</label>
                <input id="title-\(id)" name="title" value="\(title)" required maxlength="200">
                <label for="description-\(id)">Details</label>
                <textarea id="description-\(id)" name="description" maxlength="8000">\(description)</textarea>
                <button type="submit">Approve and publish</button>
                </form>
                <form method="post" action="/staff/moderation/\(id)/reject">\(token)
                <label for="reason-\(id)">Why it is rejected (for the audit trail)</label>
                <input id="reason-\(id)" name="reason" required maxlength="500">
                <button type="submit">Reject and delete</button>
                </form></li>
                """
        }
        return layout.page(
            title: "Moderation",
            current: "/staff/moderation",
            main: """
                <h1>Moderation</h1>
                \(notice.map { "<p class=\"notice\" role=\"status\">\($0)</p>" as HTML })
                <section aria-labelledby="held-heading">
                <h2 id="held-heading">Reports waiting for moderation (\(held.count))</h2>
                <p>These reports are not yet signed, published or sent to any body. Approving publishes the report as shown in the form (edit out anything that must not be public); rejecting deletes it and its photos.</p>
                \(items.isEmpty ? "<p class=\"empty\">Nothing is waiting.</p>" as HTML : "<ul class=\"cases\">\(items)</ul>")
                </section>
                \(flaggedSection)
                """
        )
    }
}
