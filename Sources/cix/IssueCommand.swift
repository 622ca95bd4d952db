import ArgumentParser
import CIXCanonicalJSON
import CIXCore
import CIXNode

struct IssueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "List and show issues.",
        subcommands: [List.self, Show.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List issues, most recently updated first.")
        @OptionGroup var data: DataOptions
        @Option(help: "Overall status: \(OverallStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
        var status: String?
        @Option(help: "Category code.") var category: String?
        @Option(help: "Words to search for in titles, descriptions and comments.") var search: String?
        @Flag(help: "Only reports this node took that no known body serves yet.") var unrouted = false
        @Option(help: "Most issues to list.") var limit: Int = 50
        @OptionGroup var output: JSONOption

        func validate() throws {
            if let status, OverallStatus(rawValue: status) == nil {
                throw ValidationError(
                    "--status must be one of \(OverallStatus.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1 to 10000") }
        }

        func run() throws {
            let node = try data.openNode()
            let issues = try Output.run { () throws(NodeError) in
                try node.issues(
                    status: status.flatMap(OverallStatus.init(rawValue:)),
                    category: category,
                    search: search,
                    unrouted: unrouted,
                    limit: limit
                )
            }
            if output.json {
                Output.printJSON(.array(issues.map { .object($0.json) }))
                return
            }
            if issues.isEmpty {
                Output.printError("No issues match.")
                return
            }
            for issue in issues {
                let counts = "\(issue.confirmations) confirmed"
                print(
                    "\(issue.id.prefix(12))  \(pad(issue.status, 12))  \(pad(issue.category ?? "-", 18))  \(issue.title ?? "[redacted]")  (\(counts))"
                )
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an issue: the report, each agency's status, and the timeline with verified signatures."
        )
        @OptionGroup var data: DataOptions
        @Argument(help: "Issue id (or its first 6+ digits).") var issue: String
        @OptionGroup var output: JSONOption

        func run() throws {
            let node = try data.openNode()
            let id = try resolveIssue(issue, in: node)
            let view = try Output.run { () throws(NodeError) in try IssueView.load(id, from: node) }
            if output.json {
                Output.printJSON(.object(view.json))
            } else {
                print(view.text)
            }
        }
    }
}
