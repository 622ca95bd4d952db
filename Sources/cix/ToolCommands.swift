import ArgumentParser
import CIXCanonicalJSON
import CIXCore
import CIXNode
import Foundation

struct CanonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "canon",
        abstract: "Read JSON on standard input and print its RFC 8785 canonical form.",
        discussion:
            "Invalid input (including duplicate names, lone surrogates, unsafe numbers) exits 1 with the reason."
    )

    func run() throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        let parser = JSONParser(limits: .init(maxDepth: 128, maxBytes: 64 << 20))
        let canonical = try Output.run { () throws(CanonicalJSONError) in try parser.canonicalize(Array(input)) }
        FileHandle.standardOutput.write(Data(canonical + [0x0A]))
    }
}

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Show the node's identity and keys.",
        subcommands: [Show.self],
        defaultSubcommand: Show.self
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the node id, public key and its fingerprint.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: JSONOption

        func run() throws {
            let node = try data.openNode()
            let key = node.key.publicKey.hex
            let fingerprint = Self.fingerprint(node.key.publicKey)
            if output.json {
                Output.printJSON(
                    .object(
                        JSONObject([
                            "node": .string(node.id.hex), "key": .string(key), "fingerprint": .string(fingerprint),
                        ])
                    )
                )
            } else {
                print("node         \(node.id.hex)")
                print("name         \(node.config.node.name) (\(node.config.node.kind))")
                print("public key   \(key)")
                print("fingerprint  \(fingerprint)")
            }
        }

        /// The first 16 bytes of the key's SHA-256, grouped for reading aloud.
        static func fingerprint(_ key: PublicKey) -> String {
            let hash = SHA256Hex.hash(key.bytes).prefix(32)
            return stride(from: 0, to: 32, by: 4).map { offset in
                let start = hash.index(hash.startIndex, offsetBy: offset)
                return String(hash[start..<hash.index(start, offsetBy: 4)])
            }.joined(separator: " ")
        }
    }
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Write the protocol's JSON Schemas (Protocol/schemas is made with this)."
    )
    @Option(help: ArgumentHelp("Folder to write into.", valueName: "DIR")) var out: String

    func run() throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (name, text) in ProtocolSchemas.files() {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out).appendingPathComponent(name))
        }
        Output.printError("Wrote \(ProtocolSchemas.files().count) schemas to \(out)")
    }
}
