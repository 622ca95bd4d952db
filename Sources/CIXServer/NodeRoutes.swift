import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXNode
import Hummingbird

/// What monitors and other nodes read about this node: `/healthz`, `/metrics`
/// and the signed node document at `/.well-known/cix/node`.
package struct NodeRoutes: Sendable {
    let node: LocalNode
    let metrics: NodeMetrics
    /// The listener's connections, for the connection gauges.
    let connections: ConnectionGuard

    package init(node: LocalNode, metrics: NodeMetrics, connections: ConnectionGuard) {
        self.node = node
        self.metrics = metrics
        self.connections = connections
    }

    package func register(on router: some RouterMethods<NodeRequestContext>) {
        router.get("/healthz") { _, _ in try health() }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.render(node: node, connections: connections)))
            )
        }
        router.get(RouterPath(NodeInfo.path)) { _, _ in try nodeDocument() }
        router.get("/.well-known/cix/audit") { request, _ in try auditHash(request) }
    }

    /// The chain hash of the staff audit trail after `entries` entries: peers check that
    /// a head this node published is still a prefix of its trail. Hashes only, no entries.
    func auditHash(_ request: Request) throws -> Response {
        guard let text = request.uri.queryParameters["entries"], let entries = Int64(text), entries >= 0 else {
            throw RequestFailure(.badRequest, "bad_request", "entries must be a whole number, 0 or more")
        }
        guard let hash = try node.staffRecords.auditHash(entries: entries) else {
            throw RequestFailure(
                .notFound,
                "unknown_entry",
                "this node's audit trail has fewer than \(entries) entries"
            )
        }
        return Responses.json(.object(JSONObject(["entries": .number(Double(entries)), "hash": .string(hash)])))
    }

    /// Answers once the store answers a read (an indexed one: monitors call this often),
    /// and 503 "degraded" while writes fail for want of storage (a full disk, a
    /// failing sync), until events or a report are stored again.
    func health() throws -> Response {
        _ = try node.store.lastSequence()
        if let failure = node.store.writeHealth.failure {
            return Response(
                status: .serviceUnavailable,
                headers: [.contentType: "text/plain", .retryAfter: "30"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string: "degraded: writes have failed since \(failure.since): \(failure.message)\n"
                    )
                )
            )
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain"],
            body: .init(byteBuffer: ByteBuffer(string: "ok\n"))
        )
    }

    func nodeDocument() throws -> Response {
        guard let descriptor = try node.ownDescriptor() else {
            throw RequestFailure.internal(cause: NodeError(.notInitialised, "this node has no descriptor"))
        }
        let statements = KeyRings.applied(try node.store.keyStatements().filter { $0.node == node.id })
        return Responses.json(.object(NodeInfo(descriptor: descriptor, statements: statements).json))
    }
}
