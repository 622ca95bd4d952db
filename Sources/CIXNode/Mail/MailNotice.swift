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

    /// The words of mails to `follow`, in the language it was asked in.
    static func words(_ follow: MailFollow) -> any MailWords {
        (Language(rawValue: follow.language) ?? .english).mailWords
    }

    /// What this follow is about, as the end of "you follow …".
    func about(_ follow: MailFollow, title: String?) -> String {
        let words = Self.words(follow)
        if let area = follow.area { return words.aboutArea(area) }
        return words.aboutReport(title ?? words.anIssue)
    }

    func footer(_ follow: MailFollow, title: String?) -> String {
        let words = Self.words(follow)
        let why =
            follow.reporter
            ? words.whyReporter(siteName) : words.whyFollower(siteName, about: about(follow, title: title))
        return """
            --
            \(why)
            \(words.stopThese) \(unsubscribeURL(follow))
            """
    }

    /// To the resident who reported, when the report is taken: where it went and what comes next.
    func received(_ follow: MailFollow, view: IssueView, report: Event) -> QueuedMail {
        let words = Self.words(follow)
        let title = Self.oneLine(view.state.report?.title ?? words.yourReportFallback)
        let holders = view.state.agencies.values.filter(\.isActive).map { view.name($0.node) }.sorted()
        return QueuedMail(
            key: "event:\(report.id.hex):follow-\(follow.id)",
            recipient: follow.email,
            subject: words.receivedSubject(title),
            body: """
                \(words.thanks(siteName))

                  \(title)
                  \(issueURL(view.state.id.hex))

                \(view.state.routed ? words.nowWith(holders) : words.noBodyYet)
                \(words.willMail)

                \(footer(follow, title: title))
                """,
            unsubscribe: unsubscribeURL(follow)
        )
    }

    /// To each follower of an issue, when a body answers on it.
    func answered(_ follow: MailFollow, view: IssueView, event: Event, words: String) -> QueuedMail {
        let title = Self.oneLine(view.state.report?.title ?? Self.words(follow).anIssue)
        return QueuedMail(
            key: "event:\(event.id.hex):follow-\(follow.id)",
            recipient: follow.email,
            subject: Self.words(follow).answeredSubject(reporter: follow.reporter, title),
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
        let words = Self.words(follow)
        let title = Self.oneLine(state.report?.title ?? words.aNewReport)
        return QueuedMail(
            key: "event:\(report.id.hex):follow-\(follow.id)",
            recipient: follow.email,
            subject: words.areaSubject(area, title),
            body: """
                \(words.reportedIn(area))

                  \(title)
                  \(issueURL(state.id.hex))

                \(footer(follow, title: nil))
                """,
            unsubscribe: unsubscribeURL(follow)
        )
    }

    /// To an address someone gave to follow something: nothing else is sent until it is confirmed.
    package func confirmation(_ follow: MailFollow, title: String?) -> QueuedMail {
        let words = Self.words(follow)
        let what = about(follow, title: title.map(Self.oneLine))
        return QueuedMail(
            key: "confirm:follow-\(follow.id)",
            recipient: follow.email,
            subject: words.confirmSubject(
                follow.area.map { words.aboutArea($0) } ?? Self.oneLine(title ?? words.aReport)
            ),
            body: """
                \(words.someoneAsked(siteName, follow.email, about: what))

                \(words.openToConfirm)
                  \(confirmURL(follow))

                \(words.ignoreIfNotYou)
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

    /// "A", "A and B", "A, B and C", with the language's "and" (the pages say names so too).
    package static func list(_ names: [String], and: String) -> String {
        guard names.count > 1, let last = names.last else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " \(and) " + last
    }
}
