import CIXFederation
import CIXNode
import Foundation

/// How the daemon listens and what it accepts, from the node's config.
package struct ServerSettings: Sendable {
    package var host: String
    package var port: Int
    package var certificatePath: String
    package var keyPath: String
    /// Largest request body, in bytes.
    package var maxBodyBytes = 4 << 20
    /// Most events in one pushed batch.
    package var maxBatch = 1_000
    /// Connection counts and deadlines (`[server]` in cix.toml).
    package var connections = ConnectionLimits()
    /// A second, plain-HTTP listener answering only /healthz and /metrics, for
    /// monitors on a private address: it answers however busy the public one is.
    package var healthListen: (host: String, port: Int)?
    /// Federation requests a minute allowed from each peer (in bursts of a fifth of it).
    package var requestsPerMinute = 3_000
    /// Federation requests a minute allowed from each address that is not a peer's
    /// (unsigned, or signed by a node that is not a peer).
    package var strangerRequestsPerMinute = 600
    /// Federation requests a minute allowed from all non-peers together.
    package var strangersPerMinute = 6_000
    /// Posts of the public forms allowed a minute from each client address.
    package var formsPerMinute = 10
    /// Staff sign-in attempts allowed a minute from each client address (an office may share one);
    /// each account also waits after repeated failures (`StaffDesk`).
    package var signInsPerMinute = 30
    /// Seconds a public page or read may be served again without rendering (0: never).
    package var pageCacheSeconds: Double = 1
    /// Seconds one store query may run for a request other than federation's (`StoreReadBudget`);
    /// nil: no bound but the store's own. From `[store] request_query_seconds` on PostgreSQL.
    package var requestQuerySeconds: Int?
    /// Seconds between pulls from each peer.
    package var pullInterval: Double = 30
    /// How Open311 `media_url` photos are fetched; nil: they are not.
    package var mediaFetcher: MediaFetcher?
    /// Residents' mail (`[mail]`); nil: no mail is offered or sent.
    package var mail: MailSettings?
    /// How often the outbox is looked at.
    package var mailInterval: Duration = .seconds(5)
    /// The missing parents of waiting events being asked for, shared by the pushes that bring such
    /// events (each starts a round at once) and the pull loop (a round every pull interval).
    package var parentChase = ParentChase()

    package init(host: String, port: Int, certificatePath: String, keyPath: String) {
        self.host = host
        self.port = port
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }

    /// Settings from the node's config; `listen` (HOST:PORT) overrides the configured address.
    package init(node: LocalNode, listen: String?) throws(NodeError) {
        let (host, port) = try NodeConfig.address(listen ?? node.config.server.listen, key: "the listen address")
        func resolve(_ path: String) -> String { node.directory.file(path).path }
        self.init(
            host: host,
            port: port,
            certificatePath: resolve(node.config.server.tls_certificate),
            keyPath: resolve(node.config.server.tls_key)
        )
        let server = node.config.server
        func positive(_ value: Int?, _ key: String) throws(NodeError) -> Int? {
            guard let value else { return nil }
            guard value > 0 else { throw NodeError(.badConfig, "[server] \(key) must be a positive whole number") }
            return value
        }
        if let value = try positive(server.max_connections, "max_connections") { connections.maxConnections = value }
        if let value = try positive(server.max_connections_per_address, "max_connections_per_address") {
            connections.maxPerAddress = value
        }
        if let value = try positive(server.head_timeout, "head_timeout") { connections.headSeconds = Int64(value) }
        if let value = try positive(server.keep_alive, "keep_alive") { connections.keepAliveSeconds = Int64(value) }
        if let value = try positive(server.min_body_rate, "min_body_rate") { connections.minBodyBytesPerSecond = value }
        if let value = try positive(server.body_timeout, "body_timeout") { connections.bodySeconds = Int64(value) }
        mail = try MailSettings.of(node)
        if let store = node.config.store {
            let seconds = store.request_query_seconds ?? 15
            requestQuerySeconds = seconds > 0 ? seconds : nil
        }
        if let health = server.health_listen {
            healthListen = try NodeConfig.address(health, key: "health_listen")
        }
        let open311 = node.config.open311
        if open311?.fetch_media ?? true {
            var caPEM: String?
            if let file = open311?.media_ca_file {
                do {
                    caPEM = try String(contentsOfFile: resolve(file), encoding: .utf8)
                } catch {
                    throw NodeError(.badConfig, "[open311] media_ca_file \(resolve(file)) cannot be read")
                }
            }
            mediaFetcher = MediaFetcher(
                addresses: node.config.allowsPrivateAddresses ? .anyAddress : .publicOnly,
                caPEM: caPEM
            )
        }
    }
}
