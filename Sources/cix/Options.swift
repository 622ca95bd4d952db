import ArgumentParser
import CIXCore
import CIXNode
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
    try Output.run { () throws(NodeError) in try node.resolveIssue(text) }
}

/// Resolves a full node id, or the first 6+ hex digits of a node this node knows (a peer or a descriptor held).
func resolveNode(_ text: String, option: String, in node: LocalNode) throws -> NodeID {
    if let id = NodeID(text.lowercased()) { return id }
    guard text.count >= 6, text.allSatisfy(\.isHexDigit) else {
        throw Output.misuse(
            "\(option) must be a node id: 64 hexadecimal digits, or the first 6 or more of a known node's"
        )
    }
    let matches = try Output.run { () throws(NodeError) in try node.knownNodes(startingWith: text.lowercased()) }
    guard matches.count == 1 else {
        throw Output.misuse(
            matches.isEmpty
                ? "\(option): no known node has an id starting with \(text) (see `cix peer list`)"
                : "\(option): \(matches.count) known nodes have ids starting with \(text); give more digits"
        )
    }
    return matches[0]
}
