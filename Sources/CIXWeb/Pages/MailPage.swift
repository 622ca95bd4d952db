import CIXCore
import CIXStore

/// The pages behind the links in residents' mails: confirm a follow, stop
/// mails. A link only shows a button; the change is made by the button's
/// POST (or a mail program's one-click POST, RFC 8058), so that a scanner
/// that opens links confirms or ends nothing.
package struct MailPage: Sendable {
    package let site: Site

    package init(site: Site) { self.site = site }

    /// What a follow is about, in words.
    static func about(_ follow: MailFollow, title: String?) -> HTML {
        if let area = follow.area { return "new reports in \(area)" }
        guard let issue = follow.issue else { return "an issue" }
        return "<a href=\"/issues/\(issue)\">“\(title ?? "an issue")”</a>"
    }

    package func confirm(_ follow: MailFollow, title: String?, action: String) -> HTML {
        Layout(site: site).page(
            title: "Confirm e-mails",
            main: """
                <h1>Confirm e-mails from \(site.name)</h1>
                <p>Send e-mails to <strong>\(follow.email)</strong> about \(Self.about(follow, title: title))?</p>
                <form method="post" action="\(action)">
                <button type="submit">Confirm</button>
                </form>
                <p>Each e-mail has a link to stop them.</p>
                """
        )
    }

    package func confirmed(_ follow: MailFollow, title: String?) -> HTML {
        Layout(site: site).page(
            title: "E-mails confirmed",
            main: """
                <h1>Confirmed</h1>
                <p role="status">\(site.name) will e-mail \(follow.email) about \(Self.about(follow, title: title)).</p>
                <p><a href="/">Back to the home page</a></p>
                """
        )
    }

    package func unsubscribe(_ follow: MailFollow, title: String?, action: String) -> HTML {
        Layout(site: site).page(
            title: "Stop e-mails",
            main: """
                <h1>Stop e-mails from \(site.name)</h1>
                <p>Stop sending e-mails to <strong>\(follow.email)</strong> about \(Self.about(follow, title: title))?</p>
                <form method="post" action="\(action)">
                <button type="submit">Stop these e-mails</button>
                </form>
                """
        )
    }

    package func unsubscribed() -> HTML {
        Layout(site: site).page(
            title: "E-mails stopped",
            main: """
                <h1>Stopped</h1>
                <p role="status">No more of these e-mails will be sent. Anything already on its way is cancelled.</p>
                <p><a href="/">Back to the home page</a></p>
                """
        )
    }

    /// A link that names no follow (mistyped, or already ended).
    package func unknownLink() -> HTML {
        Layout(site: site).page(
            title: "Link not recognised",
            main: """
                <h1>This link is not recognised</h1>
                <p role="alert">It may have been copied incompletely, or these e-mails have already been stopped. Nothing was changed.</p>
                <p><a href="/">Back to the home page</a></p>
                """
        )
    }

    /// Follow new reports in a named area.
    package func followArea(areas: [String], formToken: String, values: [String: String], problems: [String]) -> HTML {
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
            ? .empty : "<div role=\"alert\"><p>\(HTML.join(problems.map { "\($0)" as HTML }, separator: " "))</p></div>"
        return Layout(site: site).page(
            title: "E-mails about an area",
            main: """
                <h1>E-mails about new reports in an area</h1>
                \(alert)
                <form method="post" action="/follow">
                <input type="hidden" name="csrf" value="\(formToken)">
                <label for="follow-area">Area</label>
                <select id="follow-area" name="area" required>\(options)</select>
                <label for="follow-area-email">Your email</label>
                <input id="follow-area-email" name="email" type="email" required maxlength="200" autocomplete="email" aria-describedby="follow-area-help" value="\(values["email"] ?? "")">
                <p class="hint" id="follow-area-help">We first send a link to confirm; nothing else is sent until you do. Your address stays on \(site.name)'s node and is never published or shared.</p>
                <button type="submit">Send me e-mails</button>
                </form>
                """
        )
    }

    /// After a follow was asked for.
    package func followRequested(already: Bool) -> HTML {
        Layout(site: site).page(
            title: already ? "Already following" : "Check your e-mail",
            main: already
                ? """
                <h1>Already following</h1>
                <p role="status">That address already gets these e-mails.</p>
                """
                : """
                <h1>Check your e-mail</h1>
                <p role="status">We sent a link to confirm. Nothing else is sent until you open it and press Confirm.</p>
                """
        )
    }
}
