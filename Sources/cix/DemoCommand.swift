import ArgumentParser
import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXNode
import CIXStore
import Foundation
import UnixSignals

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a whole local federation for the fictional district of Greenfield: council, police and a public mirror.",
        discussion: """
            Each node is its own `cix serve` process with its own data directory and certificate under \
            --data (default ./cix-demo), on 127.0.0.1 ports --base-port, +1 and +2. The council takes a few \
            hundred realistic reports; the police answer some; everything reaches the mirror over HTTPS. \
            Runs until Ctrl-C (or SIGTERM), then stops the three daemons. Run it again to continue where it left off.
            """)

    @Option(help: ArgumentHelp("Where the three nodes live.", valueName: "DIR")) var data: String = "./cix-demo"
    @Option(help: "How many reports the council takes.") var reports: Int = 300
    @Option(name: .customLong("base-port"), help: "The council's port; the police and mirror use the next two.")
    var basePort: Int = 8443
    @Flag(name: .customLong("no-wait"), help: "Stop the daemons as soon as the demo is seeded (for scripts).")
    var noWait = false

    func validate() throws {
        guard (1...100_000).contains(reports) else { throw ValidationError("--reports must be 1 to 100000") }
        guard (1024...65_533).contains(basePort) else { throw ValidationError("--base-port must be 1024 to 65533") }
    }

    struct Member {
        let folder: String
        let name: String
        let kind: NodeKind
        let port: Int
        var url: String { "https://127.0.0.1:\(port)" }
    }

    func run() async throws {
        let root = URL(fileURLWithPath: data).standardizedFileURL
        let members = [
            Member(folder: "council", name: "Greenfield District Council", kind: .council, port: basePort),
            Member(folder: "police", name: "Greenfield Neighbourhood Police", kind: .police, port: basePort + 1),
            Member(folder: "mirror", name: "Greenfield Gazette public mirror", kind: .mirror, port: basePort + 2),
        ]
        var nodes: [LocalNode] = []
        for member in members {
            let directory = NodeDirectory(path: root.appendingPathComponent(member.folder).path)
            nodes.append(try Output.run { () throws(NodeError) in
                directory.exists
                    ? try LocalNode.open(directory)
                    : try LocalNode.create(in: directory, name: member.name, kind: member.kind, url: member.url,
                        listen: "127.0.0.1:\(member.port)", now: .now())
            })
        }
        let (council, police, mirror) = (nodes[0], nodes[1], nodes[2])
        Output.printError("Starting three daemons…")
        var processes: [Process] = []
        for member in members {
            processes.append(try DemoProcesses.serve(folder: root.appendingPathComponent(member.folder), log: root.appendingPathComponent("\(member.folder).log")))
        }
        do {
            for (member, node) in zip(members, nodes) {
                try await DemoProcesses.waitUntilHealthy(url: member.url, caPEM: node.caPEM, processes: processes)
            }
            // Peer them: council ⇄ police, mirror ← both.
            for (from, to) in [(1, 0), (0, 1), (2, 0), (2, 1)] {
                let sync = PeerSync(store: nodes[from].store, signer: RequestSigner(node: nodes[from].id, key: nodes[from].key))
                _ = try await sync.addPeer(url: members[to].url, caPEM: nodes[to].caPEM, now: .now())
            }
            try await seed(council: council, police: police)
            // Give the daemons a moment to push, then pull once so the mirror is complete before we print.
            try await Task.sleep(for: .seconds(2))
            for peer in try mirror.store.peers() {
                _ = try await PeerSync(store: mirror.store, signer: RequestSigner(node: mirror.id, key: mirror.key)).pull(from: peer, now: { .now() })
            }
            let counts = try mirror.store.counts()
            print("""

                Greenfield's federation is running:
                  council  \(members[0].url)   data \(root.path)/council
                  police   \(members[1].url)   data \(root.path)/police
                  mirror   \(members[2].url)   data \(root.path)/mirror  (\(counts.issues) issues, \(counts.events) verified events)

                Look at it:
                  swift run cix issue list --data \(root.path)/mirror --status in_progress
                  swift run cix issue show --data \(root.path)/mirror ISSUE_ID
                  swift run cix peer list --data \(root.path)/mirror
                  swift run cix verify --data \(root.path)/mirror
                  curl --cacert \(root.path)/council/tls/cert.pem \(members[0].url)/metrics
                Report something on the council and watch it reach the mirror:
                  swift run cix report --data \(root.path)/council --category pothole --lat 52.2 --lon 0.12 --title "New pothole"
                Logs: \(root.path)/*.log
                """)
            if !noWait {
                print("Press Ctrl-C to stop the three daemons.")
                for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { break }
            }
        } catch {
            DemoProcesses.stop(processes)
            throw Output.fail("\(error)")
        }
        DemoProcesses.stop(processes)
        Output.printError("Stopped. The nodes' data stays in \(root.path); remove it to start again.")
    }

    /// The council takes the reports (its daemon pushes them on); the police answer about a third.
    func seed(council: LocalNode, police: LocalNode) async throws {
        let before = try council.store.counts().issues
        guard before < reports else { return }
        let bar = ProgressBar(label: "reporting", total: Int64(reports - before))
        try Output.run { () throws(NodeError) in
            try DemoTown(seed: UInt64(before + 1)).populate(council, reports: reports - before, routeTo: [council.id, police.id]) { done in
                bar.update(done: Int64(done), detail: "\(done) reports")
            }
        }
        bar.finish()
        // Let the council's daemon deliver, then answer from the police.
        let sync = PeerSync(store: police.store, signer: RequestSigner(node: police.id, key: police.key))
        for peer in try police.store.peers() { _ = try await sync.pull(from: peer, now: { .now() }) }
        try Output.run { () throws(NodeError) in try DemoTown(seed: 7).answer(as: police, share: 3) }
    }
}

/// Starting, watching and stopping the demo's daemons.
enum DemoProcesses {
    static func serve(folder: URL, log: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath()
        if !(FileManager.default.isExecutableFile(atPath: process.executableURL?.path ?? "")),
            let path = Bundle.main.executablePath
        {
            process.executableURL = URL(fileURLWithPath: path)
        }
        process.arguments = ["serve", "--data", folder.path, "--pull-interval", "10"]
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        return process
    }

    static func waitUntilHealthy(url: String, caPEM: String, processes: [Process]) async throws {
        for _ in 0..<100 {
            if processes.contains(where: { !$0.isRunning }) {
                throw NodeError(.io, "a daemon stopped while starting; see the .log files (is the port already in use?)")
            }
            let healthy = try? await PeerClient.with(caPEM: caPEM, signer: nil) { client in try await client.health(at: url) }
            if healthy == true { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw NodeError(.io, "\(url) did not become healthy within 20 seconds")
    }

    static func stop(_ processes: [Process]) {
        for process in processes where process.isRunning { process.terminate() }
        for process in processes { process.waitUntilExit() }
    }
}

extension LocalNode {
    /// The node's TLS certificate, which peers pin.
    var caPEM: String { (try? String(contentsOf: directory.certificate, encoding: .utf8)) ?? "" }
}
