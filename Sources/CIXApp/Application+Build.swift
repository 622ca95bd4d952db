import CIXFederation
import CIXNode
import CIXOpen311
import CIXServer
import CIXWeb
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// The daemon, assembled: one listener for every surface, and the services
/// that run beside it (push, pull, checkpoints, an optional listener for
/// monitors). `cix serve` runs it; the tests build it too, in-process
/// (`Transport.plain`) or over TLS.
package enum NodeApplication {
    /// How the listener speaks.
    package enum Transport: Sendable {
        /// TLS 1.2 or later with the node's certificate: what `cix serve` runs.
        case tls
        /// Plain HTTP/1.1, for in-process tests where TLS is not what is tested.
        case plain
    }

    /// The application: router, server and services. `onRunning` receives the bound port (useful with port 0).
    package static func build(
        node: LocalNode,
        settings: ServerSettings,
        logger: Logger,
        metrics: NodeMetrics = NodeMetrics(),
        transport: Transport = .tls,
        runsServices: Bool = true,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let limits = settings.connections
        let connections = ConnectionGuard(limits: limits)
        let server: HTTPServerBuilder =
            switch transport {
            case .tls:
                try .tls(.http1(configuration: http(limits, connections)), tlsConfiguration: tlsConfiguration(settings))
            case .plain: .http1(configuration: http(limits, connections))
            }
        var services = runsServices ? services(node: node, settings: settings, logger: logger, metrics: metrics) : []
        if let health = settings.healthListen {
            services.append(healthListener(node: node, at: health, metrics: metrics, logger: logger))
        }
        return Application(
            router: try NodeRouter.build(node: node, settings: settings, metrics: metrics, connections: connections),
            server: server,
            configuration: .init(
                address: .hostname(settings.host, port: settings.port),
                serverName: "cix",
                backlog: limits.backlog
            ),
            services: services,
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    /// HTTP/1.1 with the connection deadlines and counts of `limits`.
    static func http(_ limits: ConnectionLimits, _ connections: ConnectionGuard) -> HTTP1Channel.Configuration {
        HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionDeadlines(limits: limits, connections: connections)],
            idleTimeout: .seconds(limits.keepAliveSeconds + 1)
        )
    }

    /// What runs beside the listener: pushes to peers (not on a mirror, which
    /// authors nothing and whose bodies pull from each other), periodic pulls,
    /// and background WAL checkpoints.
    package static func services(
        node: LocalNode,
        settings: ServerSettings,
        logger: Logger,
        metrics: NodeMetrics
    )
        -> [any Service]
    {
        // A daemon in front of a replica only reads: its primary's daemons pull and keep house.
        guard !node.readsReplica else { return [CheckpointService(node: node, logger: logger)] }
        var services: [any Service] = [
            PullService(
                node: node,
                interval: settings.pullInterval,
                logger: logger,
                metrics: metrics,
                chase: settings.parentChase
            ),
            CheckpointService(node: node, logger: logger),
            UpkeepService(node: node, logger: logger, metrics: metrics),
        ]
        if node.authors {
            services.append(PushService(node: node, logger: logger, metrics: metrics))
            services.append(ContactSharingService(node: node, logger: logger))
            if !(node.config.external ?? []).isEmpty { services.append(BridgeService(node: node, logger: logger)) }
        }
        if let mail = settings.mail, node.authors {
            services.append(
                MailService(
                    node: node,
                    settings: mail,
                    interval: settings.mailInterval,
                    logger: logger,
                    metrics: metrics
                )
            )
        }
        return services
    }

    /// The plain-HTTP listener for monitors: /healthz and /metrics only, with connection slots of its own,
    /// so that it answers however crowded the public listener is.
    static func healthListener(
        node: LocalNode,
        at address: (host: String, port: Int),
        metrics: NodeMetrics,
        logger: Logger
    ) -> any Service {
        var limits = ConnectionLimits()
        limits.maxConnections = 64
        limits.maxPerAddress = 16
        let connections = ConnectionGuard(limits: limits)
        let router = Router(context: NodeRequestContext.self)
        router.add(middleware: JSONFailureMiddleware<NodeRequestContext>())
        NodeRoutes(node: node, metrics: metrics, connections: connections).register(on: router)
        return Application(
            router: router,
            server: .http1(configuration: http(limits, connections)),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "cix-health"),
            logger: logger
        )
    }

    /// TLS 1.2 or later with the node's certificate and key; in TLS 1.2 only
    /// forward-secret AEAD suites (`TLSSuites`; TLS 1.3 has no others).
    package static func tlsConfiguration(_ settings: ServerSettings) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(settings.certificatePath).map {
            NIOSSLCertificateSource.certificate($0)
        }
        let key = try NIOSSLPrivateKey(file: settings.keyPath, format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        tls.cipherSuites = TLSSuites.tls12
        return tls
    }
}
