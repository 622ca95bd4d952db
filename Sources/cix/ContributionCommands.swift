import ArgumentParser
import CIXCore

struct CommentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "comment", abstract: "Comment on an issue.")
    @OptionGroup var data: DataOptions
    @Argument(help: "Issue id (or its first 6+ digits).") var issue: String
    @Option(help: "The comment.") var text: String
    @OptionGroup var output: JSONOption

    func run() throws {
        try author(.comment(TextBody(text: text)), issue: issue, data: data, json: output.json)
    }
}

struct ConfirmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm",
        abstract: "Confirm an issue: \"I see this too\"."
    )
    @OptionGroup var data: DataOptions
    @Argument(help: "Issue id (or its first 6+ digits).") var issue: String
    @Option(help: "An optional note.") var text: String?
    @OptionGroup var output: JSONOption

    func run() throws {
        try author(.confirm(ConfirmBody(note: text)), issue: issue, data: data, json: output.json)
    }
}

struct SolutionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solution",
        abstract: "Propose a solution to an issue."
    )
    @OptionGroup var data: DataOptions
    @Argument(help: "Issue id (or its first 6+ digits).") var issue: String
    @Option(help: "The proposed fix.") var text: String
    @OptionGroup var output: JSONOption

    func run() throws {
        try author(.solution(TextBody(text: text)), issue: issue, data: data, json: output.json)
    }
}

struct OfferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "offer", abstract: "Offer help with an issue.")
    @OptionGroup var data: DataOptions
    @Argument(help: "Issue id (or its first 6+ digits).") var issue: String
    @Option(help: "What help is offered.") var text: String
    @Option(help: "When it is offered.") var when: String?
    @Option(help: "Who offers it.") var by: String?
    @OptionGroup var output: JSONOption

    func run() throws {
        try author(.offer(OfferBody(what: text, when: when, by: by)), issue: issue, data: data, json: output.json)
    }
}
