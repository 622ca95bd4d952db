import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A small SMTP client (RFC 5321) for the node's own notices: one session
/// per batch, STARTTLS (RFC 3207) or implicit TLS, AUTH PLAIN (RFC 4616)
/// only over TLS, and a deadline on the whole session so that a relay that
/// trickles or stalls costs a bounded time. Replies are read line by line
/// with limits on their length and number.
package struct SMTPClient: Sendable {
    /// One message to deliver: envelope and the rendered message.
    package struct Outgoing: Sendable {
        package let from: MailAddress
        package let to: MailAddress
        package let bytes: [UInt8]

        package init(from: MailAddress, to: MailAddress, bytes: [UInt8]) {
            self.from = from
            self.to = to
            self.bytes = bytes
        }
    }

    let relay: SMTPRelay
    /// Seconds allowed for connecting and the greeting, and again for each message.
    let stepSeconds: Int64

    package init(relay: SMTPRelay, stepSeconds: Int64 = 30) {
        self.relay = relay
        self.stepSeconds = stepSeconds
    }

    /// Delivers `batch` in one session; the result of each message, in order. A failure to reach or
    /// greet the relay (or to start TLS, or to sign in) is the result of every message, and always
    /// transient: only a refusal of one message (5xx to its sender, recipient or text) is final.
    package func deliver(_ batch: [Outgoing]) async -> [Result<Void, MailError>] {
        guard !batch.isEmpty else { return [] }
        let progress = SessionProgress()
        do {
            let channel = try await connect()
            let deadline = channel.channel.eventLoop.scheduleTask(
                in: .seconds(stepSeconds * Int64(batch.count + 1))
            ) { channel.channel.close(promise: nil) }
            defer { deadline.cancel() }
            let relay = self.relay
            try await channel.executeThenClose { inbound, outbound in
                var session = SMTPSession(
                    replies: SMTPReplyReader(inbound.makeAsyncIterator()),
                    outbound: outbound,
                    channel: channel.channel
                )
                do throws(MailError) {
                    try await session.open(relay)
                } catch {
                    // A relay that refuses the node itself (no STARTTLS, a wrong password) is a setting to
                    // fix, not a fault of the mail: it waits, and goes once the relay or the settings are right.
                    throw error.isTransient ? error : MailError(.temporary, error.message)
                }
                for outgoing in batch {
                    do throws(MailError) {
                        try await session.send(outgoing)
                        progress.results.append(.success(()))
                    } catch  where error.code == .unreachable {
                        throw error
                    } catch {
                        progress.results.append(.failure(error))
                        try await session.reset()
                    }
                }
                try? await session.quit()
            }
        } catch {
            let failure =
                (error as? MailError) ?? MailError(.unreachable, "the relay \(relay.host):\(relay.port): \(error)")
            progress.results += Array(repeating: .failure(failure), count: batch.count - progress.results.count)
        }
        return progress.results
    }

    func connect() async throws(MailError) -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        let tls = relay.security == .tls ? try tlsContext() : nil
        let host = relay.host
        do {
            return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(stepSeconds))
                .connect(host: relay.host, port: relay.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tls, serverHostname: Self.serverName(host))
                            )
                        }
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw MailError(.unreachable, "cannot reach the mail relay \(relay.host):\(relay.port): \(error)")
        }
    }

    func tlsContext() throws(MailError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        do {
            if let pem = relay.trustedPEM {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))
            }
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw MailError(.refused, "the mail relay's TLS settings are unusable: \(error)")
        }
    }

    /// SNI takes a host name, not an address.
    static func serverName(_ host: String) -> String? {
        host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
    }
}

/// The results of a session so far, kept outside it so that a broken connection keeps them.
final class SessionProgress: @unchecked Sendable {
    var results: [Result<Void, MailError>] = []
}

/// The conversation itself, one command and one reply at a time.
struct SMTPSession {
    var replies: SMTPReplyReader
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let channel: any Channel
    var secured = false

    mutating func open(_ relay: SMTPRelay) async throws(MailError) {
        secured = relay.security == .tls
        try await expect(220, after: nil, doing: "greeting")
        var offered = try await hello(relay.heloName)
        if relay.security == .starttls {
            guard offered.contains("STARTTLS") else {
                throw MailError(
                    .refused,
                    "the mail relay \(relay.host) does not offer STARTTLS ([mail] security = \"starttls\")"
                )
            }
            try await expect(220, after: "STARTTLS", doing: "STARTTLS")
            let context = try SMTPClient(relay: relay).tlsContext()
            let name = SMTPClient.serverName(relay.host)
            let channel = self.channel
            do {
                try await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: context, serverHostname: name),
                        position: .first
                    )
                }.get()
            } catch {
                throw MailError(.unreachable, "could not start TLS with the mail relay: \(error)")
            }
            secured = true
            offered = try await hello(relay.heloName)
        }
        if let username = relay.username, let password = relay.password {
            guard secured || relay.isLoopback else {
                throw MailError(.refused, "not sending the relay password without TLS")
            }
            guard offered.contains("AUTH") else {
                throw MailError(
                    .refused,
                    "the mail relay \(relay.host) does not offer AUTH, but [mail] username is set"
                )
            }
            let token = Data(([0] + Array(username.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            try await expect(235, after: "AUTH PLAIN \(token)", doing: "signing in", shown: "AUTH PLAIN …")
        }
    }

    /// EHLO; the capability keywords offered, upper-cased.
    mutating func hello(_ name: String) async throws(MailError) -> Set<String> {
        let reply = try await command("EHLO \(name)", doing: "EHLO")
        guard reply.code == 250 else { throw reply.failure(doing: "EHLO") }
        return Set(reply.lines.dropFirst().compactMap { $0.split(separator: " ").first.map { $0.uppercased() } })
    }

    mutating func send(_ outgoing: SMTPClient.Outgoing) async throws(MailError) {
        try await expect(250, after: "MAIL FROM:<\(outgoing.from.text)>", doing: "MAIL FROM")
        let recipient = try await command("RCPT TO:<\(outgoing.to.text)>", doing: "RCPT TO")
        guard recipient.code == 250 || recipient.code == 251 else { throw recipient.failure(doing: "RCPT TO") }
        try await expect(354, after: "DATA", doing: "DATA")
        try await write(Self.dotStuffed(outgoing.bytes) + Array(".\r\n".utf8))
        try await expect(250, after: nil, doing: "the end of the message")
    }

    mutating func reset() async throws(MailError) {
        try await expect(250, after: "RSET", doing: "RSET")
    }

    mutating func quit() async throws(MailError) {
        _ = try await command("QUIT", doing: "QUIT")
    }

    mutating func expect(
        _ code: Int,
        after line: String?,
        doing step: String,
        shown: String? = nil
    ) async throws(MailError) {
        let reply = try await command(line, doing: step)
        guard reply.code == code else { throw reply.failure(doing: shown ?? step) }
    }

    mutating func command(_ line: String?, doing step: String) async throws(MailError) -> SMTPReply {
        if let line { try await write(Array((line + "\r\n").utf8)) }
        return try await replies.next(doing: step)
    }

    func write(_ bytes: [UInt8]) async throws(MailError) {
        do {
            try await outbound.write(ByteBuffer(bytes: bytes))
        } catch {
            throw MailError(.unreachable, "the mail relay closed the connection: \(error)")
        }
    }

    /// RFC 5321 §4.5.2: a line that begins with a period gets one more; the text ends with CRLF.
    static func dotStuffed(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var lineStart = true
        for byte in bytes {
            if lineStart && byte == UInt8(ascii: ".") { out.append(byte) }
            out.append(byte)
            lineStart = byte == 0x0A
        }
        if !lineStart { out += [0x0D, 0x0A] }
        return out
    }
}
