import CIXCore
import CIXFederation
import CIXNode
import CIXServer
import CIXStore
import CIXTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A node on disk whose router answers in-process, through HummingbirdTesting:
/// no listener and no TLS, for tests where the transport is not the point.
struct InProcessNode {
    let folder: TemporaryDirectory
    let node: LocalNode

    static func make(_ label: String, kind: NodeKind = .council) throws -> InProcessNode {
        let folder = TemporaryDirectory(label)
        let node = try LocalNode.create(
            in: NodeDirectory(path: folder.file("node").path),
            name: "Greenfield Council",
            kind: kind,
            url: "https://localhost",
            listen: nil,
            web: WebConfig(tiles: ""),
            now: .now()
        )
        return InProcessNode(folder: folder, node: node)
    }

    /// Runs `body` with a client of this node's router.
    func test<Value: Sendable>(
        configure: (inout ServerSettings) -> Void = { _ in },
        _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        var settings = try ServerSettings(node: node, listen: "127.0.0.1:0")
        settings.pageCacheSeconds = 0
        configure(&settings)
        let app = Application(router: try NodeRouter.build(node: node, settings: settings, metrics: NodeMetrics()))
        return try await app.test(.router) { client in try await body(client) }
    }

    /// Makes `pusher` a peer of this node, so that its signed pushes are taken.
    func addPeer(_ pusher: TestNode) throws {
        try node.store.savePeer(
            Peer(
                node: pusher.id,
                url: "https://127.0.0.1:1",
                name: "Pusher",
                kind: "police",
                key: pusher.key.publicKey.hex,
                caPEM: nil,
                addedAt: .now()
            )
        )
    }

    /// Headers and body of a push of `lines` (one event each), signed by `pusher`.
    static func signedPush(_ lines: [[UInt8]], as pusher: TestNode) -> (HTTPFields, ByteBuffer) {
        let body: [UInt8] = lines.flatMap { $0 + [UInt8(0x0A)] }
        var headers = HTTPFields([HTTPField(name: .contentType, value: "application/x-ndjson")])
        let signer = RequestSigner(node: pusher.id, key: pusher.key)
        for (name, value) in signer.headers(
            method: "POST",
            path: "/federation/v1/events",
            query: "",
            body: body,
            now: Timestamp.now().secondsSinceEpoch
        ) {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        return (headers, ByteBuffer(bytes: body))
    }

    func remove() { folder.remove() }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
