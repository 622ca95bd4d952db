import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's, plus the peer's
/// address, which the public forms' rate limit is keyed by.
package struct NodeRequestContext: RequestContext, RemoteAddressRequestContext {
    package var coreContext: CoreRequestContextStorage
    package let remoteAddress: SocketAddress?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address as text, or "unknown".
    var client: String { remoteAddress?.ipAddress ?? "unknown" }
}
