import CIXCore
import CIXDemo
import CIXMail
import CIXNode
import CIXStore
import CIXTesting
import Foundation
import Testing

/// Residents hear back by e-mail, end to end: real nodes over HTTPS, a real
/// SMTP server (aiosmtpd, STARTTLS and AUTH required), the notifier reading
/// the real store, and mail read back the way a mail program parses it.
@Suite("Residents' mail", .serialized)
struct MailTests {
    static let resident = "ann.canary@residents.example"

    /// A real relay (stopped when the test's last reference to it goes); nil, recorded, without aiosmtpd.
    static func relay(in folder: TemporaryDirectory, startTLS: Bool = true) async throws -> MailRelay? {
        guard let relay = try await MailRelay.start(in: folder, startTLS: startTLS) else {
            Issue.record("aiosmtpd is not installed; .ci/setup installs it (pip install aiosmtpd)")
            return nil
        }
        return relay
    }

    /// A relay and the town using it, for `body`; everything stopped after it, however it ends.
    static func withTown(_ label: String, _ body: (MailRelay, LiveNode, LiveNode) async throws -> Void) async throws {
        let folder = TemporaryDirectory(label)
        defer { folder.remove() }
        guard let relay = try await Self.relay(in: folder) else { return }
        let (council, police) = try await town(folder, relay: relay)
        func stop() async {
            await council.stop()
            await police.stop()
            await relay.stop()
        }
        do {
            try await body(relay, council, police)
        } catch {
            await stop()
            throw error
        }
        await stop()
    }

    /// The council (with `[mail]` to `relay`) and the police, peered, serving Greenfield's areas.
    static func town(_ folder: TemporaryDirectory, relay: MailRelay) async throws -> (LiveNode, LiveNode) {
        let council = try await LiveNode.start(
            "council",
            kind: .council,
            in: folder,
            toml: try relay.toml(nodeFolder: folder.url)
        )
        let police = try await LiveNode.start("police", kind: .police, in: folder)
        for (node, key) in [(council, "council"), (police, "police")] {
            let body = try #require(Greenfield.body(key))
            try node.node.publishDescriptor(now: .now(), categories: body.categories, area: .some(body.area.geoJSON))
        }
        try await council.peer(with: [police])
        try await police.peer(with: [council])
        return (council, police)
    }

    /// A resident's report through the council of anti-social behaviour, which goes to the police too.
    static func report(_ council: LiveNode, email: String = resident, wantsUpdates: Bool = true) throws -> EventID {
        var submission = ReportSubmission(
            title: "Fireworks thrown at passers-by",
            category: "antisocial_behaviour",
            latitude: 52.228,
            longitude: 0.110,
            reporterName: "Ann Canary",
            reporterEmail: email
        )
        submission.wantsUpdates = wantsUpdates
        return try council.node.intake.report(submission, now: .now()).id
    }

    /// What the daemon's mail service does each round: read the log, then send what is due.
    static func mailRound(_ node: LiveNode, at now: Timestamp = .now()) async throws -> MailSender.Round {
        let settings = try #require(try MailSettings.of(node.node))
        try MailNotifier(node: node.node, settings: settings).catchUp(now: now)
        return try await MailSender(settings: settings, store: node.node.mailRecords).sendDue(limit: 100, now: now)
    }

    /// The path and query of a link in a mail (the test nodes' configured URL names no real port).
    static func path(_ link: String?) throws -> String {
        let link = try #require(link)
        let range = try #require(link.range(of: "/mail/"))
        return String(link[range.lowerBound...])
    }

    @Test func aStatusSetByThePoliceReachesTheResidentOnceThroughTheCouncil() async throws {
        try await Self.withTown("mail-status") { relay, council, police in

            let issue = try Self.report(council)
            try await council.pushToPeers()
            #expect(try await Self.mailRound(council).sent == 1)
            let received = try #require(try await relay.waitForMessages(1).first)
            #expect(received.rcptTos == [Self.resident] && received.to == Self.resident)
            #expect(received.mailFrom == "reports@greenfield.example")
            #expect(received.from == "Greenfield reports <reports@greenfield.example>")
            #expect(received.subject == "Your report: Fireworks thrown at passers-by")
            #expect(received.text.contains("It is now with council and police, who can see it."), "\(received.text)")
            #expect(received.text.contains("/issues/\(issue.hex)"))
            #expect(received.header("Auto-Submitted") == "auto-generated")
            #expect(received.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
            let unsubscribe = try #require(received.link(startingWith: "https://127.0.0.1:1/mail/unsubscribe?"))
            #expect(received.header("List-Unsubscribe") == "<\(unsubscribe)>")

            // The police answer on their own node; the answer reaches the council by federation.
            _ = try police.node.act(
                .status(StatusBody(state: .inProgress, note: "Officers will patrol Mill Lane tonight.")),
                on: issue,
                now: .now()
            )
            try await police.pushToPeers()
            #expect(try await Self.mailRound(council).sent == 1)
            let messages = try await relay.waitForMessages(2)
            #expect(messages.count == 2)
            let answer = try #require(messages.last)
            #expect(answer.rcptTos == [Self.resident])
            #expect(answer.subject == "Your report: Fireworks thrown at passers-by")
            #expect(
                answer.text.contains("police set its status to in progress: Officers will patrol Mill Lane tonight."),
                "\(answer.text)"
            )

            // The same answer arriving again (a pull after the push) and more rounds send nothing twice.
            try await council.pullFromPeers()
            #expect(try await Self.mailRound(council) == MailSender.Round())
            #expect(try relay.received().count == 2)

            // One click ends it: the link's page has a button; the mail program's POST (RFC 8058) stops the mails.
            let web = WebClient(node: council)
            let page = try await web.get(try Self.path(unsubscribe))
            #expect(page.status == 200 && page.text.contains("Stop these e-mails"))
            #expect(try council.node.mailRecords.follows(ofIssue: issue.hex).count == 1, "a GET ends nothing")
            let stopped = try await web.post(try Self.path(unsubscribe), [("List-Unsubscribe", "One-Click")])
            #expect(stopped.status == 200 && stopped.text.contains("No more of these e-mails"))
            #expect(try council.node.mailRecords.follows(ofIssue: issue.hex).isEmpty)
            let again = try await web.post(try Self.path(unsubscribe), [("List-Unsubscribe", "One-Click")])
            #expect(again.status == 404, "the link names no follow any more")
            let forged = try await web.get(try Self.path(unsubscribe).replacingOccurrences(of: "t=", with: "t=0"))
            #expect(forged.status == 404)

            _ = try police.node.act(.status(StatusBody(state: .fixed, note: "Patrols done.")), on: issue, now: .now())
            try await police.pushToPeers()
            #expect(try await Self.mailRound(council).sent == 0)
            #expect(try relay.received().count == 2)

            // The resident's address never left the council: not in any file of the police node.
            #expect(try Canary.filesHolding(Self.resident, under: police.node.directory.root).isEmpty)
        }
    }

    @Test func aRelayThatIsDownKeepsMailQueuedAndDeliversItOnceWhenItIsBack() async throws {
        try await Self.withTown("mail-down") { relay, council, police in
            await relay.stop()

            let start = Timestamp.now()
            _ = try Self.report(council)
            let down = try await Self.mailRound(council, at: start)
            #expect(down.sent == 0 && down.retrying == 1)
            #expect(down.lastError?.contains("cannot reach the mail relay 127.0.0.1:\(relay.port)") == true, "\(down)")
            #expect(try council.node.mailRecords.outboxCounts().waiting == 1)
            let metrics = try await WebClient(node: council).get("/metrics")
            #expect(metrics.text.contains("cix_mail_waiting 1"), "\(metrics.text.prefix(300))")

            // Back again: the mail waits for its retry time (a minute after the first try), then goes once.
            try await relay.resume()
            #expect(try await Self.mailRound(council, at: start) == MailSender.Round())
            let later = Timestamp(secondsSinceEpoch: start.secondsSinceEpoch + 61)
            #expect(try await Self.mailRound(council, at: later).sent == 1)
            #expect(
                try await Self.mailRound(council, at: Timestamp(secondsSinceEpoch: later.secondsSinceEpoch + 3_600))
                    == MailSender.Round()
            )
            #expect(try await relay.waitForMessages(1).count == 1)
            #expect(try relay.received().count == 1)
            let counts = try council.node.mailRecords.outboxCounts()
            #expect(counts.waiting == 0 && counts.sent == 1 && counts.failed == 0)
        }
    }

    @Test func aRelayWithoutSTARTTLSIsNeverSentAnythingInTheClear() async throws {
        let folder = TemporaryDirectory("mail-plain")
        defer { folder.remove() }
        guard let relay = try await Self.relay(in: folder, startTLS: false) else { return }
        let council = try await LiveNode.start(
            "council",
            kind: .council,
            in: folder,
            toml: """
                [mail]
                relay = "127.0.0.1:\(relay.port)"
                from = "reports@greenfield.example"
                """
        )
        func stop() async {
            await council.stop()
            await relay.stop()
        }
        do {
            _ = try Self.report(council)
            let round = try await Self.mailRound(council)
            #expect(round.sent == 0 && round.retrying == 1)
            #expect(round.lastError?.contains("does not offer STARTTLS") == true, "\(round)")
            try await Task.sleep(for: .milliseconds(300))
            #expect(try relay.received().isEmpty)
        } catch {
            await stop()
            throw error
        }
        await stop()
    }

    @Test func followersConfirmFirstAndLinesInAddressesNeverBecomeHeaders() async throws {
        try await Self.withTown("mail-follow") { relay, council, police in
            let issue = try Self.report(council, wantsUpdates: false)
            try await council.pushToPeers()
            let web = WebClient(node: council)

            // Injection attempts: in the report form's address and in a follow's.
            var injected = ReportSubmission(
                title: "Broken bench",
                category: "antisocial_behaviour",
                latitude: 52.228,
                longitude: 0.110,
                reporterEmail: "ann@residents.example\r\nBcc: eve@elsewhere.example"
            )
            injected.wantsUpdates = true
            #expect(throws: IntakeError.self) { try council.node.intake.report(injected, now: .now()) }
            let (cookie, token) = try await web.formSession("/issues/\(issue.hex)")
            let refused = try await web.post(
                "/issues/\(issue.hex)/follow",
                [("csrf", token), ("email", "bob@residents.example\nBcc: eve@elsewhere.example")],
                headers: [("Cookie", cookie)]
            )
            #expect(refused.status == 422 && refused.text.contains("does not look like an email address"))
            #expect(throws: MailError.self) {
                try MailMessage(
                    from: MailAddress("reports@greenfield.example"),
                    fromName: "Greenfield",
                    to: MailAddress("bob@residents.example"),
                    subject: "Hello\r\nBcc: eve@elsewhere.example",
                    text: "hi"
                )
            }

            // A follower from the issue page: a confirmation first, nothing else until it is confirmed.
            let page = try await web.get("/issues/\(issue.hex)")
            #expect(page.text.contains("action=\"/issues/\(issue.hex)/follow\""))
            let asked = try await web.post(
                "/issues/\(issue.hex)/follow",
                [("csrf", token), ("email", "Bob@Residents.example")],
                headers: [("Cookie", cookie)]
            )
            #expect(asked.status == 303)
            #expect(try await Self.mailRound(council).sent == 1)
            let confirmation = try #require(try await relay.waitForMessages(1).first)
            #expect(confirmation.rcptTos == ["bob@residents.example"])
            #expect(confirmation.subject == "Confirm: e-mails about Fireworks thrown at passers-by")
            #expect(confirmation.header("List-Unsubscribe") == nil)
            _ = try police.node.act(.accept(AcceptBody(note: "We know the group.")), on: issue, now: .now())
            try await police.pushToPeers()
            #expect(try await Self.mailRound(council).sent == 0, "nothing before the address is confirmed")

            let link = try Self.path(confirmation.link(startingWith: "https://127.0.0.1:1/mail/confirm?"))
            let prompt = try await web.get(link)
            #expect(prompt.status == 200 && prompt.text.contains("bob@residents.example"))
            #expect(
                try council.node.mailRecords.follows(ofIssue: issue.hex).isEmpty,
                "opening the link confirms nothing"
            )
            let confirmed = try await web.post(link, [])
            #expect(confirmed.status == 200 && confirmed.text.contains("Confirmed"))
            #expect(try council.node.mailRecords.follows(ofIssue: issue.hex).map(\.email) == ["bob@residents.example"])

            _ = try police.node.act(.status(StatusBody(state: .fixed, note: "Group moved on.")), on: issue, now: .now())
            try await police.pushToPeers()
            #expect(try await Self.mailRound(council).sent == 1)
            let update = try #require(try await relay.waitForMessages(2).last)
            #expect(update.subject == "Update: Fireworks thrown at passers-by")
            #expect(update.text.contains("police set its status to fixed: Group moved on."))
            #expect(update.rcptTos == ["bob@residents.example"])

            // Asking again for what is already followed says so and sends nothing.
            let repeated = try await web.post(
                "/issues/\(issue.hex)/follow",
                [("csrf", token), ("email", "bob@residents.example")],
                headers: [("Cookie", cookie)]
            )
            #expect(repeated.status == 303 && repeated.header("location")?.hasSuffix("added=following") == true)

            // The report form's own choice: unticked until ticked, and a receipt once it is.
            let form = try await web.get("/report")
            #expect(form.text.contains("name=\"updates\" type=\"checkbox\" value=\"yes\">"))
            let (formCookie, formToken) = try await web.formSession("/report")
            let sent = try await web.post(
                "/report",
                [
                    ("csrf", formToken), ("category", "pothole"), ("title", "Pothole by the school"), ("lat", "52.2"),
                    ("lon", "0.1"), ("email", "Cara@Residents.example"), ("updates", "yes"),
                ],
                headers: [("Cookie", formCookie)]
            )
            #expect(sent.status == 303, "\(sent.text.prefix(500))")
            #expect(try await Self.mailRound(council).sent == 1)
            let receipt = try #require(try await relay.waitForMessages(3).last)
            #expect(
                receipt.subject == "Your report: Pothole by the school" && receipt.rcptTos == ["cara@residents.example"]
            )
        }
    }

    /// A resident who asks in Welsh is written to in Welsh, from the confirmation to each answer.
    @Test func aResidentWhoAsksInWelshIsMailedInWelsh() async throws {
        try await Self.withTown("mail-welsh") { relay, council, police in
            let issue = try Self.report(council, wantsUpdates: false)
            try await council.pushToPeers()
            let web = WebClient(node: council)
            let (cookie, token) = try await web.formSession("/issues/\(issue.hex)")
            let asked = try await web.post(
                "/issues/\(issue.hex)/follow",
                [("csrf", token), ("email", "dai@residents.example")],
                headers: [("Cookie", "\(cookie); cix_lang=cy")]
            )
            #expect(asked.status == 303)
            #expect(try await Self.mailRound(council).sent == 1)
            let confirmation = try #require(try await relay.waitForMessages(1).first)
            #expect(confirmation.subject == "Cadarnhau: negeseuon e-bost am Fireworks thrown at passers-by")
            #expect(confirmation.text.contains("I ddechrau'r negeseuon hyn, agorwch y ddolen hon a phwyso Cadarnhau:"))
            let link = try Self.path(confirmation.link(startingWith: "https://127.0.0.1:1/mail/confirm?"))
            #expect(try await web.post(link, []).status == 200)

            _ = try police.node.act(.status(StatusBody(state: .fixed, note: "Group moved on.")), on: issue, now: .now())
            try await police.pushToPeers()
            #expect(try await Self.mailRound(council).sent == 1)
            let update = try #require(try await relay.waitForMessages(2).last)
            #expect(update.subject == "Diweddariad: Fireworks thrown at passers-by")
            #expect(
                update.text.contains("Newidiodd police ei statws i “wedi'i drwsio”: Group moved on."),
                "\(update.text)"
            )
            #expect(update.text.contains("Atal y negeseuon hyn: https://127.0.0.1:1/mail/unsubscribe?"))

            // A report made on the Welsh form: its receipt is Welsh; the English follower's mails stay English.
            let (formCookie, formToken) = try await web.formSession("/report")
            let sent = try await web.post(
                "/report",
                [
                    ("csrf", formToken), ("category", "antisocial_behaviour"), ("title", "Sŵn yn y nos"),
                    ("lat", "52.228"), ("lon", "0.110"), ("email", "eira@residents.example"), ("updates", "yes"),
                ],
                headers: [("Cookie", "\(formCookie); cix_lang=cy")]
            )
            #expect(sent.status == 303, "\(sent.text.prefix(500))")
            #expect(try await Self.mailRound(council).sent == 1)
            let receipt = try #require(try await relay.waitForMessages(3).last)
            #expect(receipt.subject == "Eich adroddiad: Sŵn yn y nos" && receipt.rcptTos == ["eira@residents.example"])
            #expect(receipt.text.contains("Diolch am eich adroddiad i council."), "\(receipt.text)")
            #expect(receipt.text.contains("Mae bellach gyda council a police, sy'n gallu ei weld."))
        }
    }

    @Test func theDaemonSendsOnItsOwnAndTheCommandsTestTheRelayAndReportTheOutbox() async throws {
        let folder = TemporaryDirectory("mail-daemon")
        defer { folder.remove() }
        guard let relay = try await Self.relay(in: folder) else { return }
        let directory = NodeDirectory(path: folder.file("council").path)
        _ = try LocalNode.create(
            in: directory,
            name: "Council",
            kind: .council,
            url: "https://127.0.0.1:1",
            listen: "127.0.0.1:0",
            web: WebConfig(tiles: ""),
            allowPrivateAddresses: true,
            now: .now()
        )
        let config = try FileHandle(forWritingTo: directory.config)
        try config.seekToEnd()
        try config.write(contentsOf: Data(("\n" + (try relay.toml(nodeFolder: folder.url)) + "\n").utf8))
        try config.close()
        let cli = CLI(data: directory.root.path)

        let test = try await cli.runAsync(["mail", "test", "--to", "ops@greenfield.example"])
        #expect(
            test.status == 0 && test.stdout.contains("took a test mail for ops@greenfield.example"),
            "\(test.stderr)"
        )
        #expect(try await relay.waitForMessages(1).first?.subject == "CIX test mail from Council")

        // The daemon's mail service sees a report made by another process, and mails the reporter.
        let daemon = try await Daemon.start(directory, arguments: ["--pull-interval", "3600"])
        defer { daemon.stop() }
        let report = try await cli.runAsync([
            "report", "--category", "pothole", "--lat", "52.2", "--lon", "0.1", "--title", "Pothole on Mill Lane",
            "--reporter-email", Self.resident, "--updates",
        ])
        #expect(report.status == 0, "\(report.stderr)")
        let messages = try await relay.waitForMessages(2, seconds: 30)
        #expect(messages.count == 2 && messages.last?.subject == "Your report: Pothole on Mill Lane")
        #expect(messages.last?.rcptTos == [Self.resident])
        let status = try await cli.runAsync(["mail", "status", "--json"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("\"sent\":1") && status.stdout.contains("\"waiting\":0"), "\(status.stdout)")

        await relay.stop()
        let down = try await cli.runAsync(["mail", "test", "--to", "ops@greenfield.example"])
        #expect(
            down.status == 1 && down.stderr.contains("cannot reach the mail relay 127.0.0.1:\(relay.port)"),
            "\(down.stderr)"
        )
        let refused = try await cli.runAsync([
            "mail", "test", "--to", "ops@greenfield.example\nBcc: eve@elsewhere.example",
        ])
        #expect(refused.status == 1 && refused.stderr.contains("--to"))
    }
}
