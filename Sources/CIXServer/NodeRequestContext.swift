import CIXNode
import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's, plus the peer's
/// address, which the public forms' rate limit is keyed by.
package struct NodeRequestContext: RequestContext, RemoteAddressRequestContext {
    package var coreContext: CoreRequestContextStorage
    package let remoteAddress: SocketAddress?
    /// The language of the pages answered (`LanguageMiddleware`).
    package var language = Language.english
    /// The path and query asked for, without the language parameter.
    package var pagePath = "/"

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address as text, or "unknown".
    var client: String { remoteAddress?.ipAddress ?? "unknown" }
}
