import CIXNode
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL

/// A small HTTPS server on 127.0.0.1 that answers fixed paths, standing in
/// for the photo hosts and Open311 clients a node fetches from: FixMyStreet's
/// `/photo/…` address, one that redirects, one that serves a page, and so on.
package struct PhotoHost: Sendable {
    package struct Reply: Sendable {
        package var status: Int
        package var headers: [(String, String)]
        package var body: [UInt8]

        package init(status: Int = 200, headers: [(String, String)] = [], body: [UInt8]) {
            self.status = status
            self.headers = headers
            self.body = body
        }
    }

    package let port: Int
    /// The certificate to trust (self-signed, for 127.0.0.1).
    package let caPEM: String
    let task: Task<Void, any Error>
    let hits: Hits

    /// How often each path was asked for.
    final class Hits: @unchecked Sendable {
        // Invariant: `counts` is only touched while `lock` is held.
        private let lock = NSLock()
        private var counts: [String: Int] = [:]
        func add(_ path: String) { lock.withLock { counts[path, default: 0] += 1 } }
        func count(_ path: String) -> Int { lock.withLock { counts[path] ?? 0 } }
    }

    package var base: String { "https://127.0.0.1:\(port)" }

    package func requests(for path: String) -> Int { hits.count(path) }

    /// Serves `replies` by path (without the query); anything else is 404.
    package static func start(_ replies: [String: Reply]) async throws -> PhotoHost {
        let hits = Hits()
        let router = Router()
        router.get("**") { request, _ -> Response in
            hits.add(request.uri.path)
            guard let reply = replies[request.uri.path] else { return Response(status: .notFound) }
            var headers = HTTPFields()
            for (name, value) in reply.headers {
                if let field = HTTPField.Name(name) { headers[field] = value }
            }
            return Response(
                status: .init(code: reply.status),
                headers: headers,
                body: .init(byteBuffer: ByteBuffer(bytes: reply.body))
            )
        }
        let (port, task, certificate) = try await LoopbackServer.startTLS(router, name: "photo host")
        return PhotoHost(port: port, caPEM: certificate, task: task, hits: hits)
    }

    package func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// A Hummingbird server for tests on 127.0.0.1 at a free port, its own
/// shutdown kept out of the log (it races the test's cancellation).
package enum LoopbackServer {
    package static func start(
        _ router: Router<BasicRequestContext>,
        server: HTTPServerBuilder = .http1(),
        name: String
    ) async throws -> (port: Int, task: Task<Void, any Error>) {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: name)
        logger.logLevel = .critical
        let app = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        let task = Task { try await app.runService() }
        guard let port = await ports.first(where: { _ in true }) else {
            task.cancel()
            throw TestFailure("the \(name) did not start")
        }
        return (port, task)
    }

    /// `start` over TLS with a self-signed certificate for 127.0.0.1, returned as PEM for the client to trust.
    package static func startTLS(
        _ router: Router<BasicRequestContext>,
        name: String
    ) async throws -> (port: Int, task: Task<Void, any Error>, certificatePEM: String) {
        let (certificate, key) = try SelfSignedCertificate.make(commonName: name, host: nil, now: Date())
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(certificate.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(key.utf8), format: .pem))
        )
        let (port, task) = try await start(router, server: try .tls(.http1(), tlsConfiguration: tls), name: name)
        return (port, task, certificate)
    }
}
