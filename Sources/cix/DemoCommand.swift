import ArgumentParser
import CIXCanonicalJSON
import CIXCore
import CIXDemo
import CIXFederation
import CIXNode
import CIXRouting
import Foundation
import UnixSignals

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a whole local federation for the fictional district of Greenfield, with a public mirror.",
        discussion: """
            Six nodes, each its own `cix serve` process with its own data directory and certificate under \
            --data (default ./cix-demo), on 127.0.0.1 ports --base-port to --base-port+5: the district council, \
            the county highways authority, the police, the bus operator, a volunteer group (each serving its \
            area and categories of the Greenfield fixture place) and a public mirror. The council takes a few \
            hundred realistic reports, routed by area and category; the agencies answer some; everything \
            reaches the mirror over HTTPS. Runs until Ctrl-C (or SIGTERM), then stops the daemons. Run it again \
            to continue where it left off.
            """
    )

    @Option(help: ArgumentHelp("Where the six nodes live, one folder each.", valueName: "DIR")) var data: String =
        "./cix-demo"
    @Option(help: "How many reports the council takes.") var reports: Int = 300
    @Option(name: .customLong("base-port"), help: "The council's port; the other five nodes use the next five.")
    var basePort: Int = 8443
    @Flag(name: .customLong("no-wait"), help: "Stop the daemons as soon as the demo is seeded (for scripts).")
    var noWait = false

    func validate() throws {
        guard (1...100_000).contains(reports) else { throw ValidationError("--reports must be 1 to 100000") }
        guard (1024...65_530).contains(basePort) else { throw ValidationError("--base-port must be 1024 to 65530") }
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
        var members = Greenfield.bodies.enumerated().map { index, body in
            Member(folder: body.key, name: body.name, kind: body.kind, port: basePort + index)
        }
        members.append(
            Member(
                folder: "mirror",
                name: "Greenfield Gazette public mirror",
                kind: .mirror,
                port: basePort + members.count
            )
        )
        var nodes: [LocalNode] = []
        for member in members {
            let directory = NodeDirectory(path: root.appendingPathComponent(member.folder).path)
            nodes.append(
                try Output.run { () throws(NodeError) in
                    directory.exists
                        ? try LocalNode.open(directory)
                        : try LocalNode.create(
                            in: directory,
                            name: member.name,
                            kind: member.kind,
                            url: member.url,
                            listen: "127.0.0.1:\(member.port)",
                            allowPrivateAddresses: true,
                            now: .now()
                        )
                }
            )
        }
        for (body, node) in zip(Greenfield.bodies, nodes) {
            try Output.run { () throws(NodeError) in
                try node.publishDescriptor(now: .now(), categories: body.categories, area: .some(body.area.geoJSON))
            }
        }
        let council = nodes[0]
        let mirror = nodes[nodes.count - 1]
        let agencies = Array(nodes.dropLast())
        Output.printError("Starting \(members.count) daemons…")
        var processes: [Process] = []
        for member in members {
            processes.append(
                try DemoProcesses.serve(
                    folder: root.appendingPathComponent(member.folder),
                    log: root.appendingPathComponent("\(member.folder).log")
                )
            )
        }
        do {
            for (member, node) in zip(members, nodes) {
                try await DemoProcesses.waitUntilHealthy(
                    url: member.url,
                    caPEM: node.certificatePEM,
                    processes: processes
                )
            }
            // Peer every agency with every other; the mirror with every agency.
            for from in nodes.indices {
                let sync = PeerSync(node: nodes[from])
                for to in agencies.indices where to != from {
                    _ = try await sync.addPeer(url: members[to].url, caPEM: nodes[to].certificatePEM, now: .now())
                }
            }
            try await seed(council: council, agencies: Array(agencies.dropFirst()))
            // Give the daemons a moment to push, then pull once so the mirror is complete before we print.
            try await Task.sleep(for: .seconds(2))
            for peer in try mirror.peers() {
                _ = try await PeerSync(node: mirror).pull(from: peer, now: { .now() })
            }
            let counts = try mirror.counts()
            let cix = DemoProcesses.commandName()
            let lines = members.map { "  \(pad($0.folder, 11)) \($0.url)   \($0.name)" }.joined(separator: "\n")
            print(
                """

                Greenfield's federation is running (data in \(root.path)/NAME):
                \(lines)
                The mirror holds \(counts.issues) issues and \(counts.events) verified events.

                Look at it:
                  \(cix) issue list --data \(root.path)/mirror --status in_progress
                  \(cix) issue show --data \(root.path)/mirror ISSUE_ID
                  \(cix) peer list --data \(root.path)/mirror
                  \(cix) route explain --data \(root.path)/council --category antisocial_behaviour --lat 52.205 --lon 0.125
                  \(cix) verify --data \(root.path)/mirror
                  curl --cacert \(root.path)/council/tls/cert.pem \(members[0].url)/metrics
                Report something on the council and watch it reach the mirror:
                  \(cix) report --data \(root.path)/council --category pothole --lat 52.2 --lon 0.12 --title "New pothole"
                  or in a browser: \(members[0].url)/report
                Logs: \(root.path)/*.log

                Open the public mirror in a browser (its certificate is self-signed: accept it once):
                  \(mirror.config.node.url)/
                """
            )
            if !noWait { print("Press Ctrl-C to stop the daemons.") }
            // Standard output is a pipe when a script reads it: send the banner now, not at exit.
            fflush(nil)
            if !noWait {
                for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { break }
            }
        } catch {
            DemoProcesses.stop(processes)
            throw Output.fail("\(error)")
        }
        DemoProcesses.stop(processes)
        Output.printError("Stopped. The nodes' data stays in \(root.path); remove it to start again.")
    }

    /// The council takes the reports, routed by area and category (its daemon pushes them on); each
    /// other agency then pulls and answers about a third of what reached it.
    func seed(council: LocalNode, agencies: [LocalNode]) async throws {
        let before = try council.counts().issues
        guard before < reports else { return }
        let bar = ProgressBar(label: "reporting", total: Int64(reports - before))
        try Output.run { () throws(NodeError) in
            try DemoTown(seed: UInt64(before + 1)).populate(council, reports: reports - before) { done in
                bar.update(done: Int64(done), detail: "\(done) reports")
            }
        }
        bar.finish()
        for (index, agency) in agencies.enumerated() {
            let sync = PeerSync(node: agency)
            for peer in try agency.peers() { _ = try await sync.pull(from: peer, now: { .now() }) }
            try Output.run { () throws(NodeError) in try DemoTown(seed: UInt64(7 + index)).answer(as: agency, share: 3)
            }
        }
    }
}

/// Starting, watching and stopping the demo's daemons.
enum DemoProcesses {
    /// How to run this same `cix` again: plain `cix` when that is what the PATH finds, else its path.
    static func commandName() -> String {
        let running = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath().path
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("cix").resolvingSymlinksInPath()
                .path
            if candidate == running { return "cix" }
        }
        let here = FileManager.default.currentDirectoryPath + "/"
        return running.hasPrefix(here) ? String(running.dropFirst(here.count)) : running
    }

    static func serve(folder: URL, log: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
            .resolvingSymlinksInPath()
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
                throw NodeError(
                    .io,
                    "a daemon stopped while starting; see the .log files (is the port already in use?)"
                )
            }
            let healthy = try? await PeerClient.with(caPEM: caPEM, signer: nil) { client in
                try await client.health(at: url)
            }
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
