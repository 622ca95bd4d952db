import CIXCore
import CIXNode
import CIXStore

/// The pages behind the links in residents' mails: confirm a follow, stop
/// mails. A link only shows a button; the change is made by the button's
/// POST (or a mail program's one-click POST, RFC 8058), so that a scanner
/// that opens links confirms or ends nothing.
package struct MailPage: Sendable {
    package let site: Site

    package init(site: Site) { self.site = site }

    var words: any Catalogue { site.words }

    /// What a follow is about, in words.
    func about(_ follow: MailFollow, title: String?) -> HTML {
        if let area = follow.area { return "\(words.newReportsIn(area))" }
        guard let issue = follow.issue else { return "\(words.anIssue)" }
        return "<a href=\"/issues/\(issue)\">“\(title ?? words.anIssue)”</a>"
    }

    package func confirm(_ follow: MailFollow, title: String?, action: String) -> HTML {
        Layout(site: site).page(
            title: words.confirmMailsTitle,
            main: """
                <h1>\(words.confirmMailsHeading(site.name))</h1>
                <p>\(words.sendMailsTo(follow.email, about: about(follow, title: title)))</p>
                <form method="post" action="\(action)">
                <button type="submit">\(words.confirm)</button>
                </form>
                <p>\(words.eachMailCanStop)</p>
                """
        )
    }

    package func confirmed(_ follow: MailFollow, title: String?) -> HTML {
        Layout(site: site).page(
            title: words.mailsConfirmedTitle,
            main: """
                <h1>\(words.confirmed)</h1>
                <p role="status">\(words.willMail(site.name, follow.email, about: about(follow, title: title)))</p>
                <p><a href="/">\(words.backHome)</a></p>
                """
        )
    }

    package func unsubscribe(_ follow: MailFollow, title: String?, action: String) -> HTML {
        Layout(site: site).page(
            title: words.stopMailsTitle,
            main: """
                <h1>\(words.stopMailsHeading(site.name))</h1>
                <p>\(words.stopMailsTo(follow.email, about: about(follow, title: title)))</p>
                <form method="post" action="\(action)">
                <button type="submit">\(words.stopTheseMails)</button>
                </form>
                """
        )
    }

    package func unsubscribed() -> HTML {
        Layout(site: site).page(
            title: words.mailsStoppedTitle,
            main: """
                <h1>\(words.stopped)</h1>
                <p role="status">\(words.noMoreMails)</p>
                <p><a href="/">\(words.backHome)</a></p>
                """
        )
    }

    /// A link that names no follow (mistyped, or already ended).
    package func unknownLink() -> HTML {
        Layout(site: site).page(
            title: words.linkUnknownTitle,
            main: """
                <h1>\(words.linkUnknownHeading)</h1>
                <p role="alert">\(words.linkUnknown)</p>
                <p><a href="/">\(words.backHome)</a></p>
                """
        )
    }

    /// Follow new reports in a named area.
    package func followArea(
        areas: [String],
        formToken: String,
        values: [String: String],
        problems: [IntakeProblem]
    ) -> HTML {
        let chosen = values["area"] ?? ""
        let options = HTML.join(
            areas.map { area -> HTML in
                area == chosen
                    ? "<option value=\"\(area)\" selected>\(area)</option>"
                    : "<option value=\"\(area)\">\(area)</option>"
            }
        )
        let alert: HTML =
            problems.isEmpty
            ? .empty
            : "<div role=\"alert\"><p>\(HTML.join(problems.map { "\(words.problem($0))" as HTML }, separator: " "))</p></div>"
        return Layout(site: site).page(
            title: words.areaMailsTitle,
            main: """
                <h1>\(words.areaMailsHeading)</h1>
                \(alert)
                <form method="post" action="/follow">
                <input type="hidden" name="csrf" value="\(formToken)">
                <label for="follow-area">\(words.area)</label>
                <select id="follow-area" name="area" required>\(options)</select>
                <label for="follow-area-email">\(words.yourEmail)</label>
                <input id="follow-area-email" name="email" type="email" required maxlength="200" autocomplete="email" aria-describedby="follow-area-help" value="\(values["email"] ?? "")">
                <p class="hint" id="follow-area-help">\(words.areaMailsHelp(site.name))</p>
                <button type="submit">\(words.sendMeMails)</button>
                </form>
                """
        )
    }

    /// After a follow was asked for.
    package func followRequested(already: Bool) -> HTML {
        Layout(site: site).page(
            title: already ? words.alreadyFollowing : words.checkYourEmail,
            main: already
                ? """
                <h1>\(words.alreadyFollowing)</h1>
                <p role="status">\(words.alreadyGetsThese)</p>
                """
                : """
                <h1>\(words.checkYourEmail)</h1>
                <p role="status">\(words.confirmLinkSent)</p>
                """
        )
    }
}
