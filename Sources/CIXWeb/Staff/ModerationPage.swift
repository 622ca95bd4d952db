import CIXCanonicalJSON
import CIXStore

/// The moderation queue: residents' reports held before publication, each
/// with approve, edit-and-approve and reject. Contact details are not shown
/// here (they go with the report to the case, behind their own permission).
package struct ModerationPage: Sendable {
    package let layout: StaffLayout
    package let held: [HeldReport]
    package let notice: String?

    package init(layout: StaffLayout, held: [HeldReport], notice: String? = nil) {
        self.layout = layout
        self.held = held
        self.notice = notice
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
                <li class="held"><h2 id="held-\(id)">\(title)</h2>
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
                <h1>Reports waiting for moderation (\(held.count))</h1>
                \(notice.map { "<p class=\"notice\" role=\"status\">\($0)</p>" as HTML })
                <p>These reports are not yet signed, published or sent to any body. Approving publishes the report as shown in the form (edit out anything that must not be public); rejecting deletes it and its photos.</p>
                \(items.isEmpty ? "<p class=\"empty\">Nothing is waiting.</p>" : "<ul class=\"cases\">\(items)</ul>")
                """
        )
    }
}
