import ArgumentParser
import CIXCore
import CIXNode
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Make a demo node for the fictional district of Greenfield, full of realistic reports.",
        discussion: """
            Creates a district council node in --data (default ./cix-demo) if none is there, adds \
            realistic reports with confirmations, comments, proposed solutions, offers of help and \
            statuses, verifies the store, and prints what to try next.
            """)

    @Option(help: ArgumentHelp("The demo node's data directory.", valueName: "DIR")) var data: String = "./cix-demo"
    @Option(help: "How many reports to add.") var reports: Int = 300

    func validate() throws {
        guard (1...100_000).contains(reports) else { throw ValidationError("--reports must be 1 to 100000") }
    }

    func run() throws {
        let directory = NodeDirectory(path: data)
        let node = try Output.run { () throws(NodeError) in
            directory.exists
                ? try LocalNode.open(directory)
                : try LocalNode.create(
                    in: directory, name: "Greenfield District Council", kind: .council, url: "https://127.0.0.1:8443",
                    listen: nil, now: .now())
        }
        let bar = ProgressBar(label: "reporting", total: Int64(reports))
        try Output.run { () throws(NodeError) in
            try DemoTown().populate(node, reports: reports) { done in bar.update(done: Int64(done), detail: "\(done) reports") }
        }
        bar.finish()
        let counts = try Output.run { () throws(StoreError) in try node.store.counts() }
        let path = directory.root.path
        print("""
            Greenfield District Council (node \(node.id.short)…) now holds \(counts.issues) issues and \(counts.events) signed events in \(path).

            Try:
              swift run cix issue list --data \(path) --status in_progress
              swift run cix issue list --data \(path) --search "street light"
              swift run cix issue show --data \(path) ISSUE_ID
              swift run cix verify --data \(path)
              swift run cix export --data \(path) --out greenfield.ndjson
            Remove \(path) to start again.
            """)
    }
}

import CIXStore
