import ArgumentParser
import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXPhoto

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Set this agency's own status on an issue.",
        discussion: "STATE is one of: \(AgencyStatus.allCases.map(\.rawValue).joined(separator: ", "))."
    )
    @OptionGroup var data: DataOptions
    @Argument(help: "Issue id (or its first 6+ digits).") var issue: String
    @Argument(help: "The new status.") var state: String
    @Option(help: "A note for the public.") var note: String?
    @OptionGroup var output: JSONOption

    func validate() throws {
        guard AgencyStatus(rawValue: state) != nil else {
            throw ValidationError(
                "STATE must be one of \(AgencyStatus.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
    }

    func run() throws {
        guard let status = AgencyStatus(rawValue: state) else { throw Output.misuse("unknown status \(state)") }
        try author(.status(StatusBody(state: status, note: note)), issue: issue, data: data, json: output.json)
    }
}

struct AcceptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Accept this agency's part of an issue."
    )
    @OptionGroup var data: DataOptions
    @Argument(help: "Issue id (or its first 6+ digits).") var issue: String
    @Option(help: "A note for the public.") var note: String?
    @OptionGroup var output: JSONOption

    func run() throws {
        try author(.accept(AcceptBody(note: note)), issue: issue, data: data, json: output.json)
    }
}

struct DeclineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decline",
        abstract: "Decline an issue as not this agency's; optionally refer it to another node."
    )
    @OptionGroup var data: DataOptions
    @Argument(help: "Issue id (or its first 6+ digits).") var issue: String
    @Option(help: "Why.") var reason: String
    @Option(help: ArgumentHelp("Node id of a body that may own it; the issue is routed there.", valueName: "NODE"))
    var refer: String?
    @OptionGroup var output: JSONOption

    func run() throws {
        let node = try data.openNode()
        let body = DeclineBody(
            reason: reason,
            refer: try refer.map { try resolveNode($0, option: "--refer", in: node) }
        )
        try author(.decline(body), issue: issue, data: data, json: output.json)
    }
}

struct TransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer",
        abstract: "Hand this agency's part of an issue to another node."
    )
    @OptionGroup var data: DataOptions
    @Argument(help: "Issue id (or its first 6+ digits).") var issue: String
    @Option(help: ArgumentHelp("Node id of the agency taking over.", valueName: "NODE")) var to: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let node = try data.openNode()
        let body = TransferBody(to: try resolveNode(to, option: "--to", in: node), reason: reason)
        try author(.transfer(body), issue: issue, data: data, json: output.json)
    }
}

struct RouteSendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Route an issue to agencies by hand."
    )
    @OptionGroup var data: DataOptions
    @Argument(help: "Issue id (or its first 6+ digits).") var issue: String
    @Option(name: .customLong("to"), help: ArgumentHelp("Node id of an agency (repeatable).", valueName: "NODE"))
    var recipients: [String]
    @Option(help: "Why it goes to them.") var reason: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let node = try data.openNode()
        let nodes = try recipients.map { try resolveNode($0, option: "--to", in: node) }
        let body = RouteBody(recipients: nodes.map { .init(node: $0, reason: reason) })
        try author(.route(body), issue: issue, data: data, json: output.json)
    }
}

struct DuplicateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicate",
        abstract: "Mark an issue as a duplicate of another, possibly held by another node."
    )
    @OptionGroup var data: DataOptions
    @Argument(help: "Issue id (or its first 6+ digits).") var issue: String
    @Option(help: ArgumentHelp("Id of the issue it duplicates.", valueName: "ISSUE")) var of: String
    @Option(help: ArgumentHelp("Node id of a node holding that issue.", valueName: "NODE")) var node: String?
    @OptionGroup var output: JSONOption

    func run() throws {
        let local = try data.openNode()
        let other = try resolveIssue(of, in: local)
        let body = DuplicateBody(of: other, node: try node.map { try resolveNode($0, option: "--node", in: local) })
        try author(.duplicate(body), issue: issue, data: data, json: output.json)
    }
}

struct RedactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redact",
        abstract: "Remove an event's body (personal data, abuse), or replace it by a cleaned copy.",
        discussion: """
            Allowed for the event's author and the issue's origin. Give a reason without personal data.             With --title, --description, --text, --note or --drop-photo, the report or contribution is             replaced rather than removed: the original body is removed from every node, and the cleaned             copy (everything else kept: place, category, other photos) stands in its place.
            """
    )
    @OptionGroup var data: DataOptions
    @Argument(help: "Event id (or its first 6+ digits).") var event: String
    @Option(help: "Why.") var reason: String
    @Option(help: ArgumentHelp("A report's cleaned title.", valueName: "TEXT")) var title: String?
    @Option(help: ArgumentHelp("A report's cleaned description.", valueName: "TEXT")) var description: String?
    @Option(help: ArgumentHelp("A comment's or solution's cleaned text.", valueName: "TEXT")) var text: String?
    @Option(help: ArgumentHelp("A confirmation's cleaned note.", valueName: "TEXT")) var note: String?
    @Option(help: ArgumentHelp("A photo to leave out (its hash); repeat for more.", valueName: "HASH"))
    var dropPhoto: [String] = []
    @Option(
        help: ArgumentHelp(
            "Black out part of a photo, in percent of its width and height; repeat for more.",
            valueName: "HASH:LEFT,TOP,WIDTH,HEIGHT"
        )
    )
    var maskPhoto: [String] = []
    @OptionGroup var output: JSONOption

    func run() throws {
        let node = try data.openNode()
        let (target, issue) = try Output.run { () throws(NodeError) in try node.resolveEvent(event) }
        var texts: [String: String] = [:]
        for (member, value) in [("title", title), ("description", description), ("text", text), ("note", note)] {
            if let value { texts[member] = value }
        }
        var masks: [String: [MaskedArea]] = [:]
        for given in maskPhoto {
            let parts = given.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let area = MaskedArea(parts[1]) else {
                throw ValidationError(
                    "--mask-photo takes HASH:LEFT,TOP,WIDTH,HEIGHT in percent within the photo, for example abc123…:10,60,30,20"
                )
            }
            masks[parts[0].lowercased(), default: []].append(area)
        }
        var replacement: JSONObject?
        if !texts.isEmpty || !dropPhoto.isEmpty || !masks.isEmpty {
            let cleaning = Cleaning(
                texts: texts,
                droppedPhotos: Set(dropPhoto.map { $0.lowercased() }),
                maskedPhotos: masks
            )
            replacement = try Output.run { () throws(NodeError) in
                try node.replacement(for: target, on: issue, cleaning: cleaning)
            }
        }
        try author(
            .redact(RedactBody(target: target, reason: reason, replacement: replacement)),
            issue: issue.hex,
            data: data,
            json: output.json
        )
        // Clear the traces on disk now; a running daemon does it within a second anyway (`cix serve`'s upkeep).
        do {
            try node.scrubAfterChange()
        } catch {
            Output.printError("warning: redacted, but not yet scrubbed from disk: \(error)")
        }
    }
}
