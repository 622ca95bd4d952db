import CIXCanonicalJSON
import CIXWeb
import HTTPTypes
import Hummingbird

/// A finished answer of the public surface: plain values, so that it can be
/// kept in the page cache and sent again.
struct WebAnswer: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer
    /// Whether every visitor may be sent this same answer (false for pages carrying a visitor's form token).
    var shared: Bool

    var response: Response { Response(status: status, headers: headers, body: .init(byteBuffer: body)) }

    static func html(
        _ page: HTML,
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:],
        shared: Bool = true
    ) -> WebAnswer {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = shared ? "no-cache" : "private, no-store"
        return WebAnswer(status: status, headers: fields, body: ByteBuffer(string: page.markup), shared: shared)
    }

    /// Public data (feeds, CSV) that any site may read.
    static func text(_ text: String, type: String, headers: HTTPFields = [:]) -> WebAnswer {
        var fields = headers
        fields[.contentType] = type
        fields[.accessControlAllowOrigin] = "*"
        return WebAnswer(status: .ok, headers: fields, body: ByteBuffer(string: text), shared: true)
    }

    /// Public JSON that any site may read.
    static func json(_ value: JSONValue, type: String = "application/json") -> WebAnswer {
        let bytes = (try? value.canonicalBytes()) ?? Array("null".utf8)
        return WebAnswer(
            status: .ok,
            headers: [.contentType: type, .accessControlAllowOrigin: "*"],
            body: ByteBuffer(bytes: bytes),
            shared: true
        )
    }

    static func jsonError(_ error: WebError) -> WebAnswer {
        let body = JSONValue.object(
            JSONObject(["error": .string("web\(error.status)"), "message": .string(error.message)])
        )
        return WebAnswer(
            status: HTTPResponse.Status(code: error.status),
            headers: [.contentType: "application/json"],
            body: ByteBuffer(bytes: (try? body.canonicalBytes()) ?? []),
            shared: false
        )
    }

    /// After a successful post: see the result with a GET (so reloading does not post again).
    static func seeOther(_ location: String) -> WebAnswer {
        WebAnswer(status: .seeOther, headers: [.location: location], body: ByteBuffer(), shared: false)
    }
}
