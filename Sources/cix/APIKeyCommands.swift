import ArgumentParser
import CIXCanonicalJSON
import CIXCore
import CIXNode

struct APIKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey",
        abstract: "Manage the API keys Open311 clients (such as FixMyStreet) post with.",
        subcommands: [Add.self, List.self, Revoke.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new key; it is printed once and only its hash is kept."
        )
        @OptionGroup var data: DataOptions
        @Option(help: "Who the key is for, e.g. \"FixMyStreet\".") var name: String
        @OptionGroup var output: JSONOption

        func run() throws {
            let node = try data.openNode()
            let (key, id) = try Output.run { () throws(NodeError) in try node.addAPIKey(name: name, now: .now()) }
            if output.json {
                Output.printJSON(
                    .object(JSONObject(["id": .number(Double(id)), "name": .string(name), "key": .string(key)]))
                )
            } else {
                print(key)
                Output.printError("API key \(id) for \(name). It will not be shown again: give it to the client now.")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never the keys themselves).")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: JSONOption

        func run() throws {
            let node = try data.openNode()
            let keys = try Output.run { () throws(NodeError) in try node.apiKeys() }
            if output.json {
                Output.printJSON(
                    .array(
                        keys.map { key in
                            var object = JSONObject([
                                "id": .number(Double(key.id)), "name": .string(key.name),
                                "created_at": .string(key.createdAt.description),
                            ])
                            object["revoked_at"] = key.revokedAt.map { .string($0.description) } ?? .null
                            return .object(object)
                        }
                    )
                )
                return
            }
            if keys.isEmpty { Output.printError("No API keys. Make one with `cix apikey add --name NAME`.") }
            for key in keys {
                print(
                    "\(key.id)  \(pad(key.name, 30)) created \(key.createdAt)\(key.revokedAt.map { "  REVOKED \($0)" } ?? "")"
                )
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Revoke a key by its id (or by the name of the one live key that has it); posts with it get 403 from then on."
        )
        @OptionGroup var data: DataOptions
        @Argument(help: "The key's id, as `cix apikey list` shows it, or its name.") var key: String

        func run() throws {
            let node = try data.openNode()
            let keys = try Output.run { () throws(NodeError) in try node.apiKeys() }
            let live = keys.filter { $0.revokedAt == nil }
            guard let target = live.first(where: { String($0.id) == key }) ?? live.first(where: { $0.name == key })
            else {
                throw Output.fail("no live key has the id or name \(key) (see `cix apikey list`)")
            }
            guard try Output.run({ () throws(NodeError) in try node.revokeAPIKey(id: target.id, now: .now()) }) else {
                throw Output.fail("key \(target.id) is no longer live")
            }
            print("revoked key \(target.id) (\(target.name))")
        }
    }
}
