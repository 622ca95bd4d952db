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

    var words: any Catalogue { site.words }

    package func render() -> HTML {
        let layout = Layout(site: site)
        let title = state.report?.title ?? words.reportRemoved
        let main: HTML = """
            \(notice.map { "<p class=\"notice\" role=\"status\">\($0)</p>" as HTML })
            <article class="issue-page">
            <h1>\(title)</h1>
            <p class="meta"><span class="status status-\(state.overall.rawValue)">\(site.status(state.overall.rawValue))</span> \(site.category(state.report?.category)) · \(words.reportedThrough(site.date(state.reportedAt.secondsSinceEpoch), view.name(state.origin))) · <a href="/issues/\(id)/feed.atom">\(words.followFeed)</a></p>
            \(report)
            \(layout.map(label: words.whereThisIs, geojson: "/api/v1/issues.geojson?id=\(id)"))
            \(agencies)
            \(duplicate)
            \(contributions(.confirm, heading: words.confirmations, empty: words.nobodyConfirmed))
            \(contributions(.solution, heading: words.proposedSolutions, empty: words.noSolutions))
            \(contributions(.offer, heading: words.offersOfHelp, empty: words.noOffers))
            \(contributions(.comment, heading: words.comments, empty: words.noComments))
            \(forms)
            \(timeline)
            </article>
            """
        return layout.page(
            title: title,
            feeds: [.init(title: words.updatesFeed, href: "/issues/\(id)/feed.atom")],
            map: true,
            main: main
        )
    }

    var report: HTML {
        guard let report = state.report else {
            return "<p>\(words.removedByAuthor)</p>"
        }
        let place = "\(report.latitude), \(report.longitude)"
        let photos = report.attachments.map(\.hash).compactMap { hash -> HTML? in
            guard heldPhotos.contains(hash) else {
                return
                    "<li>\(words.photoHeldElsewhere(String(hash.prefix(16)), by: view.name(state.origin)))</li>"
            }
            return
                "<li><a href=\"/attachments/\(hash)\"><img src=\"/attachments/\(hash)\" alt=\"\(words.photoAlt)\" loading=\"lazy\"></a></li>"
        }
        let tags =
            report.tags.isEmpty
            ? HTML.empty : "<p class=\"tags\">\(words.tags(report.tags.joined(separator: ", ")))</p>"
        return """
            <section aria-labelledby="report-heading">
            <h2 id="report-heading">\(words.theReport)</h2>
            \(Paragraphs.render(report.description))
            <dl class="facts">
            <dt>\(words.whereLabel)</dt><dd>\(report.address.map { "\($0) (\(place))" } ?? place)</dd>
            <dt>\(words.reporterLabel)</dt><dd>\(words.pseudonym(report.reporter, keptBy: view.name(state.origin)))</dd>
            </dl>
            \(tags)
            \(photos.isEmpty ? HTML.empty : "<ul class=\"photos\">\(photos)</ul>")
            \(report.replacedBy == nil ? HTML.empty : "<p class=\"meta\">\(words.cleanedByModerator)</p>")
            </section>
            """
    }

    /// Whether this node verified the event's signature when the event arrived.
    func verifiedMark(_ event: EventID) -> HTML {
        verified.contains(event.hex)
            ? "<span class=\"verified\" title=\"\(words.signatureVerifiedTitle)\">✓ <span class=\"visually-hidden\">\(words.signatureVerified)</span></span>"
            : "<span class=\"unverified\">✗ \(words.signatureNotVerified)</span>"
    }

    var agencies: HTML {
        let parts = state.agencies.values.sorted { view.name($0.node) < view.name($1.node) }
        guard !parts.isEmpty else { return "<p>\(words.noBodyHoldsIt)</p>" }
        let rows = parts.map { part -> HTML in
            let why: HTML =
                if let handover = part.reason.flatMap(handedOver) {
                    handover
                } else if let routedBy = part.routedBy {
                    "\(words.routedBy(view.name(routedBy)))\(part.reason.map { ": \($0)" } ?? "")"
                } else if part.role == .origin {
                    "\(words.tookTheReport)"
                } else {
                    "\(part.reason ?? "")"
                }
            return """
                <tr><th scope="row"><a href="/issues?agency=\(part.node.hex)">\(view.name(part.node))</a></th><td data-label="\(words.partColumn)">\(words.role(part.role))</td><td data-label="\(words.statusLabel)"><span class="status status-\(part.status.rawValue)">\(site.status(part.status.rawValue))</span>\(part.note.map { " — \($0)" as HTML })</td><td data-label="\(words.whyColumn)">\(why)</td><td data-label="\(words.signedByColumn)">\(signedBy(part))</td></tr>
                """
        }
        return """
            <section aria-labelledby="agencies-heading">
            <h2 id="agencies-heading">\(words.whoHoldsIt)</h2>
            <table class="agencies">
            <thead><tr><th scope="col">\(words.bodyLabel)</th><th scope="col">\(words.partColumn)</th><th scope="col">\(words.statusLabel)</th><th scope="col">\(words.whyColumn)</th><th scope="col">\(words.signedByColumn)</th></tr></thead>
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
            let who = verb == "referred" ? words.referredBy(view.name(node)) : words.passedOnBy(view.name(node))
            return "\(who): \(String(rest.dropFirst(14)))"
        }
        return nil
    }

    /// The reports marked as duplicates of this one, linked back.
    var duplicatedBy: HTML {
        guard !duplicates.isEmpty else { return .empty }
        let links = duplicates.map { issue -> HTML in
            "<li><a href=\"/issues/\(issue.id)\">\(issue.title ?? words.reportRemoved)</a> <span class=\"meta\">\(words.reported(site.date(issue.reportedAt)))</span></li>"
        }
        return """
            <section aria-labelledby="duplicates-heading">
            <h2 id="duplicates-heading">\(words.alsoReportedAs)</h2>
            <p>\(words.markedDuplicates)</p>
            <ul>\(HTML.join(links))</ul>
            </section>
            """
    }

    /// Who signed the part's latest word: the body itself once it has answered; until then
    /// (freshly routed) the body that routed it, and the body is still awaited.
    func signedBy(_ part: IssueState.AgencyPart) -> HTML {
        let signer = view.entries.first { $0.stored.id == part.lastEvent.hex }?.event?.author
        guard let signer, signer == part.node else {
            let router: HTML =
                signer.map { " (\(words.routedByShort(view.name($0))) \(verifiedMark(part.lastEvent)))" } ?? ""
            return "<span class=\"awaiting\">\(words.waitingFor(view.name(part.node)))</span>\(router)"
        }
        return "\(view.name(part.node)) \(verifiedMark(part.lastEvent))"
    }

    var duplicate: HTML {
        guard let link = state.duplicateOf else { return duplicatedBy }
        let target: HTML =
            "<a href=\"/issues/\(link.issue.hex)\">\(words.issueNumber(String(link.issue.hex.prefix(12))))</a>"
        return "<p class=\"notice\">\(words.duplicateOf(target, heldBy: link.node.map { view.name($0) }))</p>"
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
            return "<li>\(words.removedContribution) \(verifiedMark(item.event))</li>"
        }
        var lines: [HTML] = []
        switch content {
        case .comment(let body), .solution(let body): lines.append(Paragraphs.render(body.text))
        case .confirm(let body): lines.append(body.note.map { Paragraphs.render($0) } ?? "<p>\(words.seenToo)</p>")
        case .offer(let body):
            lines.append(Paragraphs.render(body.what))
            if let when = body.when { lines.append("<p>\(words.when(when))</p>") }
            if let by = body.by { lines.append("<p>\(words.by(by))</p>") }
        default: break
        }
        if item.replacedBy != nil { lines.append("<p class=\"meta\">\(words.cleanedByModerator)</p>") }
        return
            "<li>\(lines)<p class=\"meta\">\(words.contributionMeta(site.date(item.at.secondsSinceEpoch), through: view.name(item.author))) \(verifiedMark(item.event))</p></li>"
    }

    /// What residents may flag on this node: what it can remove (`redact`: the report if it took
    /// it, contributions it signed or made on issues it took), by event id, with how the form names it.
    package static func flaggable(_ state: IssueState, site: Site) -> [(event: String, label: String)] {
        let words = site.words
        var items: [(String, String)] = []
        if state.origin == site.node.id, state.report != nil { items.append((state.id.hex, words.theReportItem)) }
        for item in state.contributions
        where item.content != nil && (item.author == site.node.id || state.origin == site.node.id) {
            let label = words.contributionItem(
                item.kind,
                date: site.date(item.at.secondsSinceEpoch),
                id: String(item.event.hex.prefix(8))
            )
            items.append((item.event.hex, label))
        }
        return items
    }

    /// "Follow by e-mail", where the node sends mail.
    func followForm(_ token: HTML) -> HTML {
        guard site.mailsResidents else { return .empty }
        return """
            <form method="post" action="/issues/\(id)/follow">
            <h3>\(words.followByEmail)</h3>\(token)
            <p class="hint" id="follow-hint">\(words.followHint)</p>
            <label for="follow-email">\(words.yourEmail)</label>
            <input id="follow-email" name="email" type="email" required maxlength="200" autocomplete="email" aria-describedby="follow-hint">
            <button type="submit">\(words.follow)</button>
            </form>
            """
    }

    /// "Report this": a resident tells the moderators; nothing they write is published.
    func flagForm(_ token: HTML) -> HTML {
        let items = Self.flaggable(state, site: site)
        guard !items.isEmpty else { return .empty }
        let what = HTML.join(items.map { "<option value=\"\($0.event)\">\($0.label)</option>" as HTML })
        let why = HTML.join(
            FlagReason.allCases.map { "<option value=\"\($0.rawValue)\">\(words.flagReason($0))</option>" as HTML }
        )
        return """
            <form method="post" action="/issues/\(id)/flag">
            <h3>\(words.flagHeading)</h3>\(token)
            <p class="hint" id="flag-hint">\(words.flagHint(site.name))</p>
            <label for="flag-event">\(words.what)</label>
            <select id="flag-event" name="event" aria-describedby="flag-hint">\(what)</select>
            <label for="flag-reason">\(words.why)</label>
            <select id="flag-reason" name="reason">\(why)</select>
            <label for="flag-note">\(words.flagNote)</label>
            <textarea id="flag-note" name="note" maxlength="\(FlagReason.maxNote)"></textarea>
            <button type="submit">\(words.tellModerators)</button>
            </form>
            """
    }

    /// On a mirror, which takes nothing: where the resident can comment, confirm or offer help instead.
    var elsewhere: HTML {
        guard !takePartAt.isEmpty else { return .empty }
        let links = takePartAt.map { node -> HTML in "<li><a href=\"\(node.url)/issues/\(id)\">\(node.name)</a></li>" }
        return """
            <section aria-labelledby="help-heading" class="forms">
            <h2 id="help-heading">\(words.addToIssue)</h2>
            <p>\(words.mirrorAddElsewhere(site.name))</p>
            <ul>\(HTML.join(links))</ul>
            </section>
            """
    }

    var forms: HTML {
        guard site.takesReports, let formToken else { return elsewhere }
        let token: HTML = "<input type=\"hidden\" name=\"csrf\" value=\"\(formToken)\">"
        return """
            <section aria-labelledby="help-heading" class="forms">
            <h2 id="help-heading">\(words.addToIssue)</h2>
            <p>\(words.publishedBy(site.name))</p>
            <form method="post" action="/issues/\(id)/comment">
            <h3>\(words.comment)</h3>\(token)
            <label for="comment-text">\(words.yourComment)</label>
            <textarea id="comment-text" name="text" required maxlength="8000"></textarea>
            <button type="submit">\(words.addComment)</button>
            </form>
            <form method="post" action="/issues/\(id)/confirm">
            <h3>\(words.seeThisToo)</h3>\(token)
            <p class="hint">\(words.oneConfirmation)</p>
            <label for="confirm-note">\(words.noteOptional)</label>
            <textarea id="confirm-note" name="note" maxlength="2000"></textarea>
            <label for="confirm-email">\(words.confirmEmail)</label>
            <input id="confirm-email" name="email" type="email" maxlength="200" autocomplete="email">
            <button type="submit">\(words.confirm)</button>
            </form>
            <form method="post" action="/issues/\(id)/solution">
            <h3>\(words.proposeSolution)</h3>\(token)
            <label for="solution-text">\(words.yourFix)</label>
            <textarea id="solution-text" name="text" required maxlength="8000"></textarea>
            <button type="submit">\(words.propose)</button>
            </form>
            <form method="post" action="/issues/\(id)/offer">
            <h3>\(words.offerHelp)</h3>\(token)
            <label for="offer-what">\(words.whatYouCanDo)</label>
            <textarea id="offer-what" name="what" required maxlength="2000"></textarea>
            <label for="offer-when">\(words.whenOptional)</label>
            <input id="offer-when" name="when" maxlength="200">
            <label for="offer-by">\(words.whoOffers)</label>
            <input id="offer-by" name="by" maxlength="200">
            <button type="submit">\(words.offerHelp)</button>
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
                    "<tr><td colspan=\"4\">\(words.failedVerification(String(entry.stored.id.prefix(12)), entry.failure ?? ""))</td><td><span class=\"unverified\">✗</span></td></tr>"
            }
            let effect = effects[event.id.hex]
            let note: HTML =
                if let effect, effect.effect != .applied {
                    "\(words.effect(effect.effect))\(effect.reason.map { ": \($0)" } ?? "")"
                } else { "" }
            return
                "<tr><td data-label=\"\(words.whenColumn)\">\(site.date(event.at.secondsSinceEpoch))</td><td data-label=\"\(words.whatColumn)\">\(EventSentence.of(event, in: view, words: words))</td><td data-label=\"\(words.signedByColumn)\">\(view.name(event.author))</td><td data-label=\"\(words.effectColumn)\">\(note)</td><td data-label=\"\(words.signatureColumn)\">\(verifiedMark(event.id))</td></tr>"
        }
        return """
            <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">\(words.timeline)</h2>
            <p>\(words.timelineLead)</p>
            <table class="timeline">
            <thead><tr><th scope="col">\(words.whenColumn)</th><th scope="col">\(words.whatColumn)</th><th scope="col">\(words.signedByColumn)</th><th scope="col">\(words.effectColumn)</th><th scope="col">\(words.signatureColumn)</th></tr></thead>
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
