import CIXCore
import CIXFederation
import CIXNode
import CIXOpen311
import CIXPhoto
import CIXWeb
import Foundation
import HTTPTypes
import Hummingbird

/// GeoReport v2 under `/open311/v2/`, every resource in `.xml` and `.json`.
struct Open311Routes: Sendable {
    let gateway: Open311Gateway
    let limiter: RateLimiter
    /// Fetches `media_url` photos; nil when the node does not.
    let media: MediaFetcher?

    func register(on router: some RouterMethods<NodeRequestContext>) {
        router.get("/open311/v2/:file") { request, context in
            await answer(context.parameters.get("file"), context) { name in
                switch name {
                case "discovery": return gateway.discovery()
                case "services": return try gateway.services(Self.query(request))
                case "requests": return try gateway.requests(Self.query(request), now: .now())
                case "servicerequestupdates": return try gateway.updates(Self.query(request), now: .now())
                default: throw Open311Gateway.Failure(404, "no resource \(name)")
                }
            }
        }
        router.get("/open311/v2/services/:file") { _, context in
            await answer(context.parameters.get("file"), context) { code in
                try gateway.definition(code)
            }
        }
        router.get("/open311/v2/requests/:file") { _, context in
            await answer(context.parameters.get("file"), context) { id in
                try gateway.request(id: id)
            }
        }
        router.get("/open311/v2/tokens/:file") { _, context in
            await answer(context.parameters.get("file"), context) { token in
                // Requests are created at once, so a token is the request's own id.
                _ = try gateway.request(id: token)
                return .list(
                    container: "service_requests",
                    element: "request",
                    [
                        .item([("service_request_id", .text(token.lowercased())), ("token", .text(token.lowercased()))])
                    ]
                )
            }
        }
        // Anything else under the endpoint is an Open311 error, in the format its name asks for.
        router.get("/open311/v2/:file/:name") { request, context in
            let path = request.uri.path
            return await answer(String(path.split(separator: "/").last ?? ""), context) { _ in
                throw Open311Gateway.Failure(404, "no resource \(path)")
            }
        }
        router.post("/open311/v2/:file") { request, context in
            await answer(context.parameters.get("file"), context) { name in
                guard gateway.node.authors else {
                    throw Open311Gateway.Failure(
                        405,
                        "this node is a read-only mirror: post reports to an intake node such as a council's"
                    )
                }
                let form = try await Self.form(request)
                let fields = form.fields.merging(Self.query(request)) { posted, _ in posted }
                let key = try gateway.authorise(fields["api_key"])
                if let wait = await limiter.admit("key-\(key.id)", now: Date().timeIntervalSince1970) {
                    throw Open311Gateway.Failure(429, "too many requests with this api_key; retry in \(wait) s")
                }
                switch name {
                case "requests":
                    let photos = try await photos(form)
                    return try gateway.postRequest(
                        fields,
                        attributes: Self.attributes(fields),
                        photos: photos.bytes,
                        notices: photos.notices,
                        key: key,
                        now: .now()
                    )
                case "servicerequestupdates": return try gateway.postUpdate(fields, key: key, now: .now())
                default: throw Open311Gateway.Failure(404, "no resource \(name)")
                }
            }
        }
    }

    /// A posted body, url-encoded or multipart (clients that upload the photo), at most one photo's size
    /// plus the fields.
    static func form(_ request: Request) async throws(Open311Gateway.Failure) -> FormData {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBody)
        } catch {
            throw Open311Gateway.Failure(413, "the request is too large: at most 10 MiB of photos and 64 KiB of fields")
        }
        do {
            return try FormData.parse(
                Array(body.readableBytesView),
                contentType: request.headers[.contentType] ?? "",
                maxFields: 64
            )
        } catch {
            throw Open311Gateway.Failure(error.status, error.message)
        }
    }

    static let maxBody = Photo.maxUploadBytes + 64 * 1024

    /// The report's photos: uploaded files (`media`, FixMyStreet's `photo1`…) in name order, then each
    /// `media_url` fetched once. A URL that is refused fails the post; one that cannot be reached now is
    /// left out and said in the answer's notice.
    func photos(_ form: FormData) async throws(Open311Gateway.Failure) -> (bytes: [[UInt8]], notices: [String]) {
        var bytes = form.files.keys.sorted().compactMap { form.files[$0]?.bytes }
        let urls = (form.allValues["media_url"] ?? []).filter { !$0.isEmpty }
        guard !urls.isEmpty else { return (bytes, []) }
        guard let media else {
            return (bytes, ["Photos given by media_url are not fetched by this node."])
        }
        guard bytes.count + urls.count <= Limits.maxAttachments else {
            throw Open311Gateway.Failure(400, "at most \(Limits.maxAttachments) photos may be sent with a report")
        }
        var notices: [String] = []
        for result in await media.fetch(urls) {
            switch result {
            case .success(let photo): bytes.append(photo)
            case .failure(.refused(let message)): throw Open311Gateway.Failure(400, message)
            case .failure(.unreachable(let message)): notices.append("The photo was not attached: \(message).")
            }
        }
        return (bytes, notices)
    }

    /// Splits "name.xml" / "name.json", runs the handler, and renders its answer or error in that format.
    func answer(
        _ file: String?,
        _ context: NodeRequestContext,
        _ handler: (String) async throws -> Open311Document
    ) async -> Response {
        guard let file, let dot = file.lastIndex(of: "."),
            let format = Open311Document.Format(rawValue: String(file[file.index(after: dot)...]).lowercased())
        else {
            return render(.errors(404, "resources end in .xml or .json"), format: .xml, status: 404)
        }
        do {
            return render(try await handler(String(file[..<dot])), format: format, status: 200)
        } catch let failure as Open311Gateway.Failure where failure.cause == nil {
            return render(.errors(failure.status, failure.description), format: format, status: failure.status)
        } catch {
            let cause = (error as? Open311Gateway.Failure)?.cause ?? error
            let failure = RequestFailure(cause).answering(request: context.id, logger: context.logger)
            let status = Int(failure.status.code)
            return render(.errors(status, failure.message), format: format, status: status)
        }
    }

    func render(_ document: Open311Document, format: Open311Document.Format, status: Int) -> Response {
        var headers: HTTPFields = [.contentType: format.contentType]
        if status == 429 { headers[.retryAfter] = "60" }
        if status == 503 { headers[.retryAfter] = "30" }
        // Only posts are refused with 405 (a mirror takes no reports): reads remain.
        if status == 405 { headers[.allow] = "GET, HEAD" }
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: document.render(format)))
        )
    }

    static func query(_ request: Request) -> [String: String] {
        var values: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { values[String(name)] = String(value) }
        return values
    }

    /// `attribute[code]=value` fields.
    static func attributes(_ form: [String: String]) -> [String: String] {
        var values: [String: String] = [:]
        for (name, value) in form where name.hasPrefix("attribute[") && name.hasSuffix("]") {
            values[String(name.dropFirst(10).dropLast())] = value
        }
        return values
    }
}
