import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import JWTKit
import Logging
import NIOCore
import NIOHTTP1

/// The claims of an ID token as a test wants them, right or wrong.
package struct ForgedClaims: JWTPayload, Equatable {
    package var iss: String
    package var sub: String?
    package var aud: [String]
    package var exp: Int
    package var iat: Int
    package var nonce: String?
    package var azp: String?
    package var name: String?
    package var preferred_username: String?
    package var groups: [String]?

    /// Good claims for `audience`, issued now, valid for five minutes.
    package init(issuer: String, audience: String, subject: String = "alice-1234", nonce: String?, groups: [String]) {
        let now = Int(Date().timeIntervalSince1970)
        iss = issuer
        sub = subject
        aud = [audience]
        exp = now + 300
        iat = now
        self.nonce = nonce
        name = "Alice Example"
        preferred_username = "alice"
        self.groups = groups
    }

    package func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Signs ID tokens with a key it publishes, or with one it does not, or with none.
package struct TokenForger: Sendable {
    package enum Signing: Sendable, Equatable {
        /// The published key, with its kid.
        case published
        /// A key the JWKS does not list, under a kid it does not list.
        case unpublished
        /// A key the JWKS does not list, under the published key's kid.
        case impostor
        /// `alg: none`, no signature.
        case none
    }

    let published = ES256PrivateKey()
    let stranger = ES256PrivateKey()
    package static let kid = "published-1"

    package init() {}

    /// The JWKS a provider serves: the published key only.
    package var jwks: String {
        let parameters = published.publicKey.parameters
        return """
            {"keys":[{"kty":"EC","crv":"P-256","alg":"ES256","use":"sig","kid":"\(Self.kid)","x":"\(parameters?.x ?? "")","y":"\(parameters?.y ?? "")"}]}
            """
    }

    package func token(_ claims: ForgedClaims, signing: Signing = .published) async throws -> String {
        switch signing {
        case .published:
            return try await JWTKeyCollection().add(ecdsa: published, kid: JWKIdentifier(string: Self.kid))
                .sign(claims, kid: JWKIdentifier(string: Self.kid))
        case .unpublished:
            return try await JWTKeyCollection().add(ecdsa: stranger, kid: "unlisted-9").sign(claims, kid: "unlisted-9")
        case .impostor:
            return try await JWTKeyCollection().add(ecdsa: stranger, kid: JWKIdentifier(string: Self.kid))
                .sign(claims, kid: JWKIdentifier(string: Self.kid))
        case .none:
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let header = Self.base64url(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
            return "\(header).\(Self.base64url(Array(try encoder.encode(claims))))."
        }
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

/// An OpenID provider on 127.0.0.1 (plain HTTP) that signs in at once whoever
/// asks and hands out, at its token endpoint, whatever token `forge` makes of
/// the sign-in's nonce: for the tests of what a node must refuse.
package struct ForgingProvider: Sendable {
    package let port: Int
    package let forger: TokenForger
    let task: Task<Void, any Error>

    package var issuer: String { "http://127.0.0.1:\(port)" }

    /// Nonces by authorization code, as the authorize step saw them.
    final class Codes: @unchecked Sendable {
        // Invariant: `nonces` is only touched while `lock` is held.
        private let lock = NSLock()
        private var nonces: [String: String] = [:]
        func put(_ code: String, _ nonce: String) { lock.withLock { nonces[code] = nonce } }
        func take(_ code: String) -> String? { lock.withLock { nonces.removeValue(forKey: code) } }
    }

    package static func start(
        forge: @escaping @Sendable (_ issuer: String, _ nonce: String, _ forger: TokenForger) async throws -> String
    ) async throws -> ForgingProvider {
        let forger = TokenForger()
        let codes = Codes()
        let issuerBox = IssuerBox()
        let router = Router()
        router.get("/.well-known/openid-configuration") { _, _ -> Response in
            let issuer = issuerBox.value
            return Self.json(
                """
                {"issuer":"\(issuer)","authorization_endpoint":"\(issuer)/authorize","token_endpoint":"\(issuer)/token","jwks_uri":"\(issuer)/jwks","response_types_supported":["code"],"id_token_signing_alg_values_supported":["ES256"],"subject_types_supported":["public"]}
                """
            )
        }
        router.get("/jwks") { _, _ -> Response in Self.json(forger.jwks) }
        router.get("/authorize") { request, _ -> Response in
            let query = request.uri.queryParameters
            let code = UUID().uuidString
            codes.put(code, query["nonce"].map(String.init) ?? "")
            let back = "\(query["redirect_uri"] ?? "")?code=\(code)&state=\(query["state"] ?? "")"
            return Response(status: .found, headers: [.location: back])
        }
        router.post("/token") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 64 * 1024)
            let form = String(buffer: body).split(separator: "&").reduce(into: [String: String]()) { fields, pair in
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { fields[parts[0]] = parts[1].removingPercentEncoding ?? parts[1] }
            }
            guard let code = form["code"], let nonce = codes.take(code) else {
                return Self.json(#"{"error":"invalid_grant"}"#, status: .badRequest)
            }
            let token = try await forge(issuerBox.value, nonce, forger)
            return Self.json(#"{"access_token":"unused","token_type":"Bearer","id_token":"\#(token)"}"#)
        }
        let (port, task) = try await LoopbackServer.start(router, name: "forging provider")
        issuerBox.set("http://127.0.0.1:\(port)")
        return ForgingProvider(port: port, forger: forger, task: task)
    }

    final class IssuerBox: @unchecked Sendable {
        // Invariant: `stored` is only touched while `lock` is held.
        private let lock = NSLock()
        private var stored = ""
        var value: String { lock.withLock { stored } }
        func set(_ value: String) { lock.withLock { stored = value } }
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    /// The browser at the provider: signed in at once, sent back; the address it is sent back to.
    package func authorize(_ location: String) async throws -> String {
        let answer = try await MockOpenIDProvider.plainRequest(.GET, location)
        guard answer.status == 302, let back = answer.location else {
            throw TestFailure("the forging provider answered \(answer.status): \(answer.text.prefix(300))")
        }
        return back
    }

    package func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// PyPI's `oidc-provider-mock`, a real OpenID provider (authlib), run on a
/// free loopback port for the duration of a test.
package struct MockOpenIDProvider: Sendable {
    package let port: Int
    let process: Process

    package var issuer: String { "http://127.0.0.1:\(port)" }

    /// Starts the provider; nil if `oidc-provider-mock` is not installed (`.ci/setup` installs it).
    package static func start() async throws -> MockOpenIDProvider? {
        guard let executable = Self.find("oidc-provider-mock") else { return nil }
        for attempt in 0..<5 {
            let port = 20_000 + Int.random(in: 0..<20_000) + attempt
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["--host", "127.0.0.1", "--port", String(port), "--require-nonce", "true"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let provider = MockOpenIDProvider(port: port, process: process)
            for _ in 0..<100 where process.isRunning {
                if let answer = try? await provider.request(
                    .GET,
                    "\(provider.issuer)/.well-known/openid-configuration"
                ),
                    answer.status == 200
                {
                    return provider
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            provider.stop()
        }
        throw TestFailure("oidc-provider-mock did not start")
    }

    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Sets the claims the provider gives `subject` (beside `sub`).
    package func setUser(_ subject: String, claims: String) async throws {
        let answer = try await request(.PUT, "\(issuer)/users/\(subject)", body: claims, type: "application/json")
        guard answer.status == 204 else { throw TestFailure("setting user \(subject): HTTP \(answer.status)") }
    }

    /// The person `subject` signs in at the authorization address the node sent the browser to;
    /// the address the provider sends the browser back to.
    package func authorize(_ location: String, as subject: String) async throws -> String {
        let form = try await request(.GET, location)
        guard form.status == 200 else {
            throw TestFailure("the authorization page answered \(form.status): \(form.text)")
        }
        let answer = try await request(
            .POST,
            location,
            body: "sub=\(subject)",
            type: "application/x-www-form-urlencoded"
        )
        guard answer.status == 302, let back = answer.location else {
            throw TestFailure("authorizing \(subject) answered \(answer.status): \(answer.text.prefix(300))")
        }
        return back
    }

    struct Answer {
        let status: Int
        let location: String?
        let text: String
    }

    func request(_ method: HTTPMethod, _ url: String, body: String? = nil, type: String? = nil) async throws -> Answer {
        try await Self.plainRequest(method, url, body: body, type: type)
    }

    /// One plain-HTTP request to a loopback provider, redirects not followed.
    static func plainRequest(
        _ method: HTTPMethod,
        _ url: String,
        body: String? = nil,
        type: String? = nil
    ) async throws -> Answer {
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(
                redirectConfiguration: .disallow,
                timeout: .init(connect: .seconds(2), read: .seconds(10))
            )
        )
        do {
            var request = HTTPClientRequest(url: url)
            request.method = method
            if let body { request.body = .bytes(ByteBuffer(string: body)) }
            if let type { request.headers.add(name: "Content-Type", value: type) }
            let response = try await client.execute(request, timeout: .seconds(10))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            try await client.shutdown()
            return Answer(
                status: Int(response.status.code),
                location: response.headers.first(name: "location"),
                text: String(buffer: bytes)
            )
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Kills the provider: it keeps nothing worth a clean shutdown, and its server does not stop on
    /// SIGTERM. Polled, not `waitUntilExit`, which spins off the main thread here.
    package func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for _ in 0..<50 where process.isRunning { usleep(100_000) }
    }
}
