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
    /// Connections idle longer than this are closed.
    package var idleTimeoutSeconds: Int64 = 60
    /// Federation requests a minute allowed from each peer (in bursts of a fifth of it).
    package var requestsPerMinute = 3_000
    /// Federation requests a minute allowed from each address that is not a peer's
    /// (unsigned, or signed by a node that is not a peer).
    package var strangerRequestsPerMinute = 600
    /// Federation requests a minute allowed from all non-peers together.
    package var strangersPerMinute = 6_000
    /// Posts of the public forms allowed a minute from each client address.
    package var formsPerMinute = 10
    /// Seconds a public page or read may be served again without rendering (0: never).
    package var pageCacheSeconds: Double = 1
    /// Seconds between pulls from each peer.
    package var pullInterval: Double = 30

    package init(host: String, port: Int, certificatePath: String, keyPath: String) {
        self.host = host
        self.port = port
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }

    /// Settings from the node's config; `listen` (HOST:PORT) overrides the configured address.
    package init(node: LocalNode, listen: String?) throws(NodeError) {
        let address = listen ?? node.config.server.listen
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (0...65_535).contains(port)
        else { throw NodeError(.badConfig, "listen address must be HOST:PORT, not \(address)") }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : node.directory.root.appendingPathComponent(path).path
        }
        self.init(
            host: host,
            port: port,
            certificatePath: resolve(node.config.server.tls_certificate),
            keyPath: resolve(node.config.server.tls_key)
        )
    }
}
