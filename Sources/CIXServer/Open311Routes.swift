import CIXCore
import CIXFederation
import CIXNode
import CIXOpen311
import Foundation
import HTTPTypes
import Hummingbird

/// GeoReport v2 under `/open311/v2/`, every resource in `.xml` and `.json`.
struct Open311Routes: Sendable {
    let gateway: Open311Gateway
    let limiter: RateLimiter

    func register(on router: some RouterMethods<NodeRequestContext>) {
        router.get("/open311/v2/:file") { request, context in
            await answer(context.parameters.get("file"), context) { name in
                switch name {
                case "discovery": return gateway.discovery()
                case "services": return gateway.services()
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
        router.post("/open311/v2/:file") { request, context in
            let body = (try? await request.body.collect(upTo: 1 << 20)).map { String(buffer: $0) } ?? ""
            let form = Self.form(body).merging(Self.query(request)) { posted, _ in posted }
            return await answer(context.parameters.get("file"), context) { name in
                guard gateway.node.authors else {
                    throw Open311Gateway.Failure(
                        405,
                        "this node is a read-only mirror: post reports to an intake node such as a council's"
                    )
                }
                let key = try gateway.authorise(form["api_key"])
                if let wait = await limiter.admit("key-\(key.id)", now: Date().timeIntervalSince1970) {
                    throw Open311Gateway.Failure(429, "too many requests with this api_key; retry in \(wait) s")
                }
                switch name {
                case "requests":
                    return try gateway.postRequest(form, attributes: Self.attributes(form), key: key, now: .now())
                case "servicerequestupdates": return try gateway.postUpdate(form, key: key, now: .now())
                default: throw Open311Gateway.Failure(404, "no resource \(name)")
                }
            }
        }
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

    /// application/x-www-form-urlencoded, as Open311 clients post.
    static func form(_ body: String) -> [String: String] {
        var values: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            guard let name = parts.first.map(decode), !name.isEmpty else { continue }
            values[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
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
