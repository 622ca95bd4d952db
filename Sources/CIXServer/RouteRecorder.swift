import HTTPTypes
import Hummingbird

/// Registers routes on a router and remembers which methods each path takes,
/// so that any other method on a known path, even one HTTP has not named yet,
/// answers 405 with `Allow` (RFC 9110 §15.5.6) instead of a 404 that says the
/// path does not exist.
final class RouteRecorder<Context: RequestContext>: RouterMethods {
    let router: Router<Context>
    /// Methods by path, in the order paths were first registered.
    private var paths: [(path: RouterPath, methods: Set<HTTPRequest.Method>)] = []

    /// The order `Allow` names methods in.
    static var methodOrder: [HTTPRequest.Method] { [.get, .head, .post, .put, .delete, .patch] }

    init(_ router: Router<Context>) { self.router = router }

    @discardableResult
    func on<Responder: HTTPResponder>(
        _ path: RouterPath,
        method: HTTPRequest.Method,
        responder: Responder
    ) -> Self where Responder.Context == Context {
        if let index = paths.firstIndex(where: { $0.path == path }) {
            paths[index].methods.insert(method)
        } else {
            paths.append((path, [method]))
        }
        router.on(path, method: method, responder: responder)
        return self
    }

    @discardableResult
    func add(middleware: any MiddlewareProtocol<Request, Response, Context>) -> Self {
        router.add(middleware: middleware)
        return self
    }

    /// What each recorded path answers to: its methods, with HEAD wherever GET is
    /// (the router makes HEAD from GET).
    var allowed: [(path: RouterPath, methods: [HTTPRequest.Method])] {
        paths.map { entry in
            var methods = entry.methods
            if methods.contains(.get) { methods.insert(.head) }
            return (
                entry.path,
                Self.methodOrder.filter(methods.contains) + methods.filter { !Self.methodOrder.contains($0) }
            )
        }
    }

    /// The middleware that answers 405 for a known path asked with a method it does not take.
    /// Added to the router after every route, it sees only requests no route took.
    func methodCheck() -> MethodCheck<Context> {
        MethodCheck(
            paths: allowed.map { entry in
                (entry.path.components, entry.methods.map(\.rawValue).joined(separator: ", "))
            }
        )
    }
}

/// Answers 405 with `Allow` for requests no route took whose path is known.
struct MethodCheck<Context: RequestContext>: RouterMiddleware {
    /// Each known path's pattern, with the methods it takes as an `Allow` value.
    let paths: [(pattern: [RouterPath.Element], allow: String)]

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let segments = request.uri.path.split(separator: "/")
        guard let allow = Self.mostSpecific(paths.filter { Self.matches($0.pattern, segments) })?.allow else {
            return try await next(request, context)
        }
        var response = RequestFailure(.methodNotAllowed, "method_not_allowed", "this address answers \(allow) only")
            .jsonResponse
        response.headers[.allow] = allow
        return response
    }

    static func matches(_ pattern: [RouterPath.Element], _ segments: [Substring]) -> Bool {
        for (index, element) in pattern.enumerated() {
            if element.description == "**" { return segments.count > index }
            guard index < segments.count, element ~= segments[index] else { return false }
        }
        return pattern.count == segments.count
    }

    /// As the router chooses: a literal segment before any capture, from the left.
    static func mostSpecific(
        _ candidates: [(pattern: [RouterPath.Element], allow: String)]
    ) -> (pattern: [RouterPath.Element], allow: String)? {
        candidates.max { lhs, rhs in
            lhs.pattern.map(Self.isLiteral).lexicographicallyPrecedes(rhs.pattern.map(Self.isLiteral)) { !$0 && $1 }
        }
    }

    static func isLiteral(_ element: RouterPath.Element) -> Bool {
        !element.description.hasPrefix(":") && !element.description.contains("*")
    }
}
