import ArgumentParser
import CIXCanonicalJSON
import CIXNode
import Foundation

/// `cix store`: where the node's store is, and moving it.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Move the node's store between SQLite and PostgreSQL, or scrub it.",
        subcommands: [Migrate.self, Scrub.self]
    )

    struct Scrub: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Clear redacted and erased records from the store's files on disk.",
            discussion: """
                A redaction or an erasure rewrites or deletes rows at once, but their old bytes can stay \
                on disk: in freed pages, the search index and the write-ahead log. `cix serve` clears \
                them within a second of each redaction; this does it now. On SQLite it merges the search \
                index and empties the WAL (freed pages are zeroed as they are freed). On PostgreSQL it \
                rewrites every table of the store (VACUUM FULL: each table is locked while it is \
                rewritten, so pages and ingest wait; on a large store run it when traffic is low, and \
                set [store] scrub_after_redactions = false so that daemons leave it to this command), \
                then switches the WAL segment and checkpoints so that the server removes the old \
                segments. It says what the operator must change when that cannot be done (the role's \
                grants, wal_recycle). Exits 1 then, 0 when every place was cleared.
                """
        )
        @OptionGroup var data: DataOptions

        func run() throws {
            let node = try data.openNode()
            let started = ContinuousClock.now
            Output.printError("scrubbing the store (on PostgreSQL every table is rewritten, each locked while it is)…")
            try Output.run { () throws(NodeError) in try node.scrubStore() }
            let took = (ContinuousClock.now - started).components
            print(String(format: "scrubbed in %.1f s", Double(took.seconds) + Double(took.attoseconds) / 1e18))
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the node's store to PostgreSQL (or back to SQLite) and verify the copy.",
            discussion: """
                Copies every event (keeping its sequence number, first-seen time and source), key statement, \
                known node, peer with its cursors, block and photo into an empty target, with every private \
                record (residents' details, API keys and the Open311 log, staff accounts, sessions, cases and \
                the audit trail, held reports, residents' mail, bridges, the gazetteer), folds every issue \
                there, verifies the copy as `cix verify` does, and checks that it holds the same events, \
                states, nodes, peers and private rows as the original. The original is not changed: once the \
                copy is verified, put (or remove) [store] in cix.toml as the command says and start \
                `cix serve`. Stop the daemon first: the command refuses while it runs. Events still waiting \
                for their parents are not copied; peers send them again.
                """
        )
        @OptionGroup var data: DataOptions
        @Option(
            help: ArgumentHelp(
                "postgresql://USER@HOST[:PORT]/DATABASE[?sslmode=require|disable], or sqlite (back into store.sqlite).",
                valueName: "URL|sqlite"
            )
        )
        var to: String
        @Option(
            name: .customLong("password-file"),
            help: ArgumentHelp(
                "The PostgreSQL password, alone in a file (relative to the data directory, or absolute).",
                valueName: "PATH"
            )
        )
        var passwordFile: String?
        @OptionGroup var output: JSONOption

        func validate() throws {
            guard to == "sqlite" || to.hasPrefix("postgresql://") || to.hasPrefix("postgres://") else {
                throw ValidationError("--to must be postgresql://USER@HOST/DATABASE or sqlite")
            }
            guard passwordFile == nil || to != "sqlite" else {
                throw ValidationError("--password-file goes with a PostgreSQL --to")
            }
        }

        func run() async throws {
            let target: StoreMigration.Target =
                to == "sqlite" ? .sqlite : .postgres(NodeConfig.Store(url: to, password_file: passwordFile))
            let quiet = output.json
            let result = try await Output.runAsync { () async throws(NodeError) in
                try await StoreMigration.migrate(data.directory, to: target) { step in
                    if !quiet { Output.printError(step) }
                }
            }
            if output.json {
                var object = VerifyCommand.json(result.report).objectValue ?? JSONObject()
                object["sound"] = .bool(result.isSound)
                object["differences"] = .array(result.differences.map(JSONValue.string))
                object["copied"] = .object(
                    JSONObject([
                        "events": .number(Double(result.events)),
                        "key_statements": .number(Double(result.keyStatements)),
                        "descriptors": .number(Double(result.descriptors)), "peers": .number(Double(result.peers)),
                        "blocks": .number(Double(result.blocks)), "photos": .number(Double(result.photos)),
                        "private_rows": .number(Double(result.privateRows)),
                    ])
                )
                object["waiting_not_copied"] = .number(Double(result.waiting))
                Output.printJSON(.object(object))
            } else {
                print(
                    "copied \(result.events) events, \(result.keyStatements) key statements, \(result.descriptors) "
                        + "node descriptors, \(result.peers) peers, \(result.blocks) blocks, \(result.photos) photos, "
                        + "\(result.privateRows) private records (residents' details, staff, cases, mail, bridges, places)"
                )
                if result.waiting > 0 {
                    print("\(result.waiting) events waiting for their parents were not copied: peers send them again")
                }
                VerifyCommand.print(result.report, data: data.data)
                for difference in result.differences { print("DIFFERS: \(difference)") }
                if result.isSound {
                    switch target {
                    case .postgres(let setting):
                        print("the copy is verified. To serve from it, put in cix.toml and start `cix serve`:")
                        print("[store]\nurl = \"\(setting.url)\"")
                        if let file = setting.password_file { print("password_file = \"\(file)\"") }
                    case .sqlite:
                        print(
                            "the copy is verified. To serve from it, remove [store] from cix.toml and start `cix serve`."
                        )
                    }
                }
            }
            if !result.isSound { throw ExitCode.failure }
        }
    }
}
