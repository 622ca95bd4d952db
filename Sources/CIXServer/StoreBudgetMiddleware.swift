import CIXStore
import Hummingbird

/// Bounds the store reads of every request but federation's by the node's
/// `[store] request_query_seconds` (`StoreReadBudget`): a search too costly for
/// the store's load ends with 503 `timed_out` instead of running on after its
/// client has gone. Federation is left to the store's own deadline: a peer's
/// pull or reconciliation of a large log may rightly take longer, and peers retry.
struct StoreBudgetMiddleware: RouterMiddleware {
    typealias Context = NodeRequestContext
    let seconds: Int

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard !request.uri.path.hasPrefix("/federation/") else { return try await next(request, context) }
        return try await StoreReadBudget.$seconds.withValue(seconds) { try await next(request, context) }
    }
}
