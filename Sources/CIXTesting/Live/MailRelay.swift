import CIXNode
import Foundation

/// A real SMTP server on 127.0.0.1 for the mail tests: PyPI's aiosmtpd,
/// requiring STARTTLS (with a self-signed certificate) and AUTH PLAIN over
/// it, keeping each message it takes as a JSON file parsed by Python's own
/// `email` package, the way a mail program would read it. It can be stopped
/// and started again on the same port, as a relay that goes down and comes back.
package final class MailRelay: @unchecked Sendable {
    package static let username = "cix"
    package static let password = "relay-secret"

    /// A message as the relay received it.
    package struct Received: Sendable, Decodable {
        package let mailFrom: String
        package let rcptTos: [String]
        package let from: String
        package let to: String
        package let subject: String
        package let text: String
        package let headers: [[String]]
        package let raw: String

        enum CodingKeys: String, CodingKey {
            case mailFrom = "mail_from"
            case rcptTos = "rcpt_tos"
            case from, to, subject, text, headers, raw
        }

        package func header(_ name: String) -> String? {
            headers.first { $0.first?.lowercased() == name.lowercased() }.flatMap { $0.count > 1 ? $0[1] : nil }
        }

        /// The first link in the text starting with `prefix`.
        package func link(startingWith prefix: String) -> String? {
            text.split(whereSeparator: \.isWhitespace).map(String.init).first { $0.hasPrefix(prefix) }
        }
    }

    package let port: Int
    package let folder: URL
    /// The relay's certificate, for `[mail] ca_file`.
    package let caPEM: String
    let startTLS: Bool
    // Invariant: touched only by the test that owns the relay.
    var process: Process?

    init(port: Int, folder: URL, caPEM: String, startTLS: Bool) {
        self.port = port
        self.folder = folder
        self.caPEM = caPEM
        self.startTLS = startTLS
    }

    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Starts a relay; nil if aiosmtpd is not installed (`.ci/setup` installs it).
    /// `startTLS: false` makes one that offers no STARTTLS (and no AUTH).
    package static func start(in directory: TemporaryDirectory, startTLS: Bool = true) async throws -> MailRelay? {
        let probe = try await Process.runTool("python3", ["-c", "import aiosmtpd"])
        guard probe.status == 0 else { return nil }
        let folder = directory.file("relay-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("inbox"),
            withIntermediateDirectories: true
        )
        let (certificate, key) = try SelfSignedCertificate.make(commonName: "relay", host: "127.0.0.1", now: Date())
        try Data(certificate.utf8).write(to: folder.appendingPathComponent("cert.pem"))
        try Data(key.utf8).write(to: folder.appendingPathComponent("key.pem"))
        try Data(script.utf8).write(to: folder.appendingPathComponent("relay.py"))
        for attempt in 0..<5 {
            let relay = MailRelay(
                port: 20_000 + Int.random(in: 0..<20_000) + attempt,
                folder: folder,
                caPEM: certificate,
                startTLS: startTLS
            )
            if try await relay.resume() { return relay }
        }
        throw TestFailure("aiosmtpd did not start")
    }

    /// Starts the relay again on its port; false if it could not.
    @discardableResult
    package func resume() async throws -> Bool {
        let ready = folder.appendingPathComponent("ready")
        try? FileManager.default.removeItem(at: ready)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", folder.appendingPathComponent("relay.py").path, folder.path, String(port), startTLS ? "1" : "0",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 where process.isRunning {
            if FileManager.default.fileExists(atPath: ready.path) {
                self.process = process
                return true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        await process.exit()
        return false
    }

    /// Stops the relay: connections to its port are refused until `resume`. (SIGKILL: a test
    /// process may ignore SIGTERM, and a child inherits that.)
    package func stop() async {
        guard let process else { return }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        await process.exit()
        self.process = nil
    }

    /// Messages taken so far, oldest first.
    package func received() throws -> [Received] {
        let inbox = folder.appendingPathComponent("inbox")
        let names = try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { $0.hasSuffix(".json") }
            .sorted()
        return try names.map {
            try JSONDecoder().decode(Received.self, from: Data(contentsOf: inbox.appendingPathComponent($0)))
        }
    }

    /// Waits (up to `seconds`) until at least `count` messages have arrived; returns them all.
    package func waitForMessages(_ count: Int, seconds: Int = 20) async throws -> [Received] {
        for _ in 0..<(seconds * 10) {
            let messages = try received()
            if messages.count >= count { return messages }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try received()
    }

    /// `[mail]` for a node handing its mail to this relay (the certificate written to `ca_file`).
    package func toml(nodeFolder: URL, perAddressPerHour: Int = 20) throws -> String {
        let ca = folder.appendingPathComponent("cert.pem").path
        let password = folder.appendingPathComponent("password")
        try Data((Self.password + "\n").utf8).write(to: password)
        return """
            [mail]
            relay = "127.0.0.1:\(port)"
            from = "reports@greenfield.example"
            from_name = "Greenfield reports"
            security = "\(startTLS ? "starttls" : "none")"
            \(startTLS ? "username = \"\(Self.username)\"\npassword_file = \"\(password.path)\"" : "")
            ca_file = "\(ca)"
            per_address_per_hour = \(perAddressPerHour)
            """
    }

    static let script = #"""
        import asyncio, json, os, signal, ssl, sys, time
        from email import policy
        from email.parser import BytesParser
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword

        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        folder, port, starttls = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"

        class Inbox:
            async def handle_DATA(self, server, session, envelope):
                message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
                record = {
                    "mail_from": envelope.mail_from,
                    "rcpt_tos": envelope.rcpt_tos,
                    "from": str(message["From"]),
                    "to": str(message["To"]),
                    "subject": str(message["Subject"]),
                    "text": message.get_content(),
                    "headers": [[k, str(v)] for k, v in message.items()],
                    "raw": envelope.original_content.decode("ascii", "replace"),
                }
                name = os.path.join(folder, "inbox", "%020d.json" % time.time_ns())
                with open(name + ".tmp", "w") as out:
                    json.dump(record, out)
                os.rename(name + ".tmp", name)
                return "250 OK kept"

        def authenticate(server, session, envelope, mechanism, data):
            good = isinstance(data, LoginPassword) and data.login == b"cix" and data.password == b"relay-secret"
            return AuthResult(success=good)

        options = {}
        if starttls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem"))
            options = dict(tls_context=context, require_starttls=True, authenticator=authenticate, auth_require_tls=True)
        controller = Controller(Inbox(), hostname="127.0.0.1", port=port, **options)
        controller.start()
        open(os.path.join(folder, "ready"), "w").close()
        try:
            while True:
                time.sleep(3600)
        finally:
            controller.stop()
        """#
}
