import CIXCore
import CIXStore

/// The words of each mail the node sends residents. Plain text, every link
/// written out in full, and always the way to stop: a resident who never
/// asked can end it with one click.
package struct MailNotice: Sendable {
    let settings: MailSettings
    let siteName: String

    package init(settings: MailSettings, siteName: String) {
        self.settings = settings
        self.siteName = siteName
    }

    func issueURL(_ issue: String) -> String { "\(settings.siteURL)/issues/\(issue)" }

    package func unsubscribeURL(_ follow: MailFollow) -> String {
        "\(settings.siteURL)/mail/unsubscribe?f=\(follow.id)&t=\(follow.token)"
    }

    package func confirmURL(_ follow: MailFollow) -> String {
        "\(settings.siteURL)/mail/confirm?f=\(follow.id)&t=\(follow.token)"
    }

    /// What this follow is about, as the end of "you follow …".
    func about(_ follow: MailFollow, title: String?) -> String {
        if let area = follow.area { return "new reports in \(area)" }
        return "the report “\(title ?? "an issue")”"
    }

    func footer(_ follow: MailFollow, title: String?) -> String {
        let why =
            follow.reporter
            ? "You get this e-mail because you reported this problem to \(siteName) and asked to hear about it."
            : "You get this e-mail because you asked \(siteName) to e-mail you about \(about(follow, title: title))."
        return """
            --
            \(why)
            Stop these e-mails: \(unsubscribeURL(follow))
            """
    }

    /// To the resident who reported, when the report is taken: where it went and what comes next.
    func received(_ follow: MailFollow, view: IssueView, report: Event) -> QueuedMail {
        let title = Self.oneLine(view.state.report?.title ?? "your report")
        let holders = view.state.agencies.values.filter(\.isActive).map { view.name($0.node) }.sorted()
        let where_ =
            view.state.routed
            ? "It is now with \(Self.list(holders)), who can see it."
            : "No body that handles this kind of problem at this place is known yet: your report waits, in public, until one is."
        return QueuedMail(
            key: "event:\(report.id.hex):follow-\(follow.id)",
            recipient: follow.email,
            subject: "Your report: \(title)",
            body: """
                Thank you for your report to \(siteName).

                  \(title)
                  \(issueURL(view.state.id.hex))

                \(where_)
                We will e-mail you when a body accepts it, declines it, passes it on or changes its status.

                \(footer(follow, title: title))
                """,
            unsubscribe: unsubscribeURL(follow)
        )
    }

    /// To each follower of an issue, when a body answers on it.
    func answered(_ follow: MailFollow, view: IssueView, event: Event, words: String) -> QueuedMail {
        let title = Self.oneLine(view.state.report?.title ?? "an issue")
        return QueuedMail(
            key: "event:\(event.id.hex):follow-\(follow.id)",
            recipient: follow.email,
            subject: "\(follow.reporter ? "Your report" : "Update"): \(title)",
            body: """
                \(words)

                  \(title)
                  \(issueURL(view.state.id.hex))

                \(footer(follow, title: title))
                """,
            unsubscribe: unsubscribeURL(follow)
        )
    }

    /// To each follower of an area, when a report in it arrives.
    func reportedInArea(_ follow: MailFollow, area: String, state: IssueState, report: Event) -> QueuedMail {
        let title = Self.oneLine(state.report?.title ?? "a new report")
        return QueuedMail(
            key: "event:\(report.id.hex):follow-\(follow.id)",
            recipient: follow.email,
            subject: "New report in \(area): \(title)",
            body: """
                A problem was reported in \(area):

                  \(title)
                  \(issueURL(state.id.hex))

                \(footer(follow, title: nil))
                """,
            unsubscribe: unsubscribeURL(follow)
        )
    }

    /// To an address someone gave to follow something: nothing else is sent until it is confirmed.
    package func confirmation(_ follow: MailFollow, title: String?) -> QueuedMail {
        let what = about(follow, title: title.map(Self.oneLine))
        return QueuedMail(
            key: "confirm:follow-\(follow.id)",
            recipient: follow.email,
            subject:
                "Confirm: e-mails about \(follow.area.map { "new reports in \($0)" } ?? Self.oneLine(title ?? "a report"))",
            body: """
                Someone, we hope you, asked \(siteName) to e-mail \(follow.email) about \(what).

                To start these e-mails, open this link and press Confirm:
                  \(confirmURL(follow))

                If it was not you, ignore this e-mail: nothing more will be sent.
                """,
            unsubscribe: nil
        )
    }

    /// Text from a signed event (which any node may have written) fit for a subject:
    /// one line, no control characters, at most 120 characters.
    static func oneLine(_ text: String) -> String {
        let flat = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? " " : $0 }
            )
        )
        let words = flat.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return words.count > 120 ? String(words.prefix(119)) + "…" : words
    }

    /// "A", "A and B", "A, B and C".
    static func list(_ names: [String]) -> String {
        guard names.count > 1, let last = names.last else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + last
    }
}
