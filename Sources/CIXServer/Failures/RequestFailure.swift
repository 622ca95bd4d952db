import CIXCanonicalJSON
import Hummingbird

/// A request that failed, as the client is told: a status, a stable code, a
/// message written for the client (never internal detail), and when to try
/// again. Handlers throw it (or any error, which `RequestFailure(_:)` maps);
/// each surface renders it in its own format: JSON here, Open311's XML or
/// JSON, an HTML page for residents.
struct RequestFailure: HTTPResponseError, Sendable {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    /// Seconds until the same request may succeed (429, 503).
    var retryAfter: Int?
    /// Further headers the status calls for (`Allow` with 405, `WWW-Authenticate` with 401).
    var headers: HTTPFields = [:]
    /// For failures of the node itself: the error the log records, never sent.
    var cause: (any Error & Sendable)?

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    /// The headers of the answer: Retry-After and whatever the status calls for.
    var responseHeaders: HTTPFields {
        var fields = headers
        if let retryAfter { fields[.retryAfter] = String(retryAfter) }
        return fields
    }

    /// `{"error": CODE, "message": TEXT}`.
    var json: JSONValue {
        .object(JSONObject(["error": .string(code), "message": .string(message)]))
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        jsonResponse
    }

    var jsonResponse: Response {
        var fields = responseHeaders
        fields[.contentType] = "application/json"
        return Response(
            status: status,
            headers: fields,
            body: .init(byteBuffer: ByteBuffer(bytes: (try? json.canonicalBytes()) ?? []))
        )
    }
}
