import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXNode
import CIXStore
import Foundation
import Hummingbird
import HTTPTypes
import Logging

/// The node-to-node surface under `/federation/v1/` and the well-known descriptor.
///
/// Pulls may be unsigned (public events only); pushes must be signed by a
/// peer. Every pushed event is verified before it is stored, each gets its own
/// answer, and the answer is sent only after the batch is durably committed.
struct FederationRoutes: Sendable {
    let node: LocalNode
    let settings: ServerSettings
    let nonces: NonceCache
    /// Per signed node.
    let limiter: RateLimiter
    /// Shared by every unsigned requester.
    let unsignedLimiter: RateLimiter
    let metrics: NodeMetrics

    func register(on router: Router<NodeRequestContext>) {
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.get("/healthz") { _, _ in try health() }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.render(node: node))))
        }
        router.get(RouterPath(NodeInfo.path)) { _, _ in try nodeDocument() }
        router.get("/federation/v1/events") { request, context in await pull(request, context) }
        router.get("/federation/v1/events/:id") { request, context in await fetch(request, context) }
        router.post("/federation/v1/events") { request, context in await push(request, context) }
    }

    /// Answers once the store answers a read (an indexed one: monitors call this often).
    func health() throws -> Response {
        _ = try node.store.lastSequence()
        return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
    }

    func nodeDocument() throws -> Response {
        guard let descriptor = try node.store.descriptors().first(where: { $0.node == node.id }) else {
            return Responses.error(.init(.badResponse, "this node has no descriptor"), status: 500)
        }
        let statements = try node.store.keyStatements().filter { $0.node == node.id }
        return Responses.json(.object(NodeInfo(descriptor: descriptor, statements: statements).json))
    }

    /// Who signed the request: nil if unsigned; throws if signed badly, expired, replayed or by a key that does not speak for its node.
    func authenticate(_ request: Request, body: [UInt8]) async throws(FederationError) -> NodeID? {
        guard request.headers[HTTPField.Name("signature-input")!] != nil || request.headers[HTTPField.Name("signature")!] != nil
        else {
            try await limit("unsigned", with: unsignedLimiter)
            return nil
        }
        let now = Timestamp.now().secondsSinceEpoch
        let verified = try HTTPSignature.verify(
            .init(method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "", body: body),
            header: { name in HTTPField.Name(name).flatMap { request.headers[$0] } }, now: now)
        let ring: KeyRing
        do {
            ring = try node.store.keyRing(for: verified.node)
        } catch {
            throw FederationError(.unknownKey, "cannot read keys: \(error)")
        }
        guard ring.isAuthorised(verified.key, at: Timestamp(secondsSinceEpoch: now)) else {
            throw FederationError(.unknownKey, "the signing key does not speak for node \(verified.node.hex)")
        }
        guard await nonces.admit(verified.nonce, expires: verified.expires, now: now) else {
            throw FederationError(.replayed, "this request was already received (nonce reused)")
        }
        try await limit(verified.node.hex, with: limiter)
        return verified.node
    }

    /// Refuses with 429 when the requester has used up its allowance.
    func limit(_ requester: String, with limiter: RateLimiter) async throws(FederationError) {
        if let wait = await limiter.admit(requester, now: Date().timeIntervalSince1970) {
            throw FederationError(.rateLimited, "too many requests; retry in \(wait) s", retryAfter: wait)
        }
    }

    func pull(_ request: Request, _ context: NodeRequestContext) async -> Response {
        do {
            let requester = try await authenticate(request, body: [])
            let after = Int64(request.uri.queryParameters["after"].flatMap { Int64(String($0)) } ?? 0)
            let limit = min(max(request.uri.queryParameters["limit"].flatMap { Int(String($0)) } ?? 1_000, 1), 5_000)
            let page = try node.store.events(after: after, limit: limit, for: requester)
            var body: [UInt8] = []
            body.reserveCapacity(page.events.count * 900)
            for event in page.events {
                body.append(contentsOf: event.bytes)
                body.append(0x0A)
            }
            body.append(contentsOf: Array("{\"cursor\":\(page.cursor)}\n".utf8))
            return Response(
                status: .ok, headers: [.contentType: "application/x-ndjson"],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        } catch let error as FederationError {
            return Responses.error(error)
        } catch {
            return Responses.error(.init(.badRequest, "\(error)"), status: 500)
        }
    }

    func fetch(_ request: Request, _ context: NodeRequestContext) async -> Response {
        do {
            let requester = try await authenticate(request, body: [])
            guard let id = context.parameters.get("id").flatMap(EventID.init), let stored = try node.store.event(id) else {
                return Responses.error(.init(.badRequest, "no such event"), status: 404)
            }
            if !stored.isPublic {
                guard let requester, let event = try? Event.decodeStored(stored.bytes),
                    event.audience.includes(requester, author: event.author)
                else { return Responses.error(.init(.badRequest, "no such event"), status: 404) }
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: stored.bytes)))
        } catch let error as FederationError {
            return Responses.error(error)
        } catch {
            return Responses.error(.init(.badRequest, "\(error)"), status: 500)
        }
    }

    func push(_ request: Request, _ context: NodeRequestContext) async -> Response {
        do {
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > settings.maxBodyBytes {
                throw FederationError(.tooLarge, "a batch may be at most \(settings.maxBodyBytes) bytes")
            }
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: settings.maxBodyBytes)
            } catch {
                throw FederationError(.tooLarge, "a batch may be at most \(settings.maxBodyBytes) bytes")
            }
            let body = Array(buffer.readableBytesView)
            guard let requester = try await authenticate(request, body: body) else {
                throw FederationError(.unsigned, "pushing events requires a signed request")
            }
            guard try node.store.peer(requester) != nil else {
                throw FederationError(.notAPeer, "node \(requester.hex) is not a peer of this node")
            }
            let lines = body.split(separator: 0x0A, omittingEmptySubsequences: true).map(Array.init)
            guard lines.count <= settings.maxBatch else {
                throw FederationError(.tooLarge, "a batch may hold at most \(settings.maxBatch) events")
            }
            return Responses.json(.object(try await PushReceiver(node: node, metrics: metrics).receive(lines, from: requester)))
        } catch let error as FederationError {
            return Responses.error(error)
        } catch {
            return Responses.error(.init(.badRequest, "\(error)"), status: 500)
        }
    }
}
