import AsyncHTTPClient
import CIXCanonicalJSON
import CIXCore
import CIXNode
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// HTTPS requests to another node.
///
/// TLS 1.2 or later only; a self-signed peer is trusted only through the
/// certificate or CA given for it (never by turning verification off);
/// redirects are not followed; connect and read time out; response bodies are
/// bounded. The client lives only inside `with`, which always shuts it down.
package struct PeerClient: Sendable {
    let client: HTTPClient
    package var signer: RequestSigner?
    /// How long the peer may take over each exchange.
    package var deadlines = PeerDeadlines()

    /// Largest response body read, in bytes.
    package static let maxResponseBytes = 64 << 20

    /// A long-lived client (the daemon keeps one per peer to reuse connections); call `close()` when done.
    package static func open(caPEM: String?, signer: RequestSigner?) throws -> PeerClient {
        PeerClient(
            client: HTTPClient(eventLoopGroupProvider: .singleton, configuration: try configuration(caPEM: caPEM)),
            signer: signer
        )
    }

    package func close() async {
        try? await client.shutdown()
    }

    package static func configuration(caPEM: String?) throws -> HTTPClient.Configuration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.cipherSuites = TLSSuites.tls12
        if let caPEM {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))
            } catch {
                throw FederationError(.badRequest, "the CA file is not PEM certificates: \(error)")
            }
        }
        return configuration(tls: tls)
    }

    static func configuration(tls: TLSConfiguration) -> HTTPClient.Configuration {
        HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: .seconds(30))
        )
    }

    /// Runs `body` with a client trusting `caPEM` (or the system roots), then shuts it down.
    package static func with<T: Sendable>(
        caPEM: String?,
        signer: RequestSigner?,
        _ body: (PeerClient) async throws -> T
    ) async throws -> T {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: try configuration(caPEM: caPEM))
        return try await scoped(client, signer: signer, body)
    }

    /// Runs `body` with a client using exactly this TLS configuration.
    static func withTLS<T: Sendable>(
        _ tls: TLSConfiguration,
        signer: RequestSigner? = nil,
        _ body: (PeerClient) async throws -> T
    ) async throws -> T {
        try await scoped(
            HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration(tls: tls)),
            signer: signer,
            body
        )
    }

    static func scoped<T: Sendable>(
        _ client: HTTPClient,
        signer: RequestSigner?,
        _ body: (PeerClient) async throws -> T
    )
        async throws -> T
    {
        do {
            let result = try await body(PeerClient(client: client, signer: signer))
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Sends a request with exactly the given headers.
    func raw(
        _ method: HTTPMethod,
        base: String,
        path: String,
        headers: [(String, String)],
        body: [UInt8]
    )
        async throws -> (status: Int, body: [UInt8])
    {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !body.isEmpty { request.body = .bytes(ByteBuffer(bytes: body)) }
        return try await exchange(request, with: base)
    }

    /// Sends a request (signed when a signer is set) and returns the status and body.
    func send(
        _ method: HTTPMethod,
        base: String,
        path: String,
        query: String = "",
        body: [UInt8] = [],
        contentType: String = "application/x-ndjson"
    )
        async throws -> (status: Int, body: [UInt8])
    {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        var request = HTTPClientRequest(url: trimmed + path + (query.isEmpty ? "" : "?" + query))
        request.method = method
        if let signer {
            let now = Int64(Date().timeIntervalSince1970)
            for (name, value) in signer.headers(method: method.rawValue, path: path, query: query, body: body, now: now)
            {
                request.headers.add(name: name, value: value)
            }
        }
        if !body.isEmpty {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        return try await exchange(request, with: trimmed)
    }

    /// One exchange within the deadlines: the answer must begin within
    /// `firstByte`, end within `total`, and keep `minBytesPerSecond` after `grace`.
    func exchange(_ request: HTTPClientRequest, with base: String) async throws -> (status: Int, body: [UInt8]) {
        let clock = ContinuousClock()
        let started = clock.now
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .init(deadlines.firstByte))
        } catch {
            throw FederationError(.unreachable, "cannot reach \(base): \(error)")
        }
        let progress = ProgressCounter()
        let deadlines = self.deadlines
        let body = try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask {
                var bytes: [UInt8] = []
                do {
                    for try await chunk in response.body {
                        bytes.append(contentsOf: chunk.readableBytesView)
                        progress.add(chunk.readableBytes)
                        guard bytes.count <= Self.maxResponseBytes else {
                            throw FederationError(
                                .badResponse,
                                "\(base) sent a body over \(Self.maxResponseBytes) bytes"
                            )
                        }
                    }
                } catch let error as FederationError {
                    throw error
                } catch {
                    throw FederationError(.badResponse, "\(base) broke off its answer: \(error)")
                }
                return bytes
            }
            group.addTask {
                // The watchdog: ends the exchange when the peer is too slow. It never returns normally.
                while true {
                    try await Task.sleep(for: .milliseconds(250))
                    let elapsed = clock.now - started
                    let seconds = Double(elapsed.components.seconds)
                    if elapsed > deadlines.total {
                        throw FederationError(.stalled, "\(base) did not finish its answer within \(deadlines.total)")
                    }
                    if elapsed > deadlines.grace, Double(progress.value) < Double(deadlines.minBytesPerSecond) * seconds
                    {
                        throw FederationError(
                            .stalled,
                            "\(base) sends its answer too slowly: \(progress.value) bytes in \(Int(seconds)) s, below \(deadlines.minBytesPerSecond) bytes a second; giving up on it for now"
                        )
                    }
                }
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let bytes = result { return bytes }
            }
            return []
        }
        return (Int(response.status.code), body)
    }

    /// Whether the node answers `/healthz` with 200.
    package func health(at base: String) async throws -> Bool {
        try await send(.GET, base: base, path: "/healthz").status == 200
    }

    /// The node's signed descriptor and key statements from its well-known path.
    package func nodeInfo(at base: String) async throws -> NodeInfo {
        let (status, body) = try await send(.GET, base: base, path: NodeInfo.path)
        guard status == 200 else { throw FederationError(.badResponse, "\(base)\(NodeInfo.path) answered \(status)") }
        return try NodeInfo(json: body)
    }

    /// The chain hash of the node's audit trail after `entries` entries, or nil if it has fewer (404).
    package func auditHash(at base: String, entries: Int64) async throws -> String? {
        let (status, body) = try await send(
            .GET,
            base: base,
            path: "/.well-known/cix/audit",
            query: "entries=\(entries)"
        )
        if status == 404 { return nil }
        guard status == 200, let hash = (try? JSONParser().parse(body))?["hash"]?.stringValue else {
            throw FederationError(.badResponse, "\(base)/.well-known/cix/audit answered \(status)")
        }
        return hash
    }

    /// One page of events after `cursor`: the event lines and the next cursor.
    package func pull(from base: String, after cursor: Int64, limit: Int = 1_000) async throws -> PullPage {
        let (status, body) = try await send(
            .GET,
            base: base,
            path: "/federation/v1/events",
            query: "after=\(cursor)&limit=\(limit)"
        )
        guard status == 200 else {
            throw FederationError(
                .badResponse,
                "pull from \(base) answered \(status): \(String(decoding: body.prefix(300), as: UTF8.self))"
            )
        }
        return try PullPage(ndjson: body)
    }

    /// One event by id, or nil if the peer does not hold it (or may not give it to us).
    package func event(_ id: EventID, from base: String) async throws -> [UInt8]? {
        let (status, body) = try await send(.GET, base: base, path: "/federation/v1/events/\(id.hex)")
        if status == 404 { return nil }
        guard status == 200 else {
            throw FederationError(.badResponse, "fetching \(id.hex) from \(base) answered \(status)")
        }
        return body
    }

    /// Several events by id (at most 1,000): the canonical bytes of those the peer gives, parents first,
    /// after the node records (key statements, descriptors) of their authors, if any.
    package func events(_ ids: [EventID], from base: String) async throws -> (events: [[UInt8]], bytes: Int) {
        let body = try JSONValue.object(JSONObject(["ids": .array(ids.map { .string($0.hex) })])).canonicalBytes()
        let (status, answer) = try await send(
            .POST,
            base: base,
            path: "/federation/v1/fetch",
            body: body,
            contentType: "application/json"
        )
        guard status == 200 else {
            throw FederationError(
                .badResponse,
                "fetching \(ids.count) events from \(base) answered \(status): \(String(decoding: answer.prefix(300), as: UTF8.self))"
            )
        }
        let lines = answer.split(separator: 0x0A, omittingEmptySubsequences: true).map(Array.init)
        // The events asked for, and the node records that may come before them.
        guard lines.count <= ids.count + NodeRecords.maxLines else {
            throw FederationError(.badResponse, "\(base) answered a fetch of \(ids.count) events with \(lines.count)")
        }
        return (lines, body.count + answer.count)
    }

    /// Asks the peer about `ranges` (`Reconciliation`), fingerprinted by `scheme`, of the events of
    /// `authors` if named; returns its answers and the bytes sent and received. A peer that refuses
    /// the request as malformed (400) throws `.badRequest`: one that predates `sum` or `authors` does so.
    package func reconcile(
        _ ranges: [Reconciliation.Summary],
        scheme: Reconciliation.Scheme,
        authors: [NodeID]? = nil,
        at base: String
    ) async throws -> (answers: [Reconciliation.Answer], bytes: Int) {
        let body = try Reconciliation.request(ranges, scheme: scheme, authors: authors).canonicalBytes()
        let (status, answer) = try await send(
            .POST,
            base: base,
            path: "/federation/v1/reconcile",
            body: body,
            contentType: "application/json"
        )
        guard status == 200 else {
            let code: FederationError.Code = status == 400 ? .badRequest : .badResponse
            throw FederationError(
                code,
                "reconciliation with \(base) answered \(status): \(String(decoding: answer.prefix(300), as: UTF8.self))"
            )
        }
        do {
            return (try Reconciliation.parseResponse(answer, asked: ranges), body.count + answer.count)
        } catch {
            throw FederationError(.badResponse, "reconciliation with \(base): \(error.description)")
        }
    }

    /// Pushes events; returns the peer's answer per event.
    package func push(_ events: [[UInt8]], to base: String) async throws -> (status: Int, body: [UInt8]) {
        var body: [UInt8] = []
        for event in events {
            body.append(contentsOf: event)
            body.append(0x0A)
        }
        return try await send(.POST, base: base, path: "/federation/v1/events", body: body)
    }
}
