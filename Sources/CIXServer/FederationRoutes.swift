import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXNode
import CIXStore
import Foundation
import Hummingbird

/// The node-to-node surface under `/federation/v1/` (`Protocol/federation.md`).
///
/// Pulls may be unsigned (public events only); pushes must be signed by a
/// peer. Every pushed event goes through the node's acceptance step, each
/// gets its own answer, and the answer is sent only after the batch is
/// durably committed. Failures are thrown and answered by `JSONFailureMiddleware`.
struct FederationRoutes: Sendable {
    let node: LocalNode
    let settings: ServerSettings
    let authenticator: RequestAuthenticator
    let metrics: NodeMetrics

    func register(on router: some RouterMethods<NodeRequestContext>) {
        router.get("/federation/v1/events") { request, context in try await pull(request, context) }
        router.get("/federation/v1/events/:id") { request, context in try await fetch(request, context) }
        router.post("/federation/v1/events") { request, context in try await push(request, context) }
        router.post("/federation/v1/reconcile") { request, context in try await reconcile(request, context) }
        router.post("/federation/v1/fetch") { request, context in try await fetchMany(request, context) }
    }

    /// A request's body, at most `limit` bytes (413 beyond), and who signed it, if anyone (403 if blocked).
    func signedBody(
        _ request: Request,
        _ context: NodeRequestContext,
        upTo limit: Int,
        what: String
    ) async throws -> (body: [UInt8], requester: NodeID?) {
        let tooLarge = FederationError(.tooLarge, "\(what) may be at most \(limit) bytes")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch { throw tooLarge }
        let body = Array(buffer.readableBytesView)
        let requester = try await authenticator.authenticate(request, context: context, body: body)
        if let requester { try refuseIfBlocked(requester) }
        return (body, requester)
    }

    /// The most ids one batch fetch may name.
    static let maxFetch = 1_000

    /// Several events by id at once (what a repair lacks): NDJSON of those the requester may
    /// hold, in this node's order; ids it does not hold, or may not give, are left out.
    func fetchMany(_ request: Request, _ context: NodeRequestContext) async throws -> Response {
        let limit = 80 * 1024
        let (body, requester) = try await signedBody(request, context, upTo: limit, what: "a fetch request")
        guard let object = (try? JSONParser(limits: .init(maxDepth: 3, maxBytes: limit)).parse(body))?.objectValue,
            object.names == ["ids"], let values = object["ids"]?.arrayValue, (1...Self.maxFetch).contains(values.count)
        else {
            throw FederationError(.badRequest, "the body must be {\"ids\": [...]} with 1 to \(Self.maxFetch) event ids")
        }
        var ids: [EventID] = []
        for value in values {
            guard let text = value.stringValue, text == text.lowercased(), let id = EventID(text) else {
                throw FederationError(.badRequest, "each id is an event id: 64 lower-case hex digits")
            }
            ids.append(id)
        }
        let hidden = try node.store.hiddenEvents()
        var found: [StoredEvent] = []
        for id in Set(ids) {
            guard let stored = try node.store.event(id), !hidden.contains(stored) else { continue }
            if !stored.isPublic {
                guard let requester, let event = try? Event.decodeStored(stored.bytes),
                    event.audience.includes(requester, author: event.author)
                else { continue }
            }
            found.append(stored)
        }
        var answer: [UInt8] = []
        for record in try NodeRecords.lines(for: found.map(\.author), store: node.store) { answer += record + [0x0A] }
        for stored in found.sorted(by: { $0.seq < $1.seq }) { answer += stored.bytes + [0x0A] }
        return Response(
            status: .ok,
            headers: [.contentType: "application/x-ndjson"],
            body: .init(byteBuffer: ByteBuffer(bytes: answer))
        )
    }

    /// Set reconciliation (`Protocol/federation.md`, Repair): the asker's ranges against the ids
    /// this node would give it. Stateless; each request costs at most one pass over the ids of the
    /// ranges it asks about (at most `Reconciliation.maxRanges`, disjoint), in bounded memory, and
    /// with `sum` fingerprints on a store that keeps sums, queries of its kept sums instead.
    func reconcile(_ request: Request, _ context: NodeRequestContext) async throws -> Response {
        let (body, requester) = try await signedBody(
            request,
            context,
            upTo: Reconciliation.maxRequestBytes,
            what: "a reconciliation request"
        )
        let asked: Reconciliation.Request
        do {
            asked = try Reconciliation.parseRequest(body)
        } catch {
            throw FederationError(.badRequest, error.description)
        }
        let set = StoredReconcilableSet(node.store, sharedWith: requester, holder: node.id, authors: asked.authors)
        let answers = try Reconciliation.answer(asked.ranges, in: set, scheme: asked.scheme)
        let answer = try Reconciliation.response(answers).canonicalBytes()
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: answer))
        )
    }

    /// The page bounds a pull may ask for.
    static let pullLimits = 1...5_000

    func pull(_ request: Request, _ context: NodeRequestContext) async throws -> Response {
        let requester = try await authenticator.authenticate(request, context: context, body: [])
        if let requester { try refuseIfBlocked(requester) }
        let parameters = request.uri.queryParameters
        var after: Int64 = 0
        if let text = parameters["after"] {
            guard let value = Int64(String(text)), value >= 0 else {
                throw FederationError(
                    .badRequest,
                    "after must be a whole number of at least 0 (a cursor from an earlier page)"
                )
            }
            after = value
        }
        var limit = 1_000
        if let text = parameters["limit"] {
            guard let value = Int(String(text)), Self.pullLimits.contains(value) else {
                throw FederationError(.badRequest, "limit must be a whole number from 1 to 5000")
            }
            limit = value
        }
        let page = try node.store.events(after: after, limit: limit, for: requester)
        var body: [UInt8] = []
        body.reserveCapacity(page.events.count * 900)
        for record in try NodeRecords.lines(for: page.events.map(\.author), store: node.store) {
            body.append(contentsOf: record)
            body.append(0x0A)
        }
        for event in page.events {
            body.append(contentsOf: event.bytes)
            body.append(0x0A)
        }
        body.append(contentsOf: Array("{\"cursor\":\(page.cursor)}\n".utf8))
        return Response(
            status: .ok,
            headers: [.contentType: "application/x-ndjson"],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    /// A node this node blocks exchanges nothing with it, even what anyone may read unsigned.
    func refuseIfBlocked(_ requester: NodeID) throws {
        guard let block = try node.store.blockedNodes().first(where: { $0.node == requester }) else { return }
        throw FederationError(.blocked, "this node blocks node \(requester.hex) since \(block.since): \(block.reason)")
    }

    func fetch(_ request: Request, _ context: NodeRequestContext) async throws -> Response {
        let requester = try await authenticator.authenticate(request, context: context, body: [])
        if let requester { try refuseIfBlocked(requester) }
        let missing = RequestFailure(.notFound, "not_found", "this node holds no such event, or none it may give you")
        guard let id = context.parameters.get("id").flatMap(EventID.init), let stored = try node.store.event(id),
            try !node.store.hiddenEvents().contains(stored)
        else {
            throw missing
        }
        if !stored.isPublic {
            guard let requester, let event = try? Event.decodeStored(stored.bytes),
                event.audience.includes(requester, author: event.author)
            else { throw missing }
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: stored.bytes))
        )
    }

    func push(_ request: Request, _ context: NodeRequestContext) async throws -> Response {
        let tooLarge = FederationError(.tooLarge, "a batch may be at most \(settings.maxBodyBytes) bytes")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > settings.maxBodyBytes {
            throw tooLarge
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: settings.maxBodyBytes)
        } catch {
            throw tooLarge
        }
        let body = Array(buffer.readableBytesView)
        guard let requester = try await authenticator.authenticate(request, context: context, body: body) else {
            throw FederationError(.unsigned, "pushing events requires a signed request")
        }
        try refuseIfBlocked(requester)
        guard try node.store.peer(requester) != nil else {
            throw FederationError(.notAPeer, "node \(requester.hex) is not a peer of this node")
        }
        let lines = body.split(separator: 0x0A, omittingEmptySubsequences: true).map(Array.init)
        guard lines.count <= settings.maxBatch + NodeRecords.maxLines else {
            throw FederationError(
                .tooLarge,
                "a batch may hold at most \(settings.maxBatch) events and \(NodeRecords.maxLines) node records"
            )
        }
        let answer = try await PushReceiver(node: node, metrics: metrics, chase: settings.parentChase).receive(
            lines,
            from: requester
        )
        return Responses.json(.object(answer.json))
    }
}
