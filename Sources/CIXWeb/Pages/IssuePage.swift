import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXStaff
import CIXStore

/// One issue: the report, who holds each part and in what state, what
/// residents added, and every event with its signer and verification.
package struct IssuePage: Sendable {
    package let site: Site
    package let view: IssueView
    /// The anti-forgery token for the forms; nil on a mirror.
    package let formToken: String?
    /// Shown above the report, e.g. after a contribution was accepted.
    package let notice: String?
    /// Hashes of the report's photos that this node holds (mirrors may not hold them).
    package let heldPhotos: Set<String>
    /// Events whose signature this node verified when they arrived.
    let verified: Set<String>

    /// On a mirror: the nodes where residents can add to this issue (name, base URL), first the one it was reported through.
    package let takePartAt: [(name: String, url: String)]
    /// Reports marked as duplicates of this issue (at most `duplicatesShown`).
    package let duplicates: [IssueSummary]
    package static let duplicatesShown = 20

    package init(
        site: Site,
        view: IssueView,
        formToken: String?,
        notice: String? = nil,
        heldPhotos: Set<String> = [],
        takePartAt: [(name: String, url: String)] = [],
        duplicates: [IssueSummary] = []
    ) {
        self.takePartAt = takePartAt
        self.duplicates = duplicates
        self.site = site
        self.view = view
        self.formToken = formToken
        self.notice = notice
        self.heldPhotos = heldPhotos
        verified = Set(view.entries.filter(\.verified).map(\.stored.id))
    }

    var state: IssueState { view.state }
    var id: String { state.id.hex }

    package func render() -> HTML {
        let layout = Layout(site: site)
        let title = state.report?.title ?? "Report removed"
        let main: HTML = """
            \(notice.map { "<p class=\"notice\" role=\"status\">\($0)</p>" as HTML })
            <article class="issue-page">
            <h1>\(title)</h1>
            <p class="meta"><span class="status status-\(state.overall.rawValue)">\(Site.statusName(state.overall.rawValue))</span> \(Site.categoryName(state.report?.category)) · reported \(Site.date(state.reportedAt.secondsSinceEpoch)) through \(view.name(state.origin)) · <a href="/issues/\(id)/feed.atom">follow its updates (Atom feed)</a></p>
            \(report)
            \(layout.map(label: "Where this issue is", geojson: "/api/v1/issues.geojson?id=\(id)"))
            \(agencies)
            \(duplicate)
            \(contributions(.confirm, heading: "Confirmations", empty: "Nobody has confirmed this yet."))
            \(contributions(.solution, heading: "Proposed solutions", empty: "No solutions proposed yet."))
            \(contributions(.offer, heading: "Offers of help", empty: "No offers of help yet."))
            \(contributions(.comment, heading: "Comments", empty: "No comments."))
            \(forms)
            \(timeline)
            </article>
            """
        return layout.page(
            title: title,
            feeds: [.init(title: "Updates to this issue", href: "/issues/\(id)/feed.atom")],
            map: true,
            main: main
        )
    }

    var report: HTML {
        guard let report = state.report else {
            return "<p>The report's text was removed by its author; its signed record remains.</p>"
        }
        let place = "\(report.latitude), \(report.longitude)"
        let photos = report.attachments.map(\.hash).compactMap { hash -> HTML? in
            guard heldPhotos.contains(hash) else {
                return
                    "<li>A photo (SHA-256 <code>\(String(hash.prefix(16)))…</code>) is held by \(view.name(state.origin)), not by this node.</li>"
            }
            return
                "<li><a href=\"/attachments/\(hash)\"><img src=\"/attachments/\(hash)\" alt=\"Photo attached to the report\" loading=\"lazy\"></a></li>"
        }
        let tags =
            report.tags.isEmpty ? HTML.empty : "<p class=\"tags\">Tags: \(report.tags.joined(separator: ", "))</p>"
        return """
            <section aria-labelledby="report-heading">
            <h2 id="report-heading">The report</h2>
            \(Paragraphs.render(report.description))
            <dl class="facts">
            <dt>Where</dt><dd>\(report.address.map { "\($0) (\(place))" } ?? place)</dd>
            <dt>Reporter</dt><dd>\(report.reporter) (a pseudonym; contact details stay with \(view.name(state.origin)))</dd>
            </dl>
            \(tags)
            \(photos.isEmpty ? HTML.empty : "<ul class=\"photos\">\(photos)</ul>")
            </section>
            """
    }

    /// Whether this node verified the event's signature when the event arrived.
    func verifiedMark(_ event: EventID) -> HTML {
        verified.contains(event.hex)
            ? "<span class=\"verified\" title=\"Signature verified by this node when the event arrived\">✓ <span class=\"visually-hidden\">signature verified</span></span>"
            : "<span class=\"unverified\">✗ signature NOT verified</span>"
    }

    var agencies: HTML {
        let parts = state.agencies.values.sorted { view.name($0.node) < view.name($1.node) }
        guard !parts.isEmpty else { return "<p>No body holds this issue yet.</p>" }
        let rows = parts.map { part -> HTML in
            let why: HTML =
                if let handover = part.reason.flatMap(handedOver) {
                    handover
                } else if let routedBy = part.routedBy {
                    "routed by \(view.name(routedBy))\(part.reason.map { ": \($0)" } ?? "")"
                } else if part.role == .origin {
                    "took the report"
                } else {
                    "\(part.reason ?? "")"
                }
            return """
                <tr><th scope="row"><a href="/issues?agency=\(part.node.hex)">\(view.name(part.node))</a></th><td data-label="Part">\(Site.statusName(part.role.rawValue))</td><td data-label="Status"><span class="status status-\(part.status.rawValue)">\(Site.statusName(part.status.rawValue))</span>\(part.note.map { " — \($0)" as HTML })</td><td data-label="Why">\(why)</td><td data-label="Signed by">\(signedBy(part))</td></tr>
                """
        }
        return """
            <section aria-labelledby="agencies-heading">
            <h2 id="agencies-heading">Who holds it</h2>
            <table class="agencies">
            <thead><tr><th scope="col">Body</th><th scope="col">Part</th><th scope="col">Status</th><th scope="col">Why</th><th scope="col">Signed by</th></tr></thead>
            <tbody>
            \(rows)
            </tbody>
            </table>
            </section>
            """
    }

    /// A part handed on by another body, in words with that body's name: the fold writes its reason
    /// as "referred by ID12: …" or "transferred by ID12: …" (`Protocol/fold.md`), ID12 being the
    /// first 12 hex digits of the body's node id.
    func handedOver(_ reason: String) -> HTML? {
        for verb in ["referred", "transferred"] {
            let prefix = "\(verb) by "
            guard reason.hasPrefix(prefix) else { continue }
            let rest = reason.dropFirst(prefix.count)
            let short = rest.prefix(12)
            guard short.count == 12, rest.dropFirst(12).hasPrefix(": "),
                let node = state.agencies.keys.first(where: { $0.hex.hasPrefix(short) })
            else { return nil }
            return
                "\(verb == "referred" ? "Referred" : "Passed on") by \(view.name(node)): \(String(rest.dropFirst(14)))"
        }
        return nil
    }

    /// The reports marked as duplicates of this one, linked back.
    var duplicatedBy: HTML {
        guard !duplicates.isEmpty else { return .empty }
        let links = duplicates.map { issue -> HTML in
            "<li><a href=\"/issues/\(issue.id)\">\(issue.title ?? "Report removed")</a> <span class=\"meta\">reported \(Site.date(issue.reportedAt))</span></li>"
        }
        return """
            <section aria-labelledby="duplicates-heading">
            <h2 id="duplicates-heading">Also reported as</h2>
            <p>These reports were marked as duplicates of this issue:</p>
            <ul>\(HTML.join(links))</ul>
            </section>
            """
    }

    /// Who signed the part's latest word: the body itself once it has answered; until then
    /// (freshly routed) the body that routed it, and the body is still awaited.
    func signedBy(_ part: IssueState.AgencyPart) -> HTML {
        let signer = view.entries.first { $0.stored.id == part.lastEvent.hex }?.event?.author
        guard let signer, signer == part.node else {
            let router: HTML = signer.map { " (routed by \(view.name($0)) \(verifiedMark(part.lastEvent)))" } ?? ""
            return "<span class=\"awaiting\">Waiting for \(view.name(part.node))</span>\(router)"
        }
        return "\(view.name(part.node)) \(verifiedMark(part.lastEvent))"
    }

    var duplicate: HTML {
        guard let link = state.duplicateOf else { return duplicatedBy }
        let holder: HTML = link.node.map { " held by \(view.name($0))" } ?? ""
        return
            "<p class=\"notice\">Marked as a duplicate of <a href=\"/issues/\(link.issue.hex)\">issue \(String(link.issue.hex.prefix(12)))</a>\(holder).</p>"
    }

    func contributions(_ kind: EventKind, heading: String, empty: String) -> HTML {
        let items = state.contributions.filter { $0.kind == kind }
        let anchor = "\(kind.rawValue)s"
        let list: HTML =
            items.isEmpty
            ? "<p class=\"empty\">\(empty)</p>"
            : "<ul class=\"contributions\">\(items.map(contribution))</ul>"
        return """
            <section aria-labelledby="\(anchor)-heading">
            <h2 id="\(anchor)-heading">\(heading) (\(items.count))</h2>
            \(list)
            </section>
            """
    }

    func contribution(_ item: IssueState.Contribution) -> HTML {
        guard let content = item.content else {
            return "<li>Removed by its author. \(verifiedMark(item.event))</li>"
        }
        var lines: [HTML] = []
        switch content {
        case .comment(let body), .solution(let body): lines.append(Paragraphs.render(body.text))
        case .confirm(let body): lines.append(body.note.map { Paragraphs.render($0) } ?? "<p>Seen too.</p>")
        case .offer(let body):
            lines.append(Paragraphs.render(body.what))
            if let when = body.when { lines.append("<p>When: \(when)</p>") }
            if let by = body.by { lines.append("<p>By: \(by)</p>") }
        default: break
        }
        return
            "<li>\(lines)<p class=\"meta\">\(Site.date(item.at.secondsSinceEpoch)) through \(view.name(item.author)) \(verifiedMark(item.event))</p></li>"
    }

    /// What residents may flag on this node: what it can remove (`redact`: the report if it took
    /// it, contributions it signed or made on issues it took), by event id, with how the form names it.
    package static func flaggable(_ state: IssueState, node: NodeID) -> [(event: String, label: String)] {
        var items: [(String, String)] = []
        if state.origin == node, state.report != nil { items.append((state.id.hex, "The report")) }
        for item in state.contributions where item.content != nil && (item.author == node || state.origin == node) {
            let kind =
                switch item.kind {
                case .confirm: "Confirmation"
                case .solution: "Proposed solution"
                case .offer: "Offer of help"
                default: "Comment"
                }
            items.append(
                (item.event.hex, "\(kind) of \(Site.date(item.at.secondsSinceEpoch)) (\(item.event.hex.prefix(8)))")
            )
        }
        return items
    }

    /// "Follow by e-mail", where the node sends mail.
    func followForm(_ token: HTML) -> HTML {
        guard site.mailsResidents else { return .empty }
        return """
            <form method="post" action="/issues/\(id)/follow">
            <h3>Follow by email</h3>\(token)
            <p class="hint" id="follow-hint">Get an email when a body answers on this issue. We first send a link to confirm; your address is never published or shared.</p>
            <label for="follow-email">Your email</label>
            <input id="follow-email" name="email" type="email" required maxlength="200" autocomplete="email" aria-describedby="follow-hint">
            <button type="submit">Follow</button>
            </form>
            """
    }

    /// "Report this": a resident tells the moderators; nothing they write is published.
    func flagForm(_ token: HTML) -> HTML {
        let items = Self.flaggable(state, node: site.node.id)
        guard !items.isEmpty else { return .empty }
        let what = HTML.join(items.map { "<option value=\"\($0.event)\">\($0.label)</option>" as HTML })
        let why = HTML.join(FlagReason.allCases.map { "<option value=\"\($0.rawValue)\">\($0.label)</option>" as HTML })
        return """
            <form method="post" action="/issues/\(id)/flag">
            <h3>Report a problem with this page</h3>\(token)
            <p class="hint" id="flag-hint">If something here shows someone's personal details or should not be here, tell the moderators of \(site.name). They decide what to remove.</p>
            <label for="flag-event">What</label>
            <select id="flag-event" name="event" aria-describedby="flag-hint">\(what)</select>
            <label for="flag-reason">Why</label>
            <select id="flag-reason" name="reason">\(why)</select>
            <label for="flag-note">Anything the moderators should know (optional; not published)</label>
            <textarea id="flag-note" name="note" maxlength="\(FlagReason.maxNote)"></textarea>
            <button type="submit">Tell the moderators</button>
            </form>
            """
    }

    /// On a mirror, which takes nothing: where the resident can comment, confirm or offer help instead.
    var elsewhere: HTML {
        guard !takePartAt.isEmpty else { return .empty }
        let links = takePartAt.map { node -> HTML in "<li><a href=\"\(node.url)/issues/\(id)\">\(node.name)</a></li>" }
        return """
            <section aria-labelledby="help-heading" class="forms">
            <h2 id="help-heading">Add to this issue</h2>
            <p>\(site.name) is a read-only public mirror. To comment, confirm that you see this too, propose a solution or offer help, open this issue on a body's own node:</p>
            <ul>\(HTML.join(links))</ul>
            </section>
            """
    }

    var forms: HTML {
        guard site.takesReports, let formToken else { return elsewhere }
        let token: HTML = "<input type=\"hidden\" name=\"csrf\" value=\"\(formToken)\">"
        return """
            <section aria-labelledby="help-heading" class="forms">
            <h2 id="help-heading">Add to this issue</h2>
            <p>What you add is published and signed by \(site.name). Do not include personal details.</p>
            <form method="post" action="/issues/\(id)/comment">
            <h3>Comment</h3>\(token)
            <label for="comment-text">Your comment</label>
            <textarea id="comment-text" name="text" required maxlength="8000"></textarea>
            <button type="submit">Add the comment</button>
            </form>
            <form method="post" action="/issues/\(id)/confirm">
            <h3>I see this too</h3>\(token)
            <p class="hint">One confirmation per person.</p>
            <label for="confirm-note">Note (optional)</label>
            <textarea id="confirm-note" name="note" maxlength="2000"></textarea>
            <label for="confirm-email">Your email (optional: counts you once on any device; never published or shared)</label>
            <input id="confirm-email" name="email" type="email" maxlength="200" autocomplete="email">
            <button type="submit">Confirm</button>
            </form>
            <form method="post" action="/issues/\(id)/solution">
            <h3>Propose a solution</h3>\(token)
            <label for="solution-text">Your proposed fix</label>
            <textarea id="solution-text" name="text" required maxlength="8000"></textarea>
            <button type="submit">Propose</button>
            </form>
            <form method="post" action="/issues/\(id)/offer">
            <h3>Offer help</h3>\(token)
            <label for="offer-what">What you can do</label>
            <textarea id="offer-what" name="what" required maxlength="2000"></textarea>
            <label for="offer-when">When (optional)</label>
            <input id="offer-when" name="when" maxlength="200">
            <label for="offer-by">Who is offering (optional, e.g. a group's name)</label>
            <input id="offer-by" name="by" maxlength="200">
            <button type="submit">Offer help</button>
            </form>
            \(followForm(token))
            \(flagForm(token))
            </section>
            """
    }

    var timeline: HTML {
        let effects = Dictionary(state.timeline.map { ($0.event.hex, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = view.entries.map { entry -> HTML in
            guard let event = entry.event else {
                return
                    "<tr><td colspan=\"4\">Event \(String(entry.stored.id.prefix(12))) failed verification: \(entry.failure ?? "")</td><td><span class=\"unverified\">✗</span></td></tr>"
            }
            let effect = effects[event.id.hex]
            let note: HTML =
                if let effect, effect.effect != .applied {
                    "\(effect.effect.rawValue)\(effect.reason.map { ": \($0)" } ?? "")"
                } else { "" }
            return
                "<tr><td data-label=\"When\">\(Site.date(event.at.secondsSinceEpoch))</td><td data-label=\"What\">\(EventSentence.of(event, in: view))</td><td data-label=\"Signed by\">\(view.name(event.author))</td><td data-label=\"Effect\">\(note)</td><td data-label=\"Signature\">\(verifiedMark(event.id))</td></tr>"
        }
        return """
            <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">Timeline</h2>
            <p>Every event, oldest first, with the body that signed it. ✓ means this node checked the signature just now.</p>
            <table class="timeline">
            <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Signed by</th><th scope="col">Effect</th><th scope="col">Signature</th></tr></thead>
            <tbody>
            \(rows)
            </tbody>
            </table>
            </section>
            """
    }
}

/// Free text as paragraphs: blank lines separate paragraphs, single newlines become line breaks.
enum Paragraphs {
    static func render(_ text: String) -> HTML {
        let paragraphs = text.split(separator: "\n\n", omittingEmptySubsequences: true).map { paragraph -> HTML in
            let lines = paragraph.split(separator: "\n", omittingEmptySubsequences: false).map { "\($0)" as HTML }
            return "<p>\(HTML.join(lines, separator: "<br>"))</p>"
        }
        return HTML.join(paragraphs)
    }
}
