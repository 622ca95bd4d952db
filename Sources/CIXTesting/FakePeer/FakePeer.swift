import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXNode
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL

/// A scripted peer, in the manner of Complement: a real HTTPS listener on
/// 127.0.0.1 with a node identity of its own, which answers only the requests
/// a test declared with `expect`, and records every other one. `verify()`
/// throws when anything unexpected arrived or an expectation was not met, so
/// a test that ends with it fails on any request it did not plan for.
package final class FakePeer: Sendable {
    package let key: SigningKey
    package let id: NodeID
    package let name: String
    package let kind: NodeKind
    package let caPEM: String
    package let url: String
    let script: FakePeerScript
    let task: Task<Void, any Error>

    private init(
        key: SigningKey,
        name: String,
        kind: NodeKind,
        caPEM: String,
        url: String,
        script: FakePeerScript,
        task: Task<Void, any Error>
    ) {
        self.key = key
        self.id = NodeID(genesisKey: key.publicKey)
        self.name = name
        self.kind = kind
        self.caPEM = caPEM
        self.url = url
        self.script = script
        self.task = task
    }

    /// Starts listening; gives up after 20 seconds if the listener does not come up.
    package static func start(
        name: String = "Fake Police",
        kind: NodeKind = .police,
        key: SigningKey = SigningKey()
    )
        async throws -> FakePeer
    {
        let (certificate, privateKey) = try SelfSignedCertificate.make(commonName: name, host: "127.0.0.1", now: Date())
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(certificate.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(privateKey.utf8), format: .pem))
        )
        tls.minimumTLSVersion = .tlsv12
        let script = FakePeerScript()
        var logger = Logger(label: "fake-peer")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: FakePeerResponder(script: script),
            server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "fake-peer"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        let task = Task {
            defer { continuation.finish() }
            try await app.run()
        }
        let port = try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask { await ports.first { _ in true } }
            group.addTask {
                try await Task.sleep(for: .seconds(20))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let port, port > 0 else {
            task.cancel()
            throw FakePeerError(problems: ["the fake peer's listener did not start"])
        }
        return FakePeer(
            key: key,
            name: name,
            kind: kind,
            caPEM: certificate,
            url: "https://127.0.0.1:\(port)",
            script: script,
            task: task
        )
    }

    /// Declares a request the peer will answer, `times` times at most (and at least its lower bound, checked by
    /// `verify`). A path ending in `*` matches every path that starts with what comes before it.
    package func expect(
        _ method: String,
        _ path: String,
        times: ClosedRange<Int> = 1...1,
        _ answer: @escaping @Sendable (FakeRequest) async -> FakeResponse
    ) async {
        await script.add(FakePeerScript.Expectation(method: method, path: path, times: times, answer: answer))
    }

    /// Answers `GET /.well-known/cix/node` with this peer's signed descriptor (any number of times).
    package func servesNodeDocument(
        categories: [String] = [],
        area: JSONObject? = nil,
        sealKey: String? = nil
    ) async throws {
        let descriptor = try NodeDescriptor.make(
            node: id,
            name: name,
            kind: kind,
            url: url,
            version: 1,
            at: .now(),
            categories: categories,
            area: area,
            sealKey: sealKey,
            signer: key
        )
        let body = try JSONValue.object(NodeInfo(descriptor: descriptor, statements: []).json).canonicalBytes()
        await expect("GET", NodeInfo.path, times: 0...Int.max) { _ in .json(body) }
    }

    /// Every request that arrived, in order.
    package var received: [FakeRequest] {
        get async { await script.received }
    }

    /// Throws if a request arrived that no expectation covered, or an expectation got fewer requests than it needs.
    package func verify() async throws {
        let problems = await script.problems()
        if !problems.isEmpty { throw FakePeerError(problems: problems) }
    }

    package func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// What `FakePeer.verify` found wrong.
package struct FakePeerError: Error, CustomStringConvertible {
    package let problems: [String]
    package var description: String { "fake peer: " + problems.joined(separator: "; ") }
}
