import CIXCanonicalJSON
import CIXWeb
import Hummingbird
import HTTPTypes

/// Responses of the public pages and data.
enum WebResponses {
    static func html(_ page: HTML, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-cache"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: page.markup)))
    }

    static func text(_ text: String, type: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = type
        fields[.accessControlAllowOrigin] = "*"
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Public data: JSON that any site may read.
    static func json(_ value: JSONValue, type: String = "application/json") -> Response {
        let bytes = (try? value.canonicalBytes()) ?? Array("null".utf8)
        return Response(
            status: .ok, headers: [.contentType: type, .accessControlAllowOrigin: "*"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func jsonError(_ error: WebError) -> Response {
        let body = JSONValue.object(JSONObject(["error": .string("web\(error.status)"), "message": .string(error.message)]))
        return Response(
            status: HTTPResponse.Status(code: error.status), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: (try? body.canonicalBytes()) ?? [])))
    }

    /// After a successful post: see the result with a GET (so reloading does not post again).
    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
