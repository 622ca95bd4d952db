import CIXCore
import CIXNode
import CIXServer
import CIXTesting
import Foundation
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

    func remove() { folder.remove() }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
