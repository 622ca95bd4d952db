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

    /// After a successful post: see the result with a GET (so reloading does not post again).
    static func seeOther(_ location: String) -> WebAnswer {
        WebAnswer(status: .seeOther, headers: [.location: location], body: ByteBuffer(), shared: false)
    }
}

extension WebAnswer {
    /// A failure as JSON (`{"error", "message"}`), with the headers its status calls for.
    init(_ failure: RequestFailure) {
        var headers = failure.responseHeaders
        headers[.contentType] = "application/json"
        self.init(
            status: failure.status,
            headers: headers,
            body: ByteBuffer(bytes: (try? failure.json.canonicalBytes()) ?? []),
            shared: false
        )
    }

    /// A failure said plainly, for when there is no site to put an error page in.
    static func plain(_ failure: WebError) -> WebAnswer {
        var headers = WebRoutes.failureHeaders(failure.status)
        headers[.contentType] = "text/plain; charset=utf-8"
        return WebAnswer(
            status: .init(code: failure.status),
            headers: headers,
            body: ByteBuffer(string: failure.message + "\n"),
            shared: false
        )
    }
}
