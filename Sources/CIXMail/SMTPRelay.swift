/// Where and how the node hands its mail over: the `[mail]` relay.
package struct SMTPRelay: Sendable {
    /// How the connection is protected.
    package enum Security: String, Sendable, CaseIterable {
        /// Plain connection upgraded with STARTTLS before anything is sent (port 587); refused if the relay does not offer it.
        case starttls
        /// TLS from the first byte (port 465).
        case tls
        /// No TLS: only for a relay on this machine (a loopback address), such as a local Postfix.
        case none
    }

    package var host: String
    package var port: Int
    package var security: Security
    /// AUTH PLAIN credentials, sent only over TLS (or to a loopback relay).
    package var username: String?
    package var password: String?
    /// PEM certificates trusted for the relay's TLS, instead of the system's.
    package var trustedPEM: String?
    /// The name this node gives in EHLO.
    package var heloName: String

    package init(
        host: String,
        port: Int,
        security: Security,
        username: String? = nil,
        password: String? = nil,
        trustedPEM: String? = nil,
        heloName: String
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.trustedPEM = trustedPEM
        self.heloName = heloName
    }

    /// Whether the relay is on this machine (where a plain connection leaves nothing exposed).
    package var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
