import ArgumentParser
import CIXCanonicalJSON
import CIXCore

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Set this agency's own status on an issue.",
        discussion: "STATE is one of: \(AgencyStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
    @OptionGroup var data: DataOptions
    @Argument(help: "Issue id (or its first 6+ digits).") var issue: String
    @Argument(help: "The new status.") var state: String
    @Option(help: "A note for the public.") var note: String?
    @OptionGroup var output: JSONOption

    func validate() throws {
        guard AgencyStatus(rawValue: state) != nil else {
            throw ValidationError("STATE must be one of \(AgencyStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        try author(.status, issue: issue, body: with(JSONObject(["state": .string(state)]), "note", note), data: data, json: output.json)
    }
}

struct AcceptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "accept", abstract: "Accept this agency's part of an issue.")
    @OptionGroup var data: DataOptions
    @Argument(help: "Issue id (or its first 6+ digits).") var issue: String
    @Option(help: "A note for the public.") var note: String?
    @OptionGroup var output: JSONOption

    func run() throws {
        try author(.accept, issue: issue, body: with(JSONObject(), "note", note), data: data, json: output.json)
    }
}

struct DeclineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decline", abstract: "Decline an issue as not this agency's; optionally refer it to another node.")
    @OptionGroup var data: DataOptions
    @Argument(help: "Issue id (or its first 6+ digits).") var issue: String
    @Option(help: "Why.") var reason: String
    @Option(help: ArgumentHelp("Node id of a body that may own it; the issue is routed there.", valueName: "NODE"))
    var refer: String?
    @OptionGroup var output: JSONOption

    func run() throws {
        var body = JSONObject(["reason": .string(reason)])
        if let refer { body["refer"] = .string(try parseNodeID(refer, option: "--refer").hex) }
        try author(.decline, issue: issue, body: body, data: data, json: output.json)
    }
}

struct TransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer", abstract: "Hand this agency's part of an issue to another node.")
    @OptionGroup var data: DataOptions
    @Argument(help: "Issue id (or its first 6+ digits).") var issue: String
    @Option(help: ArgumentHelp("Node id of the agency taking over.", valueName: "NODE")) var to: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let body = JSONObject(["to": .string(try parseNodeID(to, option: "--to").hex), "reason": .string(reason)])
        try author(.transfer, issue: issue, body: body, data: data, json: output.json)
    }
}

struct RouteSendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Route an issue to agencies by hand.")
    @OptionGroup var data: DataOptions
    @Argument(help: "Issue id (or its first 6+ digits).") var issue: String
    @Option(name: .customLong("to"), help: ArgumentHelp("Node id of an agency (repeatable).", valueName: "NODE"))
    var recipients: [String]
    @Option(help: "Why it goes to them.") var reason: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let nodes = try Set(recipients.map { try parseNodeID($0, option: "--to") }).sorted()
        let list: [JSONValue] = nodes.map { .object(JSONObject(["node": .string($0.hex), "reason": .string(reason)])) }
        try author(.route, issue: issue, body: JSONObject(["recipients": .array(list)]), data: data, json: output.json)
    }
}

struct DuplicateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicate", abstract: "Mark an issue as a duplicate of another, possibly held by another node.")
    @OptionGroup var data: DataOptions
    @Argument(help: "Issue id (or its first 6+ digits).") var issue: String
    @Option(help: ArgumentHelp("Id of the issue it duplicates.", valueName: "ISSUE")) var of: String
    @Option(help: ArgumentHelp("Node id of a node holding that issue.", valueName: "NODE")) var node: String?
    @OptionGroup var output: JSONOption

    func run() throws {
        guard let other = EventID(of.lowercased()) else { throw ValidationError("--of must be a full issue id") }
        var body = JSONObject(["of": .string(other.hex)])
        if let node { body["node"] = .string(try parseNodeID(node, option: "--node").hex) }
        try author(.duplicate, issue: issue, body: body, data: data, json: output.json)
    }
}

struct RedactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redact",
        abstract: "Remove an event's body (personal data, abuse), keeping its verifiable skeleton.",
        discussion: "Allowed for the event's author and the issue's origin. Give a reason without personal data.")
    @OptionGroup var data: DataOptions
    @Argument(help: "Event id (or its first 6+ digits).") var event: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let node = try data.openNode()
        let target = try resolveEvent(event, in: node)
        guard let stored = try Output.run({ () throws(StoreError) in try node.store.event(target) }) else {
            throw Output.fail("no event \(target.hex)")
        }
        let body = JSONObject(["target": .string(target.hex), "reason": .string(reason)])
        try author(.redact, issue: stored.issue, body: body, data: data, json: output.json)
    }
}

import CIXStore
