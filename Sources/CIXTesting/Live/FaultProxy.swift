import Foundation
import NIOCore
import NIOPosix

/// A TCP proxy on 127.0.0.1 that stands between two nodes and can cut them
/// apart: `partition()` closes every connection through it and refuses new
/// ones until `heal()`. TLS passes through untouched, so the nodes see each
/// other (or not) exactly as across a broken network.
package final class FaultProxy: @unchecked Sendable {
    // Invariant: `connected` and `isPartitioned` are only touched while `lock` is held.
    private let lock = NSLock()
    private var connected: [any Channel] = []
    private var isPartitioned = false
    private let server: any Channel
    package let port: Int

    private init(server: any Channel, port: Int) {
        self.server = server
        self.port = port
    }

    /// A proxy forwarding to 127.0.0.1:`targetPort`.
    package static func start(to targetPort: Int) async throws -> FaultProxy {
        let group = MultiThreadedEventLoopGroup.singleton
        let box = ProxyBox()
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { inbound in
                guard let proxy = box.proxy, proxy.admit(inbound) else { return inbound.close() }
                inbound.setOption(.autoRead, value: false).whenComplete { _ in }
                return ClientBootstrap(group: inbound.eventLoop)
                    .connect(host: "127.0.0.1", port: targetPort)
                    .flatMap { outbound in
                        proxy.admitOutbound(outbound)
                        let (left, right) = GlueHandler.pair()
                        return inbound.pipeline.addHandler(left).flatMap {
                            outbound.pipeline.addHandler(right)
                        }.flatMap {
                            inbound.setOption(.autoRead, value: true)
                        }
                    }
                    .flatMapError { _ in inbound.close() }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let proxy = FaultProxy(server: server, port: server.localAddress?.port ?? 0)
        box.proxy = proxy
        return proxy
    }

    package var url: String { "https://127.0.0.1:\(port)" }

    /// Cuts every connection and refuses new ones.
    package func partition() {
        let open: [any Channel] = lock.withLock {
            isPartitioned = true
            defer { connected = [] }
            return connected
        }
        for channel in open { channel.close(promise: nil) }
    }

    /// Lets connections through again.
    package func heal() {
        lock.withLock { isPartitioned = false }
    }

    package func stop() async {
        partition()
        try? await server.close()
    }

    func admit(_ channel: any Channel) -> Bool {
        lock.withLock {
            guard !isPartitioned else { return false }
            connected.append(channel)
            return true
        }
    }

    func admitOutbound(_ channel: any Channel) {
        let refused: Bool = lock.withLock {
            if isPartitioned { return true }
            connected.append(channel)
            return false
        }
        if refused { channel.close(promise: nil) }
    }
}

/// Holds the proxy for the channel initializer, which is built before the proxy exists.
private final class ProxyBox: @unchecked Sendable {
    // Invariant: set once, right after the listener is bound, before any connection can use it.
    var proxy: FaultProxy?
}

/// Two handlers that pass each other's bytes on, one in each connection.
private final class GlueHandler: ChannelDuplexHandler, @unchecked Sendable {
    // Invariant: each handler and its partner live on the same event loop (the outbound
    // connection is made on the inbound one's loop), so they are only used on that loop.
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private var partner: GlueHandler?
    private var context: ChannelHandlerContext?

    static func pair() -> (GlueHandler, GlueHandler) {
        let first = GlueHandler()
        let second = GlueHandler()
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partner?.context?.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.context?.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.context?.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
