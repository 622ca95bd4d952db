import ArgumentParser
import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXNode
import Foundation

struct PeerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer",
        abstract: "Manage the nodes this node exchanges events with.",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch a node's signed descriptor over HTTPS, show who it is, and pin it as a peer.",
            discussion: """
                A self-signed peer is trusted only through --ca (its certificate, or the CA that signed it); \
                verification is never switched off.
                """
        )
        @OptionGroup var data: DataOptions
        @Argument(help: ArgumentHelp("The peer's base URL.", valueName: "https://HOST:PORT")) var url: String
        @Option(help: ArgumentHelp("PEM certificate or CA to trust for this peer.", valueName: "FILE")) var ca: String?
        @OptionGroup var output: JSONOption

        func run() async throws {
            let node = try data.openNode()
            var caPEM: String?
            if let ca {
                guard let text = try? String(contentsOfFile: ca, encoding: .utf8) else {
                    throw Output.fail("cannot read \(ca)")
                }
                caPEM = text
            }
            let sync = PeerSync(node: node)
            let (peer, info) = try await Output.runAsync { () async throws(AnyError) in
                do { return try await sync.addPeer(url: url, caPEM: caPEM, now: .now()) } catch {
                    throw AnyError(error)
                }
            }
            let fingerprint = KeysCommand.Show.fingerprint(info.descriptor.signer)
            let routed = try Output.run { () throws(NodeError) in try node.routeUnrouted(now: .now()) }
            if routed > 0 { Output.printError("\(routed) waiting issues routed now that \(peer.name) is known.") }
            if output.json {
                Output.printJSON(
                    .object(
                        JSONObject([
                            "node": .string(peer.node.hex), "name": .string(peer.name), "kind": .string(peer.kind),
                            "url": .string(peer.url), "key": .string(peer.key), "fingerprint": .string(fingerprint),
                        ])
                    )
                )
            } else {
                print("peer added: \(peer.name) (\(peer.kind))")
                print("  node         \(peer.node.hex)")
                print("  url          \(peer.url)")
                print("  fingerprint  \(fingerprint)")
                Output.printError("Check the fingerprint with the peer's operator (they see it with `cix keys`).")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List peers with last contact, cursor and last error."
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var output: JSONOption

        func run() throws {
            let node = try data.openNode()
            let peers = try Output.run { () throws(NodeError) in try node.peers() }
            if output.json {
                Output.printJSON(
                    .array(
                        peers.map { peer in
                            var object = JSONObject([
                                "node": .string(peer.node.hex), "name": .string(peer.name), "kind": .string(peer.kind),
                                "url": .string(peer.url), "cursor": .number(Double(peer.cursor)),
                            ])
                            object["last_contact"] = peer.lastContact.map { .string($0.description) } ?? .null
                            object["last_error"] = peer.lastError.map { .string($0) } ?? .null
                            return .object(object)
                        }
                    )
                )
                return
            }
            if peers.isEmpty { Output.printError("No peers. Add one with `cix peer add URL --ca FILE`.") }
            for peer in peers {
                print("\(peer.node.short)  \(pad(peer.name, 30)) \(pad(peer.kind, 10)) \(peer.url)")
                print(
                    "              last contact \(peer.lastContact?.description ?? "never"), cursor \(peer.cursor)\(peer.lastError.map { ", last error: \($0)" } ?? "")"
                )
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop exchanging events with a peer.")
        @OptionGroup var data: DataOptions
        @Argument(help: ArgumentHelp("The peer's node id.", valueName: "NODE")) var node: String

        func run() throws {
            let local = try data.openNode()
            let id = try resolveNode(node, option: "NODE", in: local)
            let removed = try Output.run { () throws(NodeError) in try local.removePeer(id) }
            guard removed else { throw Output.fail("\(id.hex) is not a peer") }
            print("removed \(id.hex)")
        }
    }
}

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Pull new events from every peer (or one) once, verifying each before it is stored.",
        discussion: """
            With --repair, each peer's events are also compared with this node's by set reconciliation \
            (whatever the pull cursors say): the events either side lacks are found, fetched and pushed. \
            A mirror compares with each body the body's own events; other nodes compare every event. \
            Use it after restoring from a backup, or when a mirror seems to miss reports.
            Exit status 1 if any peer could not be reached or sent events that were rejected.
            """
    )
    @OptionGroup var data: DataOptions
    @Option(help: ArgumentHelp("Only the peer at this URL.", valueName: "URL")) var from: String?
    @Flag(help: "Also compare every event with each peer's and move the difference both ways.") var repair = false
    @Option(
        help: ArgumentHelp(
            "Peers pulled from at once, 1 to 64: a fresh mirror catching up from many bodies (default 4).",
            valueName: "N"
        )
    )
    var concurrency = 4

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 64") }
    }

    func run() async throws {
        let node = try data.openNode()
        var peers = try Output.run { () throws(NodeError) in try node.peers() }
        if let from { peers = peers.filter { $0.url == from } }
        guard !peers.isEmpty else {
            throw Output.fail(from.map { "\($0) is not a peer; add it with `cix peer add`" } ?? "no peers")
        }
        // One peer at a time shows a live progress bar; several at once, a numbered line for each as it ends.
        let live = min(concurrency, peers.count) == 1
        var failed = false
        var done = 0
        await PeerSync(node: node).exchange(
            with: peers,
            concurrency: concurrency,
            repair: repair,
            progress: { label, detail in
                guard live else { return }
                let bar = ProgressBar(label: label, total: 0)
                if let detail { bar.update(done: 0, detail: detail) } else { bar.finish() }
            },
            finished: { exchange in
                done += 1
                let (lines, errors, sound) = describe(exchange)
                for line in lines { print(live ? line : "[\(done)/\(peers.count)] \(line)") }
                for error in errors { Output.printError(error) }
                if !sound { failed = true }
            }
        )
        if failed { throw ExitCode.failure }
    }

    /// What one peer's exchange printed (lines, then errors), and whether it was sound.
    func describe(_ exchange: PeerSync.Exchange) -> (lines: [String], errors: [String], sound: Bool) {
        var lines: [String] = []
        var errors: [String] = []
        var sound = exchange.failure == nil
        if let report = exchange.pulled {
            lines.append("\(exchange.peer): \(report.summary)")
            if let finding = report.auditFinding { errors.append("WARNING: \(finding)") }
            lines += report.rejected.prefix(20).map { "  rejected \($0.id): \($0.reason)" }
            if !report.rejected.isEmpty { sound = false }
        }
        if let report = exchange.repaired {
            let (repairLines, repairSound) = describe(report, of: exchange.peer)
            lines += repairLines
            if !repairSound { sound = false }
        }
        if let failure = exchange.failure { errors.append("error: \(exchange.peer): \(failure)") }
        return (lines, errors, sound)
    }

    /// Says what a repair moved; false if anything was refused either way.
    func describe(_ report: PeerSync.RepairReport, of name: String) -> (lines: [String], sound: Bool) {
        var lines = ["\(name) repair: \(report.summary)"]
        lines += report.fetched.rejected.prefix(20).map { "  rejected \($0.id): \($0.reason)" }
        lines += report.pushRejected.prefix(20).map { "  the peer rejected \($0)" }
        if let failure = report.pushFailure { lines.append("  could not push to \(name): \(failure)") }
        return (lines, report.fetched.rejected.isEmpty && report.pushRejected.isEmpty && report.pushFailure == nil)
    }
}

/// Wraps any error so it can pass through a typed-throws closure.
struct AnyError: Error, CustomStringConvertible {
    let error: any Error
    init(_ error: any Error) { self.error = error }
    var description: String { "\(error)" }
}
