import ArgumentParser
import CIXCanonicalJSON
import CIXCore
import CIXNode
import Foundation

/// `cix retention run`: the daily retention job, now.
struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Residents' data past its time ([retention] in cix.toml): `cix serve` deletes it daily.",
        subcommands: [Run.self]
    )

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete now what the retention policy says has run out, and say what was deleted."
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var output: JSONOption

        func run() throws {
            let node = try data.openNode()
            let run = try Output.run { () throws(NodeError) in
                try node.applyRetention(by: StaffCommand.actor, now: .now())
            }
            let report = run.deleted
            if let failure = run.unscrubbed {
                Output.printError(
                    "warning: deleted, but not yet scrubbed from disk: \(failure.message) (a running `cix serve` scrubs it once it can; else run `cix store scrub`)"
                )
            }
            if output.json {
                Output.printJSON(
                    .object(
                        JSONObject([
                            "contacts": .number(Double(report.contacts)), "follows": .number(Double(report.follows)),
                            "held_reports": .number(Double(report.heldReports)), "flags": .number(Double(report.flags)),
                            "open311_texts": .number(Double(report.open311Details)),
                            "mails": .number(Double(report.mails)),
                            "sealed_contacts": .number(Double(report.sealedContacts)),
                            "scrubbed": .bool(run.scrubbed),
                        ])
                    )
                )
            } else {
                let policy = node.retention
                print("Deleted: \(report.summary).")
                print(
                    "Policy: contacts \(policy.contactsMonths) months after the issue closes, held reports \(policy.heldDays) days, flags \(policy.flagDays) days, Open311 texts \(policy.open311LogDays) days, mail records \(policy.mailDays) days, unconfirmed follows \(policy.unconfirmedFollowDays) days; contact details sealed to or by this node go with the contacts."
                )
            }
        }
    }
}

/// `cix subject`: a person's right to see and erase what this node holds about them.
struct SubjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subject",
        abstract: "Find, export or erase what this node holds about one person (by e-mail or phone).",
        discussion: "Each use is recorded in the audit trail, under a hash of the e-mail and phone given.",
        subcommands: [Find.self, Export.self, Erase.self]
    )

    struct Who: ParsableArguments {
        @Option(help: "The person's e-mail address.") var email: String?
        @Option(help: "The person's phone number (matched by its digits).") var phone: String?

        func subject() throws -> LocalNode.Subject {
            try Output.run { () throws(NodeError) in try LocalNode.Subject(email: email, phone: phone) }
        }
    }

    struct Find: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List what this node holds about the person.")
        @OptionGroup var data: DataOptions
        @OptionGroup var who: Who

        func run() throws {
            let node = try data.openNode()
            let subject = try who.subject()
            let found = try Output.run { () throws(NodeError) in
                try node.findSubject(subject, by: StaffCommand.actor, now: .now())
            }
            if found.isEmpty {
                print("Nothing is held about this person.")
                return
            }
            for contact in found.contacts {
                print("report   \(contact.issue)  given \(contact.givenAt)  as \(contact.reporter)")
            }
            for follow in found.follows {
                let what = follow.issue.map { "issue \($0)" } ?? "area \(follow.area ?? "")"
                print("follow   \(what)\(follow.confirmedAt == nil ? "  (not confirmed)" : "")")
            }
            for mail in found.mails {
                print("mail     \(mail.sentAt.map { "sent \($0)" } ?? "waiting")  \(mail.subject)")
            }
            for held in found.heldReports { print("held     report \(held.id) received \(held.receivedAt)") }
            for entry in found.open311 {
                print("open311  \(entry.action) at \(entry.at)\(entry.issue.map { " on \($0)" } ?? "")")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write everything this node holds about the person to a JSON file, for them.",
            discussion: "The file is made readable by its owner only."
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var who: Who
        @Option(help: ArgumentHelp("The file to write (must not exist).", valueName: "FILE")) var out: String

        func run() throws {
            let node = try data.openNode()
            let subject = try who.subject()
            guard !FileManager.default.fileExists(atPath: out) else {
                throw Output.fail("\(out) exists; not overwriting it")
            }
            let document = try Output.run { () throws(NodeError) in
                try node.exportSubject(subject, by: StaffCommand.actor, now: .now())
            }
            let bytes = (try? document.canonicalBytes()) ?? []
            guard
                FileManager.default.createFile(
                    atPath: out,
                    contents: Data(bytes),
                    attributes: [.posixPermissions: 0o600]
                )
            else { throw Output.fail("cannot write \(out)") }
            print("Wrote \(out) (\(bytes.count) bytes).")
        }
    }

    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete what this node holds about the person, and redact their reports that name them.",
            discussion: """
                Contact details, follows, mails, held reports and the texts of their Open311 posts are deleted. \
                A report whose title or details contain their e-mail, phone or name is redacted (a signed \
                redaction, carried out by every node that holds it); their other reports stay, carrying only \
                a pseudonym. Copies of their details sealed to other bodies (with their consent) are \
                withdrawn: redacted, so that each body deletes its copy. Prints a receipt (--json for a file to keep).
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var who: Who
        @OptionGroup var output: JSONOption

        func run() throws {
            let node = try data.openNode()
            let subject = try who.subject()
            let now = Timestamp.now()
            let erasure = try Output.run { () throws(NodeError) in
                try node.eraseSubject(subject, by: StaffCommand.actor, now: now)
            }
            let erased = erasure.erased
            if let failure = erasure.unscrubbed {
                Output.printError(
                    "warning: erased, but not yet scrubbed from disk: \(failure.message)"
                )
            }
            if output.json {
                Output.printJSON(
                    .object(
                        JSONObject([
                            "erased_at": .string(now.description), "node": .string(node.id.hex),
                            "subject": .string(subject.hash),
                            "contacts": .number(Double(erased.contacts.count)),
                            "follows": .number(Double(erased.follows.count)),
                            "mails": .number(Double(erased.mails.count)),
                            "held_reports": .number(Double(erased.heldReports.count)),
                            "open311_texts": .number(Double(erased.open311.count)),
                            "reports_redacted": .array(erasure.redacted.map { .string($0.hex) }),
                            "sealed_copies_withdrawn": .array(erasure.withdrawn.map { .string($0.hex) }),
                            "audit_entry": .number(Double(erasure.auditEntry)),
                            "scrubbed": .bool(erasure.scrubbed),
                        ])
                    )
                )
                return
            }
            print("Erased at \(now) on \(node.config.node.name) (\(node.id.hex)):")
            print(
                "  \(erased.contacts.count) contact details, \(erased.follows.count) follows, \(erased.mails.count) mails, \(erased.heldReports.count) held reports, \(erased.open311.count) Open311 texts"
            )
            for issue in erasure.redacted { print("  report \(issue.hex) redacted: its text named the person") }
            for copy in erasure.withdrawn {
                print("  sealed copy \(copy.hex) withdrawn: the body it was sent to deletes it on receipt")
            }
            print("  audit entry \(erasure.auditEntry), subject \(subject.hash)")
        }
    }
}
