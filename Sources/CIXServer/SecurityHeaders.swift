import CIXWeb
import HTTPTypes
import Hummingbird

/// Headers that make every response safe by default: a strict
/// Content-Security-Policy (our own origin only, plus the configured tile
/// server for images), no sniffing, no framing, no referrer sent to other
/// sites (same-origin, so that form posts still carry their Origin).
struct SecurityHeaders: RouterMiddleware {
    typealias Context = NodeRequestContext
    let policy: String

    init(tileOrigin: String?) {
        let images = ["'self'", "data:"] + (tileOrigin.map { [$0] } ?? [])
        policy = [
            "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src \(images.joined(separator: " "))",
            "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
        ].joined(separator: "; ")
    }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = policy }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "same-origin"
        response.headers[.crossOriginOpenerPolicy] = "same-origin"
        return response
    }
}
