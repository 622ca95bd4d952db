import CIXApp
import CIXCore
import CIXDemo
import CIXFederation
import CIXNode
import CIXServer
import Foundation
import Logging

/// A real node serving HTTPS on 127.0.0.1 (a free port), in this process, with its own SQLite file.
package struct LiveNode: Sendable {
    package let node: LocalNode
    package let port: Int
    let task: Task<Void, any Error>

    package var url: String { "https://127.0.0.1:\(port)" }
    package var id: NodeID { node.id }
    package var caPEM: String { node.certificatePEM }

    /// Maps draw on a plain background: tests make no requests beyond loopback. `toml` is added to cix.toml.
    /// With `port`, the node listens there and its configured URL names it (for redirects back to it).
    package static func start(
        _ name: String,
        kind: NodeKind,
        in folder: TemporaryDirectory,
        toml: String? = nil,
        port: Int? = nil,
        store: NodeConfig.Store? = nil,
        configure: (inout ServerSettings) -> Void = { _ in }
    ) async throws -> LiveNode {
        var chosen = store
        if chosen == nil, SharedPostgres.isChosen { chosen = try await SharedPostgres.shared.newStore() }
        var node = try LocalNode.create(
            in: NodeDirectory(path: folder.file(name).path),
            name: name,
            kind: kind,
            url: "https://127.0.0.1:\(port ?? 1)",
            listen: "127.0.0.1:\(port ?? 0)",
            web: WebConfig(tiles: ""),
            allowPrivateAddresses: true,
            store: chosen,
            now: .now()
        )
        if let toml {
            // More config, as an operator would add it to cix.toml before starting.
            let handle = try FileHandle(forWritingTo: node.directory.config)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(("\n" + toml + "\n").utf8))
            try handle.close()
            node = try LocalNode.open(node.directory)
        }
        return try await serve(node, listen: "127.0.0.1:\(port ?? 0)", configure: configure)
    }

    package static func serve(
        _ node: LocalNode,
        listen: String = "127.0.0.1:0",
        configure: (inout ServerSettings) -> Void = { _ in }
    ) async throws -> LiveNode {
        var settings = try ServerSettings(node: node, listen: listen)
        configure(&settings)
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = try NodeApplication.build(node: node, settings: settings, logger: logger, runsServices: false) {
            port in
            continuation.yield(port)
            continuation.finish()
        }
        // The stream ends if the server stops, so a server that fails to start ends the wait too.
        let task = Task {
            defer { continuation.finish() }
            try await app.run()
        }
        // Wait for the port, but give up if the server fails or 60 seconds pass: on two cores the
        // suite's parallel tests can hold the threads the start needs for tens of seconds.
        let port = try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask { await ports.first { _ in true } }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let port else {
            task.cancel()
            throw TestFailure("server did not start")
        }
        return LiveNode(node: node, port: port, task: task)
    }

    package func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

extension LiveNode {
    /// Adds each of `others` as a peer, as `cix peer add` does.
    package func peer(with others: [LiveNode]) async throws {
        let sync = PeerSync(node: node)
        for other in others { _ = try await sync.addPeer(url: other.url, caPEM: other.caPEM, now: .now()) }
    }

    /// Pushes everything pending to each peer.
    package func pushToPeers() async throws {
        let pusher = PeerPush(node: node)
        for peer in try node.store.peers() { _ = try await pusher.push(to: peer, now: { .now() }) }
    }

    /// Pulls everything new from each peer.
    package func pullFromPeers() async throws {
        let sync = PeerSync(node: node)
        for peer in try node.store.peers() { _ = try await sync.pull(from: peer, now: { .now() }) }
    }
}

package struct TestFailure: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

extension LiveNode {
    /// A council node serving the Greenfield council's categories and area, and
    /// an Open311 key for it: what every Open311 test posts to.
    package static func greenfieldCouncil(
        in folder: TemporaryDirectory,
        configure: (inout ServerSettings) -> Void = { _ in }
    ) async throws -> (council: LiveNode, apiKey: String) {
        let council = try await start("council", kind: .council, in: folder, configure: configure)
        guard let greenfield = Greenfield.body("council") else { throw TestFailure("no Greenfield council") }
        try council.node.publishDescriptor(
            now: .now(),
            categories: greenfield.categories,
            area: .some(greenfield.area.geoJSON)
        )
        return (council, try council.node.addAPIKey(name: "FixMyStreet", now: .now()).key)
    }
}
