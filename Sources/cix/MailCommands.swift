import ArgumentParser
import CIXCanonicalJSON
import CIXCore
import CIXMail
import CIXNode

/// `cix mail`: what the node's outbox holds, and a test of the relay settings.
struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Residents' mail: the outbox, and a test of the [mail] relay.",
        subcommands: [Status.self, Test.self]
    )

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mails waiting, sent and given up; `cix serve` sends what waits.",
            discussion: "Exit status 1 if any mail has waited more than an hour (the relay may be down or refusing)."
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var output: JSONOption

        func run() throws {
            let node = try data.openNode()
            let counts = try Output.run { () throws(NodeError) in
                try node.outboxCounts()
            }
            let stuck =
                counts.oldestWaiting.map { Timestamp.now().secondsSinceEpoch - $0.secondsSinceEpoch > 3_600 } ?? false
            if output.json {
                var object = JSONObject([
                    "waiting": .number(Double(counts.waiting)), "sent": .number(Double(counts.sent)),
                    "failed": .number(Double(counts.failed)), "configured": .bool(node.config.mail != nil),
                ])
                object["oldest_waiting"] = counts.oldestWaiting.map { JSONValue.string($0.description) } ?? .null
                Output.printJSON(.object(object))
            } else {
                if node.config.mail == nil { print("No [mail] in cix.toml: no mail is offered to residents or sent.") }
                print("waiting \(counts.waiting)  sent \(counts.sent)  given up \(counts.failed)")
                if let oldest = counts.oldestWaiting { print("oldest waiting since \(oldest)") }
            }
            if stuck {
                throw Output.fail("mail has waited more than an hour: see the daemon's log for the relay's answer")
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send one test mail through the [mail] relay now, and say what the relay answered.",
            discussion: "Nothing is queued. Exit status 1 if the relay did not take the mail."
        )
        @OptionGroup var data: DataOptions
        @Option(help: ArgumentHelp("Where to send it.", valueName: "ADDRESS")) var to: String

        func run() async throws {
            let node = try data.openNode()
            guard let settings = try Output.run({ () throws(NodeError) in try MailSettings.of(node) }) else {
                throw Output.fail("no [mail] in cix.toml; deploy/council.toml shows the settings")
            }
            let message: MailMessage
            do {
                message = try MailMessage(
                    from: settings.from,
                    fromName: settings.fromName,
                    to: MailAddress(to),
                    subject: "CIX test mail from \(node.config.node.name)",
                    text:
                        "This is a test of \(node.config.node.name)'s mail settings. Residents' mail will come from this address."
                )
            } catch {
                throw Output.fail("--to: \(error.message)")
            }
            let id = "\(LocalNode.newLinkToken())@\(settings.relay.heloName)"
            let outgoing = SMTPClient.Outgoing(
                from: settings.from,
                to: message.to,
                bytes: message.rendered(date: .now, messageID: id)
            )
            let relay = "\(settings.relay.host):\(settings.relay.port)"
            switch await SMTPClient(relay: settings.relay).deliver([outgoing]).first {
            case .success?: print("The relay \(relay) took a test mail for \(message.to).")
            case .failure(let error)?: throw Output.fail(error.message)
            case nil: throw Output.fail("nothing was sent")
            }
        }
    }
}
