import ArgumentParser
import CIXApp
import CIXCore
import CIXNode
import CIXServer
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the node's daemon: HTTPS (TLS 1.2+) for peers, pushes of new events and periodic pulls.",
        discussion: """
            Serves /healthz, the signed node document at /.well-known/cix/node, and /federation/v1/events \
            (pull, fetch, signed push). Stops gracefully on SIGTERM or SIGINT. Logs go to standard error; \
            set LOG_LEVEL=debug for more.
            """
    )

    @OptionGroup var data: DataOptions
    @Option(help: ArgumentHelp("Listen on this address instead of the config's.", valueName: "HOST:PORT"))
    var listen: String?
    @Option(name: .customLong("pull-interval"), help: "Seconds between pulls from each peer.")
    var pullInterval: Double = 30
    @Option(
        name: .customLong("page-cache"),
        help: "Seconds a public page or read may be sent again without rendering it afresh (0 turns the cache off)."
    )
    var pageCache: Double = 1

    func run() async throws {
        let lock = try Output.run { () throws(NodeError) in try DaemonLock.acquire(data.directory) }
        let node = try Output.run { () throws(NodeError) in
            try LocalNode.open(data.directory, backgroundCheckpoints: true)
        }
        var settings = try Output.run { () throws(NodeError) in try ServerSettings(node: node, listen: listen) }
        settings.pullInterval = pullInterval
        settings.pageCacheSeconds = max(0, pageCache)
        var logger = Logger(label: "cix")
        logger.logLevel =
            ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        logger[metadataKey: "node"] = "\(node.id.short)"
        // The store refuses to open unless commits are synced; say so, for operators checking durability.
        logger.info(
            "store opened",
            metadata: [
                "path": "\(node.backend.path)", "synchronous": "\((try? node.backend.synchronousMode()) ?? "?")",
                "public_store": "\(node.config.store?.url ?? node.backend.path)",
            ]
        )
        if node.readsReplica {
            logger.notice("the public store is a read-only replica: serving reads only, no pulls, no writes")
        }
        let host = settings.host
        let app = try NodeApplication.build(node: node, settings: settings, logger: logger) { [logger] port in
            logger.info("serving", metadata: ["address": "https://\(host):\(port)"])
        }
        do {
            try await app.runService()
        } catch is CancellationError {
            // Shut down by a signal: a clean exit.
        }
        withExtendedLifetime(lock) { logger.info("stopped") }
    }
}
