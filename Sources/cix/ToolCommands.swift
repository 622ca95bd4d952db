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
