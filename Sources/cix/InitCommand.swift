import ArgumentParser
import CIXCore
import CIXNode

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new node: signing key, commented config, self-signed TLS certificate, empty store.",
        discussion: "Prints the new node's id. Refuses to touch a directory that already holds a node."
    )

    @OptionGroup var data: DataOptions
    @Option(help: "The body's name, as people will see it.") var name: String
    @Option(
        help: ArgumentHelp(
            "The kind of body: \(NodeKind.allCases.map(\.rawValue).joined(separator: "|")).",
            valueName: "KIND"
        )
    )
    var kind: String
    @Option(help: ArgumentHelp("The base URL other nodes reach this node at.", valueName: "https://HOST:PORT"))
    var url: String
    @Option(help: ArgumentHelp("Address to listen on (default 127.0.0.1 and the URL's port).", valueName: "HOST:PORT"))
    var listen: String?
    @Flag(
        name: .customLong("allow-private-addresses"),
        help:
            "Let this node peer with nodes at loopback or private addresses (a private network, or a test on one machine)."
    )
    var allowPrivateAddresses = false
    @Option(
        help: ArgumentHelp(
            "Keep the node's store in PostgreSQL, in a database of its own: postgresql://USER@HOST[:PORT]/DATABASE[?sslmode=require|disable].",
            valueName: "URL"
        )
    )
    var store: String?
    @Option(
        name: .customLong("store-password-file"),
        help: ArgumentHelp(
            "The PostgreSQL password, alone in a file (relative to the data directory, or absolute).",
            valueName: "PATH"
        )
    )
    var storePasswordFile: String?
    @OptionGroup var output: JSONOption

    func validate() throws {
        guard NodeKind(rawValue: kind) != nil else {
            throw ValidationError("--kind must be one of \(NodeKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard storePasswordFile == nil || store != nil else {
            throw ValidationError("--store-password-file goes with --store")
        }
    }

    func run() throws {
        let kind = NodeKind(rawValue: kind) ?? .other
        let node = try Output.run { () throws(NodeError) in
            try LocalNode.create(
                in: data.directory,
                name: name,
                kind: kind,
                url: url,
                listen: listen,
                allowPrivateAddresses: allowPrivateAddresses,
                store: store.map { NodeConfig.Store(url: $0, password_file: storePasswordFile) },
                now: .now()
            )
        }
        if output.json {
            Output.printJSON(.object(.init(["node": .string(node.id.hex), "key": .string(node.key.publicKey.hex)])))
        } else {
            print(node.id.hex)
            Output.printError("Created \(kind.rawValue) node \"\(name)\" in \(data.directory.root.path)")
        }
    }
}
