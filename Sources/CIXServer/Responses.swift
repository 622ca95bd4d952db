import CIXCanonicalJSON
import CIXFederation
import Hummingbird

/// JSON answers, and errors as `{"error": CODE, "message": TEXT}` with their status.
enum Responses {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let bytes = (try? value.canonicalBytes()) ?? Array("null".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func error(_ error: FederationError, status: Int? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if error.code == .rateLimited || error.code == .storageUnavailable {
            headers[.retryAfter] = String(error.retryAfter ?? 60)
        }
        if error.status == 401 { headers[.wwwAuthenticate] = "Signature realm=\"cix\"" }
        let body = JSONValue.object(JSONObject(["error": .string(error.code.rawValue), "message": .string(error.message)]))
        return Response(
            status: HTTPResponse.Status(code: status ?? error.status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: (try? body.canonicalBytes()) ?? [])))
    }
}
