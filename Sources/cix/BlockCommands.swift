import ArgumentParser
import CIXCanonicalJSON
import CIXCore
import CIXNode

struct BlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block",
        abstract: "Shut a misbehaving node out, or list the nodes this node blocks.",
        discussion: """
            A blocked node's events are refused however they arrive (pushed, pulled, relayed by other \
            peers, imported); those already held are kept but no longer shown, counted or passed on; it \
            stops being a peer. Blocks and their reasons are public, on the directory page (/nodes).
            """,
        subcommands: [Add.self, List.self],
        defaultSubcommand: Add.self
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Block a node (`cix block NODE --reason TEXT`)."
        )
        @OptionGroup var data: DataOptions
        @Argument(help: ArgumentHelp("The node's id (or its first 6 or more digits).", valueName: "NODE"))
        var node: String
        @Option(help: ArgumentHelp("Why, in one line: published on the directory page.", valueName: "TEXT"))
        var reason: String

        func run() throws {
            let local = try data.openNode()
            let id = try resolveNode(node, option: "NODE", in: local)
            let wasPeer = try Output.run { () throws(NodeError) in try local.block(id, reason: reason, now: .now()) }
            print("blocked \(id.hex)")
            if wasPeer { Output.printError("It was a peer: this node no longer pushes to or pulls from it.") }
            Output.printError(
                "Tell your peers why: each decides for itself whether to block it too (`cix block \(id.hex) --reason …`)."
            )
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the nodes this node blocks, since when and why."
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var output: JSONOption

        func run() throws {
            let local = try data.openNode()
            let blocks = try Output.run { () throws(NodeError) in try local.blockedNodes() }
            if output.json {
                Output.printJSON(
                    .array(
                        blocks.map {
                            .object(
                                JSONObject([
                                    "node": .string($0.node.hex), "reason": .string($0.reason),
                                    "since": .string($0.since.description),
                                ])
                            )
                        }
                    )
                )
                return
            }
            if blocks.isEmpty { Output.printError("This node blocks no node.") }
            for block in blocks { print("\(block.node.hex)  since \(block.since)  \(block.reason)") }
        }
    }
}

struct UnblockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unblock",
        abstract: "End a block: the node's events take part again, and every peer is pulled from the start.",
        discussion: "It does not become a peer again; add it with `cix peer add` if it should be."
    )
    @OptionGroup var data: DataOptions
    @Argument(help: ArgumentHelp("The node's id (or its first 6 or more digits).", valueName: "NODE")) var node: String

    func run() throws {
        let local = try data.openNode()
        let id = try resolveNode(node, option: "NODE", in: local)
        let ended = try Output.run { () throws(NodeError) in try local.unblock(id) }
        guard ended else { throw Output.fail("\(id.hex) is not blocked") }
        print("unblocked \(id.hex)")
    }
}
