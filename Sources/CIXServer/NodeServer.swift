import CIXFederation
import CIXNode
import CIXOpen311
import CIXWeb
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// The daemon: one HTTPS listener for every surface, plus the periodic pull from peers.
public enum NodeServer {
    /// TLS 1.2 or later with the node's certificate and key.
    public static func tlsConfiguration(_ settings: ServerSettings) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(settings.certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: settings.keyPath, format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        return tls
    }

    /// The application; `onRunning` receives the bound port (useful with port 0).
    public static func application(
        node: LocalNode, settings: ServerSettings, logger: Logger, metrics: NodeMetrics = NodeMetrics(),
        services: [any Service] = [],
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let router = Router(context: NodeRequestContext.self)
        router.add(middleware: SecurityHeaders(tileOrigin: Site(node: node, names: [:]).tileOrigin))
        FederationRoutes(
            node: node, settings: settings, nonces: NonceCache(),
            limiter: RateLimiter(perMinute: settings.requestsPerMinute, burst: settings.requestsPerMinute / 5),
            strangers: StrangerLimits(
                perAddressPerMinute: settings.strangerRequestsPerMinute, togetherPerMinute: settings.strangersPerMinute),
            metrics: metrics, logger: logger
        ).register(on: router)
        Open311Routes(gateway: Open311Gateway(node: node), limiter: RateLimiter(perMinute: 120, burst: 30)).register(on: router)
        let forms = FormGuard()
        let cache = PageCache(lifetime: settings.pageCacheSeconds)
        WebRoutes(node: node, forms: forms, cache: cache).register(on: router)
        FormRoutes(
            node: node, forms: forms,
            limiter: RateLimiter(perMinute: settings.formsPerMinute, burst: max(1, settings.formsPerMinute / 2)), cache: cache
        ).register(on: router)
        let http = HTTP1Channel.Configuration(idleTimeout: .seconds(settings.idleTimeoutSeconds))
        return Application(
            router: router,
            server: try .tls(.http1(configuration: http), tlsConfiguration: tlsConfiguration(settings)),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "cix"),
            services: services,
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
