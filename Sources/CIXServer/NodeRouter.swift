import CIXCore
import CIXFederation
import CIXNode
import CIXOpen311
import CIXWeb
import Hummingbird

/// Every surface of a node on one router: node and federation routes (JSON
/// errors), Open311, the public pages and residents' forms. HEAD is answered
/// wherever GET is, and any other method on a known path with 405 and `Allow`.
package enum NodeRouter {
    package static func build(
        node: LocalNode,
        settings: ServerSettings,
        metrics: NodeMetrics,
        connections: ConnectionGuard = ConnectionGuard(limits: ConnectionLimits())
    ) throws(NodeError) -> Router<NodeRequestContext> {
        let built = Router(context: NodeRequestContext.self, options: .autoGenerateHeadEndpoints)
        let router = RouteRecorder(built)
        router.add(middleware: SecurityHeaders(tileOrigin: Site(node: node, names: [:]).tileOrigin))
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: LanguageMiddleware(fallback: node.config.web?.defaultLanguage ?? .english))
        if let seconds = settings.requestQuerySeconds {
            router.add(middleware: StoreBudgetMiddleware(seconds: seconds))
        }
        let json = router.group().add(middleware: JSONFailureMiddleware<NodeRequestContext>())
        NodeRoutes(node: node, metrics: metrics, connections: connections).register(on: json)
        let authenticator = RequestAuthenticator(
            node: node,
            nonces: NonceCache(log: try node.openNonceLog(), now: Timestamp.now().secondsSinceEpoch),
            limiter: RateLimiter(perMinute: settings.requestsPerMinute, burst: settings.requestsPerMinute / 5),
            strangers: StrangerLimits(
                perAddressPerMinute: settings.strangerRequestsPerMinute,
                togetherPerMinute: settings.strangersPerMinute
            )
        )
        FederationRoutes(node: node, settings: settings, authenticator: authenticator, metrics: metrics).register(
            on: json
        )
        Open311Routes(
            gateway: Open311Gateway(node: node),
            limiter: RateLimiter(perMinute: 120, burst: 30),
            media: settings.mediaFetcher
        ).register(on: router)
        let forms = FormGuard()
        let cache = PageCache(lifetime: settings.pageCacheSeconds)
        let web = WebRoutes(node: node, forms: forms, cache: cache)
        web.register(on: router)
        let formRoutes = FormRoutes(
            node: node,
            forms: forms,
            limiter: RateLimiter(perMinute: settings.formsPerMinute, burst: max(1, settings.formsPerMinute / 2)),
            cache: cache,
            mail: settings.mail
        )
        formRoutes.register(on: router)
        if node.authors {
            MailRoutes(
                node: node,
                settings: settings.mail,
                web: web,
                forms: formRoutes,
                limiter: RateLimiter(perMinute: settings.formsPerMinute, burst: max(1, settings.formsPerMinute / 2))
            ).register(on: router)
        }
        try StaffRoutes(node: node, forms: forms, signInsPerMinute: settings.signInsPerMinute, cache: cache).register(
            on: router
        )
        router.add(middleware: router.methodCheck())
        return built
    }
}
