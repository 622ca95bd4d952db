import ArgumentParser
import CIXCanonicalJSON
import CIXCore
import CIXNode

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report a fault at a place; prints the new issue's id.",
        discussion: """
            The report is routed to every known body whose area contains the place and whose categories \
            include the category (see `cix route explain`); with none it waits in the unrouted queue. \
            The reporter's name, email and phone stay on this node: the signed report carries only a \
            new pseudonymous handle.
            """
    )

    @OptionGroup var data: DataOptions
    @Option(help: "Category code from the shared taxonomy, e.g. pothole.") var category: String
    @Option(parsing: .unconditional, help: "Latitude, WGS84 degrees.") var lat: Double
    @Option(parsing: .unconditional, help: "Longitude, WGS84 degrees.") var lon: Double
    @Option(help: "A short summary.") var title: String
    @Option(help: "What you saw.") var description: String?
    @Option(name: .customLong("tag"), help: "A tag (repeatable).") var tags: [String] = []
    @Option(help: "Address or place description.") var address: String?
    @Option(help: "Radius of uncertainty in metres.") var accuracy: Double?
    @Option(name: .customLong("reporter-name"), help: "Reporter's name (kept private on this node).")
    var reporterName: String?
    @Option(name: .customLong("reporter-email"), help: "Reporter's email (kept private on this node).")
    var reporterEmail: String?
    @Option(name: .customLong("reporter-phone"), help: "Reporter's phone (kept private on this node).")
    var reporterPhone: String?
    @Flag(
        name: .customLong("updates"),
        help: "E-mail the reporter when a body answers (needs --reporter-email and [mail] in cix.toml)."
    )
    var updates = false
    @Flag(
        name: .customLong("share-contact"),
        help:
            "The reporter agreed that the bodies handling the report may contact them: their details are sealed to each body it is routed to (needs --reporter-email or --reporter-phone)."
    )
    var shareContact = false
    @Flag(
        name: .customLong("mask-personal-data"),
        help:
            "Replace what looks like personal data in the title and details (phone numbers, e-mail addresses, home addresses, vehicle registrations) instead of refusing the report."
    )
    var maskPersonalData = false
    @OptionGroup var output: JSONOption

    func run() throws {
        let node = try data.openNode()
        var report = ReportSubmission(
            title: title,
            description: description,
            category: category,
            tags: tags,
            latitude: lat,
            longitude: lon,
            address: address,
            accuracy: accuracy,
            reporterName: reporterName,
            reporterEmail: reporterEmail,
            reporterPhone: reporterPhone
        )
        report.screening = maskPersonalData ? .mask : .warn
        report.sharesContact = shareContact
        if updates {
            guard node.config.mail != nil else {
                throw Output.fail("--updates needs [mail] in cix.toml: this node sends no e-mail")
            }
            report.wantsUpdates = true
        }
        let receipt: ReportReceipt
        do {
            receipt = try node.intake.report(report, now: .now())
        } catch {
            switch error {
            case .invalid(let problems):
                for problem in problems {
                    Output.printError("error: --\(Self.option(for: problem.field)): \(problem.message)")
                }
                throw ExitCode.failure
            case .failed(let failure): throw Output.fail(failure.message)
            }
        }
        for masked in receipt.masked { Output.printError("note: \(masked.message)") }
        let (event, recipients) = (receipt.event, receipt.recipients)
        if output.json {
            Output.printJSON(
                .object(
                    JSONObject([
                        "id": .string(event.id.hex),
                        "recipients": .array(
                            recipients.map {
                                .object(
                                    JSONObject([
                                        "node": .string($0.node.hex), "name": .string($0.name),
                                        "reason": .string($0.reason),
                                    ])
                                )
                            }
                        ),
                    ])
                )
            )
        } else {
            print(event.id.hex)
            if recipients.isEmpty {
                Output.printError(
                    "No known body serves \(category) here yet: the report waits in the unrouted queue (cix issue list --unrouted)."
                )
            }
            for recipient in recipients { Output.printError("routed to \(recipient.name): \(recipient.reason)") }
        }
    }
}

extension ReportCommand {
    /// The option a submission field came from.
    static func option(for field: String) -> String {
        switch field {
        case "name", "email", "phone": "reporter-\(field)"
        case "location": "lat/--lon"
        case "photo": "photo"
        default: field
        }
    }
}

/// Signs and stores one event on an issue and prints its id.
func author(_ content: EventBody, issue: String, data: DataOptions, json: Bool) throws {
    let node = try data.openNode()
    let issueID = try resolveIssue(issue, in: node)
    let event = try Output.run { () throws(NodeError) in try node.act(content, on: issueID, now: .now()) }
    if json {
        Output.printJSON(.object(JSONObject(["id": .string(event.id.hex), "issue": .string(issueID.hex)])))
    } else {
        print(event.id.hex)
    }
}
