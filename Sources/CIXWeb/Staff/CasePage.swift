import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXRouting
import CIXStaff
import CIXStore

/// One case as staff work it: the issue as the public sees it, and what
/// only staff see — partner notes, internal notes, the resident's contact
/// details on request — with the actions this person may take on it.
package struct CasePage: Sendable {
    /// A partner-only note held on this issue, with the bodies it went to.
    package struct PartnerNote: Sendable {
        package let event: Event
        package let text: String
        package let audience: [String]

        package init(event: Event, text: String, audience: [String]) {
            self.event = event
            self.text = text
            self.audience = audience
        }
    }

    package let layout: StaffLayout
    /// The issue as the public sees it.
    package let view: IssueView
    package let ourNode: NodeID
    package let heldPhotos: Set<String>
    package let notes: [CaseNote]
    package let partnerNotes: [PartnerNote]
    /// Bodies a partner note may go to: the issue's other agencies.
    package let partners: [(node: NodeID, name: String)]
    /// Bodies a decline may refer to, or a transfer go to.
    package let bodies: [(node: NodeID, name: String)]
    /// What this person may do on this case.
    package let allowed: Set<Permission>
    /// Wording to start public notes from.
    package let templates: [ResponseTemplate]
    /// Who works the case, and who could (logins).
    package let assignee: String?
    package let colleagues: [String]
    package let contactHeld: Bool
    /// The resident's details, when asked for (and audited) in this request.
    package let contact: ShownContact?
    package let notice: String?
    /// The body's markers on this case (restriction, safeguarding): local only.
    package let markers: [MarkerRecord]
    /// How urgent the body judges the case: local only.
    package let priority: CasePriority
    /// What was removed from this issue and is still kept for moderators.
    package let originals: [RedactedOriginal]

    package init(
        layout: StaffLayout,
        view: IssueView,
        ourNode: NodeID,
        heldPhotos: Set<String>,
        notes: [CaseNote],
        partnerNotes: [PartnerNote],
        partners: [(node: NodeID, name: String)],
        bodies: [(node: NodeID, name: String)],
        allowed: Set<Permission>,
        templates: [ResponseTemplate] = [],
        assignee: String? = nil,
        colleagues: [String] = [],
        contactHeld: Bool,
        contact: ShownContact? = nil,
        notice: String? = nil,
        markers: [MarkerRecord] = [],
        priority: CasePriority = .normal,
        originals: [RedactedOriginal] = []
    ) {
        self.priority = priority
        self.originals = originals
        self.layout = layout
        self.view = view
        self.ourNode = ourNode
        self.heldPhotos = heldPhotos
        self.notes = notes
        self.partnerNotes = partnerNotes
        self.partners = partners
        self.bodies = bodies
        self.allowed = allowed
        self.templates = templates
        self.assignee = assignee
        self.colleagues = colleagues
        self.contactHeld = contactHeld
        self.contact = contact
        self.notice = notice
        self.markers = markers
    }

    var state: IssueState { view.state }
    var id: String { state.id.hex }
    var ourPart: IssueState.AgencyPart? { state.agencies[ourNode] }
    var publicPage: IssuePage { IssuePage(site: layout.site, view: view, formToken: nil, heldPhotos: heldPhotos) }

    package func render() -> HTML {
        let title = state.report?.title ?? "Report removed"
        let part: HTML =
            ourPart.map {
                "<p class=\"meta\">Our part: <strong>\(Site.statusName($0.role.rawValue))</strong>, status <span class=\"status status-\($0.status.rawValue)\">\(Site.statusName($0.status.rawValue))</span></p>"
            } ?? "<p class=\"meta\">\(layout.site.name) has no part in this issue.</p>"
        return layout.page(
            title: title,
            main: """
                \(notice.map { "<p class=\"notice\" role=\"status\">\($0)</p>" as HTML })
                <article class="case-page">
                <h1>\(title)</h1>
                <p class="meta"><span class="status status-\(state.overall.rawValue)">\(Site.statusName(state.overall.rawValue))</span> \(Site.categoryName(state.report?.category)) · reported \(Site.date(state.reportedAt.secondsSinceEpoch)) through \(view.name(state.origin)) · <a href="/issues/\(id)">public page</a></p>
                \(part)
                \(prioritySection)
                \(markerSection)
                \(contactSection)
                \(actions)
                \(internalNotes)
                \(partnerSection)
                \(originalsSection)
                \(publicPage.report)
                \(publicPage.agencies)
                \(publicPage.timeline)
                </article>
                """
        )
    }

    var declineReasons: HTML {
        HTML.join(
            DeclineReason.allCases.map { reason in
                "<option value=\"\(reason.rawValue)\">\(reason.label)</option>"
            }
        )
    }

    /// The case's priority, and for those who may set statuses, the form to change it.
    var prioritySection: HTML {
        let shown: HTML =
            "<p class=\"meta\">Priority: <strong class=\"priority-\(priority.rawValue)\">\(priority.label)</strong></p>"
        guard allowed.contains(.setStatus) else { return priority == .normal ? .empty : shown }
        let options = CasePriority.allCases.map { level -> HTML in
            "<option value=\"\(level.rawValue)\"\(level == priority ? " selected" : "")>\(level.label)</option>"
        }
        return """
            <form method="post" action="/staff/cases/\(id)/priority" class="priority">\(layout.token)
            <label for="priority">Priority (kept on this node only)</label>
            <select id="priority" name="priority">\(HTML.join(options))</select>
            <button type="submit">Set the priority</button>
            </form>
            """
    }

    /// What moderators removed and the node still keeps (`[staff] keep_redacted_days`), until when.
    var originalsSection: HTML {
        guard allowed.contains(.redact), !originals.isEmpty else { return .empty }
        let items = originals.map { original -> HTML in
            """
            <li><p class="meta">Removed by \(original.redactedBy) on \(Site.date(original.at)); kept until \(Site.date(original.keepUntil)), then deleted.</p>
            <p class="original">\(Self.readable(original.content))</p></li>
            """
        }
        return """
            <section aria-labelledby="originals-heading">
            <h2 id="originals-heading">Removed, kept for moderators</h2>
            <ul class="contributions">\(HTML.join(items))</ul>
            </section>
            """
    }

    /// The words of a removed body (its title, description, text or note), else its JSON.
    static func readable(_ content: String) -> String {
        guard let value = try? JSONParser().parse(Array(content.utf8)) else { return content }
        let words = ["title", "description", "text", "note", "reason"].compactMap { value[$0]?.stringValue }
        return words.isEmpty ? content : words.joined(separator: " — ")
    }

    /// The markers, where nobody can miss them, and the forms to set or remove those the person may.
    var markerSection: HTML {
        let token = layout.token
        let set = Set(markers.compactMap { CaseMarker(rawValue: $0.marker) })
        let shown = HTML.join(
            markers.compactMap { record -> HTML? in
                guard let marker = CaseMarker(rawValue: record.marker) else { return nil }
                let remove: HTML =
                    allowed.contains(marker.permission)
                    ? """
                    <form method="post" action="/staff/cases/\(id)/unmark" class="inline">\(token)<input type="hidden" name="marker" value="\(marker.rawValue)"><button type="submit">Remove</button></form>
                    """ : ""
                return
                    "<li><strong>\(marker.label)</strong> <span class=\"meta\">(by \(record.by), \(Site.date(record.at)))</span> \(remove)</li>"
            }
        )
        let choices = CaseMarker.allCases.filter { !set.contains($0) && allowed.contains($0.permission) }
        let add: HTML =
            choices.isEmpty
            ? .empty
            : """
            <form method="post" action="/staff/cases/\(id)/mark">\(token)
            <label for="marker">Add a marker (kept on this node only)</label>
            <select id="marker" name="marker">\(HTML.join(choices.map { "<option value=\"\($0.rawValue)\">\($0.label)</option>" as HTML }))</select>
            <button type="submit">Add the marker</button>
            </form>
            """
        guard !markers.isEmpty || !choices.isEmpty else { return .empty }
        let restricted: HTML =
            set.contains(.restricted)
            ? "<p class=\"notice\">Only those who need to know may open this case: people allowed to see restricted cases, and the person it is assigned to.</p>"
            : .empty
        return """
            <section aria-labelledby="markers-heading" class="markers">
            <h2 id="markers-heading">Markers</h2>
            \(restricted)
            \(markers.isEmpty ? "<p class=\"empty\">No markers.</p>" as HTML : "<ul>\(shown)</ul>")
            \(add)
            </section>
            """
    }

    var contactSection: HTML {
        guard allowed.contains(.viewContact), contactHeld else { return .empty }
        if let contact {
            let rows: [HTML] = [
                contact.name.map { "<dt>Name</dt><dd>\($0)</dd>" as HTML },
                contact.email.map { "<dt>E-mail</dt><dd>\($0)</dd>" as HTML },
                contact.phone.map { "<dt>Phone</dt><dd>\($0)</dd>" as HTML },
            ].compactMap { $0 }
            return """
                <section aria-labelledby="contact-heading" class="contact">
                <h2 id="contact-heading">The resident's contact details</h2>
                <p class="meta">\(contact.provenance) This view is recorded in the audit trail.</p>
                <dl class="facts">\(rows.isEmpty ? "<dt>Details</dt><dd>None given</dd>" : HTML.join(rows))</dl>
                </section>
                """
        }
        return """
            <form method="post" action="/staff/cases/\(id)/contact" class="contact">\(layout.token)
            <p>The resident left contact details for this body. Seeing them is recorded in the audit trail.</p>
            <button type="submit">Show the contact details</button>
            </form>
            """
    }

    var actions: HTML {
        var forms: [HTML] = []
        let token = layout.token
        let role = ourPart?.role
        // Routed to us, or taken here and not yet routed: ours to accept or decline.
        if allowed.contains(.answer), role == .routed || role == .origin {
            forms.append(
                """
                <form method="post" action="/staff/cases/\(id)/accept">\(token)
                <h3>Accept</h3>
                \(templateField("accept"))
                <label for="accept-note">Public note (optional)</label>
                <textarea id="accept-note" name="note" maxlength="2000"></textarea>
                <button type="submit">Accept this report</button>
                </form>
                """
            )
            forms.append(
                """
                <form method="post" action="/staff/cases/\(id)/decline">\(token)
                <h3>Decline: not ours</h3>
                <label for="decline-code">Why</label>
                <select id="decline-code" name="code">\(declineReasons)</select>
                <label for="decline-reason">More for the public (needed for another reason)</label>
                <p class="hint" id="decline-reason-hint">Residents read the reason's words and then this; 500 characters in all.</p>
                <textarea id="decline-reason" name="reason" maxlength="500" aria-describedby="decline-reason-hint"></textarea>
                <label for="decline-refer">Refer it to</label>
                <select id="decline-refer" name="refer"><option value="">Nobody</option>\(options(bodies))</select>
                <button type="submit">Decline</button>
                </form>
                """
            )
        }
        if allowed.contains(.setStatus), role == .accepted || role == .origin {
            let states = AgencyStatus.allCases.filter { $0 != .notOurs }.map { state -> HTML in
                "<option value=\"\(state.rawValue)\"\(state == ourPart?.status ? " selected" : "")>\(Site.statusName(state.rawValue))</option>"
            }
            forms.append(
                """
                <form method="post" action="/staff/cases/\(id)/status">\(token)
                <h3>Set our status</h3>
                <label for="status-state">Status</label>
                <select id="status-state" name="state">\(states)</select>
                \(templateField("status"))
                <label for="status-note">Public note (optional)</label>
                <textarea id="status-note" name="note" maxlength="2000"></textarea>
                <button type="submit">Set the status</button>
                </form>
                """
            )
        }
        if allowed.contains(.answer), role == .accepted || role == .routed, !bodies.isEmpty {
            forms.append(
                """
                <form method="post" action="/staff/cases/\(id)/transfer">\(token)
                <h3>Transfer to another body</h3>
                <label for="transfer-to">Body</label>
                <select id="transfer-to" name="to" required>\(options(bodies))</select>
                <label for="transfer-reason">Reason (public)</label>
                <textarea id="transfer-reason" name="reason" required maxlength="2000"></textarea>
                <button type="submit">Transfer</button>
                </form>
                """
            )
        }
        if allowed.contains(.answer) {
            let options = colleagues.map { login -> HTML in
                "<option value=\"\(login)\"\(login == assignee ? " selected" : "")>\(login)</option>"
            }
            forms.append(
                """
                <form method="post" action="/staff/cases/\(id)/assign">\(token)
                <h3>Who works it</h3>
                <p>\(assignee.map { "Worked by \($0)." } ?? "Nobody is assigned.")</p>
                <label for="assign-login">Assign to</label>
                <select id="assign-login" name="login"><option value="">Nobody</option>\(options)</select>
                <button type="submit">Assign</button>
                </form>
                """
            )
        }
        if allowed.contains(.markDuplicate), state.duplicateOf == nil {
            forms.append(
                """
                <form method="post" action="/staff/cases/\(id)/duplicate">\(token)
                <h3>Duplicate</h3>
                <label for="duplicate-of">Same problem as issue (its id, or its first 6 or more digits)</label>
                <input id="duplicate-of" name="of" required minlength="6" maxlength="64" pattern="[0-9a-fA-F]+" autocapitalize="none" spellcheck="false">
                <button type="submit">Mark as a duplicate</button>
                </form>
                """
            )
        }
        if allowed.contains(.editReport), state.origin == ourNode, let report = state.report {
            forms.append(correctionForm(report, token: token))
        }
        if allowed.contains(.internalNote) {
            forms.append(
                """
                <form method="post" action="/staff/cases/\(id)/note">\(token)
                <h3>Internal note</h3>
                <label for="note-text">Note (kept on this node only: never published or sent to another body)</label>
                <textarea id="note-text" name="text" required maxlength="8000"></textarea>
                <button type="submit">Add the note</button>
                </form>
                """
            )
        }
        if allowed.contains(.partnerNote), !partners.isEmpty {
            let boxes = partners.map { partner -> HTML in
                "<label class=\"check\"><input type=\"checkbox\" name=\"to\" value=\"\(partner.node.hex)\"> \(partner.name)</label>"
            }
            forms.append(
                """
                <form method="post" action="/staff/cases/\(id)/partner-note">\(token)
                <h3>Note to partner bodies</h3>
                <fieldset><legend>Send to</legend>\(boxes)</fieldset>
                <label for="partner-text">Note (signed by \(layout.site.name), sent only to the bodies chosen; never public, never to mirrors)</label>
                <textarea id="partner-text" name="text" required maxlength="8000"></textarea>
                <button type="submit">Send the note</button>
                </form>
                """
            )
        }
        forms.append(contentsOf: redactionForms)
        guard !forms.isEmpty else { return .empty }
        return """
            <section aria-labelledby="actions-heading" class="forms case-actions">
            <h2 id="actions-heading">Actions</h2>
            \(forms)
            </section>
            """
    }

    /// A choice of template; its text starts the public note, and anything typed follows it.
    /// Category and place, as the report has them now: only the body that took the report may correct them.
    func correctionForm(_ report: IssueState.ReportContent, token: HTML) -> HTML {
        let options = Taxonomy.categories.map { category -> HTML in
            let selected: HTML = category.code == report.category ? " selected" : ""
            return "<option value=\"\(category.code)\"\(selected)>\(category.name) (\(category.group))</option>"
        }
        return """
            <form method="post" action="/staff/cases/\(id)/edit">\(token)
            <h3>Correct the category or place</h3>
            <p class="hint" id="edit-hint">Published as a correction by \(layout.site.name); bodies that cover the new category or place are asked to look at it.</p>
            <label for="edit-category">Category</label>
            <select id="edit-category" name="category" aria-describedby="edit-hint">\(options)</select>
            <label for="edit-lat">Latitude</label>
            <input id="edit-lat" name="lat" inputmode="decimal" required value="\(String(report.latitude))">
            <label for="edit-lon">Longitude</label>
            <input id="edit-lon" name="lon" inputmode="decimal" required value="\(String(report.longitude))">
            <button type="submit">Save the correction</button>
            </form>
            """
    }

    func templateField(_ form: String) -> HTML {
        guard allowed.contains(.publicReply), !templates.isEmpty else { return .empty }
        return """
            <label for="\(form)-template">Start from a template</label>
            <select id="\(form)-template" name="template"><option value="">None</option>\(ResponseTemplate.options(templates))</select>
            """
    }

    /// Moderators take out what residents added (personal details, abuse): either the whole body
    /// goes, or a cleaned copy replaces it (place, category and the rest kept); the signed record stays.
    var redactionForms: [HTML] {
        guard allowed.contains(.redact) else { return [] }
        let contributions = state.contributions.filter { $0.content != nil }.map { item -> HTML in
            let text = item.content?.texts.joined(separator: " ") ?? ""
            let event = item.event.hex
            let member = Cleaning.textMembers(of: item.kind).first
            let current = member.flatMap { item.content?.json[$0]?.stringValue } ?? ""
            let clean: HTML =
                member.map { member -> HTML in
                    """
                    <label for="clean-\(event.prefix(12))">Cleaned text (for “Replace with the cleaned text”)</label>
                    <textarea id="clean-\(event.prefix(12))" name="\(member)" rows="3" maxlength="8000">\(current)</textarea>
                    <button type="submit" name="how" value="clean">Replace with the cleaned text</button>
                    """
                } ?? .empty
            return """
                <form method="post" action="/staff/cases/\(id)/redact">\(layout.token)
                <h3>Remove or clean a \(item.kind.rawValue)</h3>
                <blockquote>\(String(text.prefix(300)))</blockquote>
                <input type="hidden" name="event" value="\(event)">
                <label for="redact-\(event.prefix(12))">Why (public; no personal details)</label>
                <input id="redact-\(event.prefix(12))" name="reason" required maxlength="500">
                \(clean)
                <button type="submit" name="how" value="remove">Remove this \(item.kind.rawValue)</button>
                </form>
                """
        }
        return [reportCleaningForm].compactMap { $0 } + contributions
    }

    /// Personal details in the report itself: a cleaned title, description and photos replace the
    /// original everywhere, and the issue keeps its place, category, history and answers.
    var reportCleaningForm: HTML? {
        guard let report = state.report else { return nil }
        let photos = report.attachments.enumerated().map { index, photo -> HTML in
            let key = photo.hash.prefix(16)
            return """
                <div class="check"><input type="checkbox" id="drop-\(key)" name="drop-\(key)"> <label for="drop-\(key)">Leave out photo \(index + 1) (<a href="/attachments/\(photo.hash)">see it</a>)</label></div>
                <label for="mask-\(key)">Or black out parts of photo \(index + 1): left, top, width, height in % of the photo; several separated by ;</label>
                <input id="mask-\(key)" name="mask-\(key)" inputmode="decimal" placeholder="10,60,30,20" pattern="[0-9., ;]*">
                """
        }
        return """
            <form method="post" action="/staff/cases/\(id)/redact">\(layout.token)
            <h3>Take personal details out of the report</h3>
            <p class="hint">The original is removed from every node; this cleaned copy stands in its place.</p>
            <input type="hidden" name="event" value="\(id)">
            <input type="hidden" name="how" value="clean">
            <label for="clean-title">Title</label>
            <input id="clean-title" name="title" required maxlength="200" value="\(report.title)">
            <label for="clean-description">Description</label>
            <textarea id="clean-description" name="description" rows="4" maxlength="8000">\(report.description)</textarea>
            \(photos)
            <label for="clean-reason">Why (public; no personal details)</label>
            <input id="clean-reason" name="reason" required maxlength="500">
            <button type="submit">Replace the report with the cleaned copy</button>
            </form>
            """
    }

    func options(_ list: [(node: NodeID, name: String)]) -> HTML {
        HTML.join(list.map { "<option value=\"\($0.node.hex)\">\($0.name)</option>" })
    }

    var internalNotes: HTML {
        guard allowed.contains(.viewInbox) else { return .empty }
        let items = notes.map { note -> HTML in
            "<li>\(Paragraphs.render(note.text))<p class=\"meta\">\(note.author), \(Site.date(note.at))</p></li>"
        }
        return """
            <section aria-labelledby="notes-heading">
            <h2 id="notes-heading">Internal notes (\(notes.count))</h2>
            \(items.isEmpty ? "<p class=\"empty\">No internal notes.</p>" as HTML : "<ul class=\"contributions\">\(items)</ul>")
            </section>
            """
    }

    var partnerSection: HTML {
        guard !partnerNotes.isEmpty else { return .empty }
        let items = partnerNotes.map { note -> HTML in
            "<li>\(Paragraphs.render(note.text))<p class=\"meta\">\(view.name(note.event.author)) to \(note.audience.joined(separator: ", ")), \(Site.date(note.event.at.secondsSinceEpoch))</p></li>"
        }
        return """
            <section aria-labelledby="partner-heading">
            <h2 id="partner-heading">Notes between bodies (\(partnerNotes.count))</h2>
            <ul class="contributions">\(items)</ul>
            </section>
            """
    }
}

/// A resident's contact details as the case page shows them, and where they came from.
package struct ShownContact: Sendable {
    package let name: String?
    package let email: String?
    package let phone: String?
    /// Where the details came from and what for, as one sentence.
    package let provenance: String

    package init(name: String?, email: String?, phone: String?, provenance: String) {
        self.name = name
        self.email = email
        self.phone = phone
        self.provenance = provenance
    }
}
