import CIXMail
import Foundation

/// `[mail]` checked and resolved: the relay, the sender, the rates, and the
/// address residents' links point at. A bad setting stops the node at start,
/// naming the key, rather than failing on the first mail.
package struct MailSettings: Sendable {
    package let relay: SMTPRelay
    package let from: MailAddress
    package let fromName: String
    /// Mails a minute, all recipients together.
    package let perMinute: Int
    /// Mails an hour to one address; more wait in the outbox.
    package let perAddressPerHour: Int
    /// The node's public base URL (`[node] url`), for links in mails.
    package let siteURL: String

    /// The settings of `node`, or nil when it has no `[mail]` (then no mail is offered or sent).
    package static func of(_ node: LocalNode) throws(NodeError) -> MailSettings? {
        guard let mail = node.config.mail else { return nil }
        return try MailSettings(mail, node: node)
    }

    init(_ mail: NodeConfig.Mail, node: LocalNode) throws(NodeError) {
        func bad(_ message: String) -> NodeError { NodeError(.badConfig, "[mail] \(message)") }
        let (host, port) = try NodeConfig.address(mail.relay, key: "[mail] relay")
        guard port > 0 else { throw bad("relay needs a port, such as smtp.example.org:587") }
        guard let security = SMTPRelay.Security(rawValue: mail.security ?? "starttls") else {
            throw bad("security must be starttls, tls or none, not \(mail.security ?? "")")
        }
        func read(_ file: String, _ key: String) throws(NodeError) -> String {
            let url = node.directory.file(file)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw bad("\(key): cannot read \(url.path)")
            }
            return text
        }
        var relay = SMTPRelay(
            host: host,
            port: port,
            security: security,
            heloName: URL(string: node.config.node.url)?.host ?? "localhost"
        )
        guard security != .none || relay.isLoopback else {
            throw bad("security = \"none\" is only for a relay at a loopback address; \(host) needs starttls or tls")
        }
        if let username = mail.username {
            guard let file = mail.password_file else { throw bad("username is set, so password_file must be too") }
            relay.username = username
            relay.password = try read(file, "password_file").trimmingCharacters(in: .newlines)
        }
        if let file = mail.ca_file { relay.trustedPEM = try read(file, "ca_file") }
        self.relay = relay
        do {
            from = try MailAddress(mail.from)
        } catch {
            throw bad("from: \(error.message)")
        }
        fromName = mail.from_name ?? node.config.node.name
        guard !fromName.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw bad("from_name must be on one line")
        }
        perMinute = mail.per_minute ?? 60
        perAddressPerHour = mail.per_address_per_hour ?? 20
        guard (1...10_000).contains(perMinute) else { throw bad("per_minute must be 1 to 10000") }
        guard (1...1_000).contains(perAddressPerHour) else { throw bad("per_address_per_hour must be 1 to 1000") }
        siteURL = node.config.node.url.hasSuffix("/") ? String(node.config.node.url.dropLast()) : node.config.node.url
    }
}
