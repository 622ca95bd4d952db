import CIXCanonicalJSON
import CIXFederation
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A fake peer over HTTPS on 127.0.0.1 that answers set reconciliation as a
/// node that predates `sum` fingerprints does: a request naming a scheme is
/// refused with 400 `bad_request`, any other is answered by `sha256` over a
/// fixed set of ids. Every other request is a test failure (500), and each
/// reconciliation body is kept for the test to read.
package struct OlderReconcilingPeer: Sendable {
    package let port: Int
    /// The certificate to trust (self-signed, for 127.0.0.1).
    package let caPEM: String
    let task: Task<Void, any Error>
    let bodies: Bodies

    /// Request bodies in the order they came.
    final class Bodies: @unchecked Sendable {
        // Invariant: `list` is only touched while `lock` is held.
        private let lock = NSLock()
        private var list: [[UInt8]] = []
        func add(_ body: [UInt8]) { lock.withLock { list.append(body) } }
        var all: [[UInt8]] { lock.withLock { list } }
    }

    package var base: String { "https://127.0.0.1:\(port)" }

    /// The reconciliation requests it was sent, as JSON objects.
    package var requests: [JSONObject] {
        bodies.all.compactMap { try? JSONParser().parse($0).objectValue }
    }

    /// Serves reconciliation over `ids` (ascending).
    package static func start(holding ids: [String]) async throws -> OlderReconcilingPeer {
        let bodies = Bodies()
        let router = Router()
        router.post("/federation/v1/reconcile") { request, _ -> Response in
            let body = Array(buffer: try await request.body.collect(upTo: Reconciliation.maxRequestBytes))
            bodies.add(body)
            func reply(_ status: HTTPResponse.Status, _ text: [UInt8]) -> Response {
                Response(
                    status: status,
                    headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(bytes: text))
                )
            }
            guard let object = try? JSONParser().parse(body).objectValue, object.names == ["ranges"],
                let asked = try? Reconciliation.parseRequest(body)
            else {
                return reply(
                    .badRequest,
                    Array(
                        #"{"error":"bad_request","message":"the body must be JSON: {\"ranges\": [...]} and nothing else"}"#
                            .utf8
                    )
                )
            }
            return reply(
                .ok,
                try Reconciliation.response(Reconciliation.answer(asked.ranges, holding: ids)).canonicalBytes()
            )
        }
        router.on("**", method: .get) { _, _ in Response(status: .internalServerError) }
        router.on("**", method: .post) { _, _ in Response(status: .internalServerError) }
        let (port, task, certificate) = try await LoopbackServer.startTLS(router, name: "older peer")
        return OlderReconcilingPeer(port: port, caPEM: certificate, task: task, bodies: bodies)
    }

    package func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
