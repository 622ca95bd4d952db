import ArgumentParser
import CIXCore
import CIXNode
import CIXStore
import Foundation

/// The data directory option every command takes.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The node's data directory.", valueName: "DIR"))
    var data: String = "./cix-data"

    var directory: NodeDirectory { NodeDirectory(path: data) }

    func openNode() throws -> LocalNode {
        try Output.run { () throws(NodeError) in try LocalNode.open(directory) }
    }
}

/// `--json` for commands that print data.
struct JSONOption: ParsableArguments {
    @Flag(name: .long, help: "Print machine-readable JSON instead of text.")
    var json = false
}

/// Resolves a full or abbreviated (6+ hex digits) issue id.
func resolveIssue(_ text: String, in node: LocalNode) throws -> EventID {
    if let id = EventID(text) { return id }
    if let id = try Output.run({ () throws(StoreError) in try node.store.resolveIssue(text.lowercased()) }) {
        return id
    }
    throw Output.fail("no single issue has an id starting with \"\(text)\"")
}

/// Resolves a full or abbreviated event id.
func resolveEvent(_ text: String, in node: LocalNode) throws -> EventID {
    if let id = EventID(text) { return id }
    if let id = try Output.run({ () throws(StoreError) in try node.store.resolveEvent(text.lowercased()) }) {
        return id
    }
    throw Output.fail("no single event has an id starting with \"\(text)\"")
}

/// Parses a node id given on the command line.
func parseNodeID(_ text: String, option: String) throws -> NodeID {
    guard let id = NodeID(text.lowercased()) else {
        throw ValidationError("\(option) must be a node id: 64 hexadecimal digits")
    }
    return id
}
