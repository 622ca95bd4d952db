import AsyncHTTPClient
import CIXCore
import CIXFederation
import CIXNode
import CIXStaff
import Crypto
import Foundation
import JWTKit
import NIOCore
import NIOHTTP1

/// The relying party of OpenID Connect's authorization code flow with PKCE,
/// against the one provider `[staff.openid]` names: discovery, the redirect
/// out (state, nonce, S256 code challenge, bound to the browser by a cookie),
/// and on the way back the code exchanged at the token endpoint and the ID
/// token checked against the provider's JWKS. Each sign-in's state is taken
/// once, so a replayed callback is refused.
actor OpenIDClient {
    /// What the browser carries between leaving for the provider and coming back.
    static let bindingCookie = "cix_openid"
    /// How long a sign-in may take at the provider.
    static let pendingSeconds: Int64 = 600
    /// At most this many sign-ins under way; the oldest is dropped past it.
    static let maxPending = 10_000
    static let maxResponseBytes = 1 << 20

    let check: IDTokenCheck
    let roles: RoleMapping
    let label: String
    let redirectURI: String
    private let clientSecret: String?
    private let caPEM: String?

    /// The provider's endpoints, from its discovery document.
    struct Metadata: Sendable {
        let authorization: String
        let token: String
        let jwks: String
    }

    struct Pending: Sendable {
        let nonce: String
        let verifier: String
        let binding: String
        let createdAt: Int64
    }

    private var metadata: (value: Metadata, fetchedAt: Int64)?
    private var keys: (value: JWKS, fetchedAt: Int64)?
    private var pending: [String: Pending] = [:]

    /// Reads `[staff.openid]`; throws a message naming what to fix.
    init(
        _ settings: NodeConfig.OpenID,
        nodeURL: String,
        directory: NodeDirectory,
        areaNames: [String] = []
    ) throws(StaffError) {
        guard let issuerURL = URL(string: settings.issuer), let host = issuerURL.host,
            issuerURL.scheme == "https" || (issuerURL.scheme == "http" && Self.isLoopback(host))
        else {
            throw StaffError(
                .invalidInput,
                "[staff.openid] issuer \"\(settings.issuer)\" must be an https URL (http only at a loopback address, for tests)"
            )
        }
        guard !settings.client_id.isEmpty else { throw StaffError(.invalidInput, "[staff.openid] client_id is empty") }
        check = IDTokenCheck(
            issuer: settings.issuer,
            clientID: settings.client_id,
            rolesClaim: settings.roles_claim ?? "groups"
        )
        roles = try RoleMapping(settings.roles, areaNames: areaNames)
        label = settings.label ?? "Sign in with your organisation's account"
        redirectURI = nodeURL.trimmingSuffix("/") + "/staff/openid/callback"
        clientSecret = try Self.read(settings.client_secret_file, in: directory, what: "client_secret_file")
        caPEM = try Self.read(settings.ca_file, in: directory, what: "ca_file")
    }

    static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "::1", "[::1]", "localhost"].contains(host)
    }

    /// A file named in the settings, relative to the data directory; nil if none is named.
    static func read(_ name: String?, in directory: NodeDirectory, what: String) throws(StaffError) -> String? {
        guard let name else { return nil }
        let path = directory.file(name).path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw StaffError(.invalidInput, "[staff.openid] \(what): \(path) cannot be read")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: Leaving for the provider

    /// Where to send the browser, and the value of the cookie that binds the sign-in to it.
    func begin(now: Int64) async throws(StaffError) -> (location: String, binding: String) {
        let endpoints = try await discover(now: now)
        let state = Self.random()
        let nonce = Self.random()
        let verifier = Self.random()
        let binding = Self.random()
        pending = pending.filter { now - $0.value.createdAt < Self.pendingSeconds }
        if pending.count >= Self.maxPending, let oldest = pending.min(by: { $0.value.createdAt < $1.value.createdAt }) {
            pending[oldest.key] = nil
        }
        pending[state] = Pending(nonce: nonce, verifier: verifier, binding: binding, createdAt: now)
        var url = URLComponents(string: endpoints.authorization) ?? URLComponents()
        url.queryItems =
            (url.queryItems ?? []) + [
                URLQueryItem(name: "response_type", value: "code"),
                URLQueryItem(name: "client_id", value: check.clientID),
                URLQueryItem(name: "redirect_uri", value: redirectURI),
                URLQueryItem(name: "scope", value: "openid profile email"),
                URLQueryItem(name: "state", value: state),
                URLQueryItem(name: "nonce", value: nonce),
                URLQueryItem(name: "code_challenge", value: Self.challenge(verifier)),
                URLQueryItem(name: "code_challenge_method", value: "S256"),
            ]
        return (url.string ?? endpoints.authorization, binding)
    }

    /// 32 random bytes, base64url without padding.
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return base64url((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    static func challenge(_ verifier: String) -> String {
        base64url(Array(SHA256.hash(data: Array(verifier.utf8))))
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    // MARK: Coming back

    /// Takes the sign-in `state` names (once), checks it belongs to this browser, exchanges the code and checks the ID token.
    func finish(
        state: String,
        code: String,
        binding: String,
        now: Int64
    ) async throws(IDTokenCheck.Refusal) -> IDTokenCheck.Identity {
        guard let started = pending.removeValue(forKey: state) else {
            throw .state("this sign-in is unknown, already used or more than 10 minutes old; please start again")
        }
        guard ConstantTime.equal(Array(binding.utf8), Array(started.binding.utf8)) else {
            throw .state("this sign-in was started in another browser; please start again")
        }
        guard now - started.createdAt < Self.pendingSeconds else {
            throw .state("this sign-in took more than 10 minutes; please start again")
        }
        let endpoints: Metadata
        let token: String
        let keys: JWKS
        do {
            endpoints = try await discover(now: now)
            token = try await exchange(code: code, verifier: started.verifier, at: endpoints.token)
            keys = try await jwks(endpoints, now: now, fresh: false)
        } catch {
            throw .provider(error.message)
        }
        do {
            return try await check.check(token, keys: keys, nonce: started.nonce, now: now)
        } catch .unknownKey {
            // The provider may have rotated its keys since they were fetched: fetch them once more.
            let again: JWKS
            do { again = try await jwks(endpoints, now: now, fresh: true) } catch { throw .provider(error.message) }
            return try await check.check(token, keys: again, nonce: started.nonce, now: now)
        }
    }

    func exchange(code: String, verifier: String, at endpoint: String) async throws(StaffError) -> String {
        var form = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
            ("code_verifier", verifier),
        ]
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        if let clientSecret {
            let pair = "\(Self.formEncode(check.clientID)):\(Self.formEncode(clientSecret))"
            request.headers.add(name: "Authorization", value: "Basic \(Data(pair.utf8).base64EncodedString())")
        } else {
            form.append(("client_id", check.clientID))
        }
        request.body = .bytes(ByteBuffer(string: form.map { "\($0)=\(Self.formEncode($1))" }.joined(separator: "&")))
        let (status, object) = try await send(request, what: "the token endpoint")
        guard status == 200, let token = object["id_token"] as? String else {
            let reason = [object["error"] as? String, object["error_description"] as? String].compactMap { $0 }
            throw StaffError(
                .signInFailed,
                "the provider's token endpoint refused the code (HTTP \(status)\(reason.isEmpty ? "" : ": " + reason.joined(separator: ", ")))"
            )
        }
        return token
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    // MARK: The provider's documents

    func discover(now: Int64) async throws(StaffError) -> Metadata {
        if let metadata, now - metadata.fetchedAt < 3600 { return metadata.value }
        let url = check.issuer.trimmingSuffix("/") + "/.well-known/openid-configuration"
        let (status, object) = try await send(HTTPClientRequest(url: url), what: "the discovery document")
        guard status == 200 else {
            throw StaffError(.signInFailed, "the provider's discovery document answered HTTP \(status)")
        }
        guard object["issuer"] as? String == check.issuer else {
            throw StaffError(
                .signInFailed,
                "the provider's discovery document names issuer “\(object["issuer"] as? String ?? "")”, not “\(check.issuer)” as configured"
            )
        }
        guard let authorization = object["authorization_endpoint"] as? String,
            let token = object["token_endpoint"] as? String, let jwks = object["jwks_uri"] as? String
        else {
            throw StaffError(
                .signInFailed,
                "the provider's discovery document lacks an authorization, token or JWKS address"
            )
        }
        let found = Metadata(authorization: authorization, token: token, jwks: jwks)
        metadata = (found, now)
        return found
    }

    func jwks(_ endpoints: Metadata, now: Int64, fresh: Bool) async throws(StaffError) -> JWKS {
        if let keys, !fresh || now - keys.fetchedAt < 60, now - keys.fetchedAt < 3600 { return keys.value }
        let bytes = try await fetch(HTTPClientRequest(url: endpoints.jwks), what: "the provider's keys").body
        guard let set = try? JSONDecoder().decode(JWKS.self, from: Data(bytes)) else {
            throw StaffError(.signInFailed, "the provider's keys (\(endpoints.jwks)) are not a JSON Web Key Set")
        }
        keys = (set, now)
        return set
    }

    func send(_ request: HTTPClientRequest, what: String) async throws(StaffError) -> (Int, [String: Any]) {
        let (status, body) = try await fetch(request, what: what)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw StaffError(.signInFailed, "\(what) of the provider is not JSON (HTTP \(status))")
        }
        return (status, object)
    }

    /// One request with its own client: sign-ins are rare, and no connection outlives them.
    func fetch(_ request: HTTPClientRequest, what: String) async throws(StaffError) -> (status: Int, body: [UInt8]) {
        let client: HTTPClient
        do {
            var configuration = try PeerClient.configuration(caPEM: caPEM)
            configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))
            client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        } catch {
            throw StaffError(.invalidInput, "[staff.openid] ca_file is not PEM certificates: \(error)")
        }
        let result: Result<(status: Int, body: [UInt8]), StaffError>
        do {
            let response = try await client.execute(request, timeout: .seconds(15))
            let body = try await response.body.collect(upTo: Self.maxResponseBytes)
            result = .success((Int(response.status.code), Array(body.readableBytesView)))
        } catch {
            result = .failure(StaffError(.signInFailed, "the provider could not be reached for \(what): \(error)"))
        }
        try? await client.shutdown()
        return try result.get()
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
