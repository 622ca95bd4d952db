import Hummingbird

/// Counts and times every request by route and status.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = NodeRequestContext
    let metrics: NodeMetrics

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let clock = ContinuousClock()
        let started = clock.now
        let route = Self.route(request.uri.path)
        do {
            let response = try await next(request, context)
            metrics.request(route: route, status: Int(response.status.code), duration: clock.now - started)
            return response
        } catch {
            metrics.request(
                route: route,
                status: (error as? HTTPResponseError)?.status.code ?? 500,
                duration: clock.now - started
            )
            throw error
        }
    }

    /// A bounded set of route names, so that labels stay few.
    static func route(_ path: String) -> String {
        switch path {
        case "/healthz", "/metrics", "/.well-known/cix/node", "/federation/v1/events": path
        default: path.hasPrefix("/federation/v1/events/") ? "/federation/v1/events/:id" : "other"
        }
    }
}
