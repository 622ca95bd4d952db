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
/// that run beside it (push, pull, checkpoints). `cix serve` runs it; the
/// tests build it too, in-process (`Transport.plain`) or over TLS.
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
        let http = HTTP1Channel.Configuration(idleTimeout: .seconds(settings.idleTimeoutSeconds))
        let server: HTTPServerBuilder =
            switch transport {
            case .tls: try .tls(.http1(configuration: http), tlsConfiguration: tlsConfiguration(settings))
            case .plain: .http1(configuration: http)
            }
        return Application(
            router: NodeRouter.build(node: node, settings: settings, metrics: metrics),
            server: server,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "cix"),
            services: runsServices ? services(node: node, settings: settings, logger: logger, metrics: metrics) : [],
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
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
        var services: [any Service] = [
            PullService(node: node, interval: settings.pullInterval, logger: logger, metrics: metrics),
            CheckpointService(node: node, logger: logger),
        ]
        if node.authors { services.append(PushService(node: node, logger: logger, metrics: metrics)) }
        return services
    }

    /// TLS 1.2 or later with the node's certificate and key.
    package static func tlsConfiguration(_ settings: ServerSettings) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(settings.certificatePath).map {
            NIOSSLCertificateSource.certificate($0)
        }
        let key = try NIOSSLPrivateKey(file: settings.keyPath, format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        return tls
    }
}
