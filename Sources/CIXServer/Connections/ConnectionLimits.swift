/// How long and how many: the limits every connection to a listener lives by.
///
/// Defaults are safe for a node on the public internet; `[server]` in
/// cix.toml changes them (`deploy/*.toml` explains each).
package struct ConnectionLimits: Sendable, Equatable {
    /// Open connections at most, all clients together.
    package var maxConnections = 8_192
    /// Open connections at most from one client address.
    package var maxPerAddress = 256
    /// Seconds from accepting a connection to a complete first request head
    /// (TLS handshake included): a client that connects and says nothing is closed.
    package var headSeconds: Int64 = 10
    /// Seconds a kept-alive connection may wait for its next request head.
    package var keepAliveSeconds: Int64 = 30
    /// Least average rate, in bytes a second, at which a request body must
    /// arrive once its first 5 seconds are over.
    package var minBodyBytesPerSecond = 1_024
    /// Seconds a request body may take at most, however fast.
    package var bodySeconds: Int64 = 300
    /// Connections waiting to be accepted by the kernel.
    package var backlog = 1_024

    package init() {}
}
