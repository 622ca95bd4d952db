import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection that is too slow to be a client: no complete request
/// head within `headSeconds` of connecting (the TLS handshake included) or
/// `keepAliveSeconds` after the last answer, or a request body that arrives
/// slower than `minBodyBytesPerSecond` or for longer than `bodySeconds`.
/// Also counts the connection in and out of its listener's `ConnectionGuard`.
///
/// One per connection, after HTTP decoding; checks itself once a second.
package final class ConnectionDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    package typealias InboundIn = HTTPRequestPart
    package typealias InboundOut = HTTPRequestPart
    package typealias OutboundIn = HTTPResponsePart
    package typealias OutboundOut = HTTPResponsePart

    enum Phase {
        /// Waiting for a request head since `since`; `first` until the first one.
        case awaitingHead(since: NIODeadline, first: Bool)
        case readingBody(since: NIODeadline, bytes: Int)
        /// The request is in; the answer is being made.
        case answering
    }

    let limits: ConnectionLimits
    let connections: ConnectionGuard
    var phase = Phase.awaitingHead(since: .now(), first: true)
    var checks: RepeatedTask?
    var admitted = false

    package init(limits: ConnectionLimits, connections: ConnectionGuard) {
        self.limits = limits
        self.connections = connections
    }

    package func handlerAdded(context: ChannelHandlerContext) {
        guard connections.admit(context.channel) else {
            context.close(promise: nil)
            return
        }
        admitted = true
        phase = .awaitingHead(since: .now(), first: true)
        checks = context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) {
            [weak self] _ in
            self?.check(context)
        }
    }

    package func handlerRemoved(context: ChannelHandlerContext) {
        stop(context)
    }

    package func channelInactive(context: ChannelHandlerContext) {
        stop(context)
        context.fireChannelInactive()
    }

    func stop(_ context: ChannelHandlerContext) {
        checks?.cancel()
        checks = nil
        if admitted {
            connections.release(context.channel)
            admitted = false
        }
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: phase = .readingBody(since: .now(), bytes: 0)
        case .body(let buffer):
            if case .readingBody(let since, let bytes) = phase {
                phase = .readingBody(since: since, bytes: bytes + buffer.readableBytes)
            }
        case .end: phase = .answering
        }
        context.fireChannelRead(data)
    }

    package func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), case .answering = phase {
            phase = .awaitingHead(since: .now(), first: false)
        }
        context.write(data, promise: promise)
    }

    /// Closes the connection if it has fallen behind what its phase allows.
    func check(_ context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        switch phase {
        case .awaitingHead(let since, let first):
            let allowed = first ? limits.headSeconds : limits.keepAliveSeconds
            if now - since > .seconds(allowed) { context.close(promise: nil) }
        case .readingBody(let since, let bytes):
            let elapsed = now - since
            let slow =
                elapsed > .seconds(5)
                && Int64(bytes) < Int64(limits.minBodyBytesPerSecond) * (elapsed.nanoseconds / 1_000_000_000)
            if slow || elapsed > .seconds(limits.bodySeconds) { context.close(promise: nil) }
        case .answering:
            break
        }
    }
}
