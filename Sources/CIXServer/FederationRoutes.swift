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
    /// Per peer: each node in this node's peer table has its own budget.
    let limiter: RateLimiter
    /// Everyone else (unsigned, or signed by a node that is not a peer, which
    /// anyone can mint), per client address and all together.
    let strangers: StrangerLimits
    let metrics: NodeMetrics
    let logger: Logger

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
    ///
    /// A request that claims to come from a peer is verified and then charged
    /// to that peer's budget; any other (unsigned, or signed by a node that is
    /// not a peer) is charged to its address's and the strangers' shared
    /// budget before its signature is even checked.
    func authenticate(_ request: Request, context: NodeRequestContext, body: [UInt8]) async throws(FederationError)
        -> NodeID?
    {
        let signed =
            request.headers[HTTPField.Name("signature-input")!] != nil || request.headers[HTTPField.Name("signature")!] != nil
        let claimed = request.headers[HTTPField.Name("cix-node")!].flatMap(NodeID.init)
        let fromPeer = signed && claimed.map { (try? node.store.peer($0)) != nil } == true
        if !fromPeer {
            if let wait = await strangers.admit(address: context.client, now: Date().timeIntervalSince1970) {
                throw FederationError(.rateLimited, "too many requests from this address; retry in \(wait) s", retryAfter: wait)
            }
        }
        guard signed else { return nil }
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
        if fromPeer { try await limit(verified.node.hex, with: limiter) }
        return verified.node
    }

    /// The answer to a failed request. Storage faults are 503 with Retry-After
    /// (nothing was stored; the same request may succeed later); anything
    /// unexpected is 500 with a request id, its details only in this node's log.
    func failure(_ error: any Error) -> Response {
        switch error {
        case let error as FederationError:
            return Responses.error(error)
        case let error as StoreError where error.isUnavailable:
            logger.error("storage unavailable", metadata: ["error": "\(error)"])
            return Responses.error(Self.storageUnavailable)
        case let error as NodeError where error.code == .unavailable:
            logger.error("storage unavailable", metadata: ["error": "\(error)"])
            return Responses.error(Self.storageUnavailable)
        default:
            let id = Hex.encode((0..<6).map { _ in UInt8.random(in: 0...255) })
            logger.error("request failed", metadata: ["request_id": "\(id)", "error": "\(error)"])
            return Responses.error(FederationError(.internal, "the node could not answer; its log has the details under request id \(id)"))
        }
    }

    static let storageUnavailable = FederationError(
        .storageUnavailable, "this node cannot store anything right now; nothing was stored; send it again later", retryAfter: 30)

    /// Refuses with 429 when the requester has used up its allowance.
    func limit(_ requester: String, with limiter: RateLimiter) async throws(FederationError) {
        if let wait = await limiter.admit(requester, now: Date().timeIntervalSince1970) {
            throw FederationError(.rateLimited, "too many requests; retry in \(wait) s", retryAfter: wait)
        }
    }

    func pull(_ request: Request, _ context: NodeRequestContext) async -> Response {
        do {
            let requester = try await authenticate(request, context: context, body: [])
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
        } catch {
            return failure(error)
        }
    }

    func fetch(_ request: Request, _ context: NodeRequestContext) async -> Response {
        do {
            let requester = try await authenticate(request, context: context, body: [])
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
        } catch {
            return failure(error)
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
            guard let requester = try await authenticate(request, context: context, body: body) else {
                throw FederationError(.unsigned, "pushing events requires a signed request")
            }
            guard try node.store.peer(requester) != nil else {
                throw FederationError(.notAPeer, "node \(requester.hex) is not a peer of this node")
            }
            let lines = body.split(separator: 0x0A, omittingEmptySubsequences: true).map(Array.init)
            guard lines.count <= settings.maxBatch else {
                throw FederationError(.tooLarge, "a batch may hold at most \(settings.maxBatch) events")
            }
            return Responses.json(.object(try await PushReceiver(node: node, metrics: metrics).receive(lines, from: requester).json))
        } catch {
            return failure(error)
        }
    }
}
