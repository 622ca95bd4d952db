import CIXCore
import CIXStore
import Foundation
import JWTKit

/// Checks an OpenID Connect ID token (Core 1.0 §3.1.3.7) from the provider a
/// node is set to trust: an asymmetric signature by a key in the provider's
/// JWKS, this issuer, this client as audience, not expired, and the nonce of
/// this sign-in. Pure apart from the signature check: the caller fetches the
/// token and the keys.
package struct IDTokenCheck: Sendable {
    /// The configured issuer, compared byte for byte with `iss`.
    package let issuer: String
    package let clientID: String
    /// The claim holding the person's groups or roles at the provider.
    package let rolesClaim: String

    /// Clocks may differ this much between the provider and the node.
    package static let leewaySeconds: Int64 = 60
    /// Signatures accepted: asymmetric only, so neither `none` nor an HMAC keyed with a public key gets through.
    package static let algorithms: Set<String> = [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
    ]

    package init(issuer: String, clientID: String, rolesClaim: String) {
        self.issuer = issuer
        self.clientID = clientID
        self.rolesClaim = rolesClaim
    }

    /// Who the provider says signed in.
    package struct Identity: Sendable, Equatable {
        package let subject: OpenIDSubject
        package let displayName: String
        /// A login to offer a new account: `preferred_username`, else the e-mail's local part, else the subject.
        package let loginHint: String
        /// The values of the roles claim (a string or an array of strings).
        package let roleValues: [String]
        /// When the person last proved who they are to the provider (`auth_time`, else now).
        package let authenticatedAt: Int64

        package init(
            subject: OpenIDSubject,
            displayName: String,
            loginHint: String,
            roleValues: [String],
            authenticatedAt: Int64
        ) {
            self.subject = subject
            self.displayName = displayName
            self.loginHint = loginHint
            self.roleValues = roleValues
            self.authenticatedAt = authenticatedAt
        }
    }

    /// Why a token was refused; `unknownKey` tells the caller to fetch the JWKS again once (the provider may have rotated).
    package enum Refusal: Error, Sendable, Equatable {
        case malformed(String)
        case algorithm(String)
        case unknownKey(String)
        case signature
        case issuer(String)
        case audience([String])
        case presenter(String)
        case expired(Int64)
        case issuedInFuture(Int64)
        case nonce
        case subject
        /// The sign-in's state is unknown, used, expired or from another browser.
        case state(String)
        /// The provider could not be asked, or refused the code.
        case provider(String)

        package var message: String {
            switch self {
            case .malformed(let why): "the identity token is not well formed (\(why))"
            case .algorithm(let alg):
                "the identity token is signed with “\(alg)”, which is not accepted (only RS, PS, ES and EdDSA signatures are)"
            case .unknownKey(let kid):
                "the identity token is signed with a key the provider does not publish (kid “\(kid)”)"
            case .signature: "the identity token's signature does not verify with the provider's published keys"
            case .issuer(let iss): "the identity token was issued by “\(iss)”, not by the provider this node trusts"
            case .audience(let aud):
                "the identity token was issued for another application (audience \(aud.map { "“\($0)”" }.joined(separator: ", ")))"
            case .presenter(let azp): "the identity token was presented for another application (azp “\(azp)”)"
            case .expired(let exp): "the identity token expired at \(Self.time(exp))"
            case .issuedInFuture(let iat): "the identity token says it was issued in the future (\(Self.time(iat)))"
            case .nonce: "the identity token does not belong to this sign-in (its nonce differs): it may be a replay"
            case .subject: "the identity token names no subject"
            case .state(let why), .provider(let why): why
            }
        }

        /// A short name for the audit trail.
        package var reason: String {
            switch self {
            case .malformed: "malformed"
            case .algorithm: "algorithm"
            case .unknownKey: "unknown-key"
            case .signature: "signature"
            case .issuer: "issuer"
            case .audience: "audience"
            case .presenter: "presenter"
            case .expired: "expired"
            case .issuedInFuture: "issued-in-future"
            case .nonce: "nonce"
            case .subject: "subject"
            case .state: "state"
            case .provider: "provider"
            }
        }

        static func time(_ seconds: Int64) -> String {
            ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
    }

    /// The token's header and claims, read without trusting them.
    struct Parts {
        let algorithm: String
        let keyID: String?
        let claims: [String: Any]
    }

    static func parts(_ token: String) throws(Refusal) -> Parts {
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3, token.utf8.count <= 64 * 1024 else {
            throw .malformed("a JWT has three parts separated by dots")
        }
        guard let header = Self.json(segments[0]), let claims = Self.json(segments[1]) else {
            throw .malformed("its header or claims are not base64url-encoded JSON objects")
        }
        guard let algorithm = header["alg"] as? String else { throw .malformed("its header names no algorithm") }
        return Parts(algorithm: algorithm, keyID: header["kid"] as? String, claims: claims)
    }

    static func json(_ segment: Substring) -> [String: Any]? {
        var text = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        guard let data = Data(base64Encoded: text) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// Checks `token` against `keys` (the provider's JWKS) for the sign-in that sent `nonce`.
    package func check(_ token: String, keys: JWKS, nonce: String, now: Int64) async throws(Refusal) -> Identity {
        let parts = try Self.parts(token)
        guard Self.algorithms.contains(parts.algorithm) else { throw .algorithm(parts.algorithm) }
        let usable = keys.keys.filter { $0.keyIdentifier != nil }
        if let kid = parts.keyID, !usable.contains(where: { $0.keyIdentifier?.string == kid }) {
            throw .unknownKey(kid)
        }
        let collection = JWTKeyCollection()
        do {
            for key in usable { try await collection.add(jwk: key) }
            _ = try await collection.verify(token, as: SignatureOnly.self, iteratingKeys: parts.keyID == nil)
        } catch {
            throw .signature
        }
        return try identity(parts.claims, nonce: nonce, now: now)
    }

    /// The claims' checks, in the order Core §3.1.3.7 gives them.
    func identity(_ claims: [String: Any], nonce: String, now: Int64) throws(Refusal) -> Identity {
        let iss = claims["iss"] as? String ?? ""
        guard iss == issuer else { throw .issuer(iss) }
        let audience = (claims["aud"] as? [String]) ?? (claims["aud"] as? String).map { [$0] } ?? []
        guard audience.contains(clientID) else { throw .audience(audience) }
        if let azp = claims["azp"] as? String, azp != clientID { throw .presenter(azp) }
        if audience.count > 1, claims["azp"] as? String != clientID { throw .presenter(claims["azp"] as? String ?? "") }
        guard let exp = Self.seconds(claims["exp"]) else { throw .malformed("it has no expiry time") }
        guard exp + Self.leewaySeconds > now else { throw .expired(exp) }
        if let iat = Self.seconds(claims["iat"]), iat > now + Self.leewaySeconds { throw .issuedInFuture(iat) }
        let given = Array((claims["nonce"] as? String ?? "").utf8)
        guard ConstantTime.equal(given, Array(nonce.utf8)), !nonce.isEmpty else { throw .nonce }
        guard let sub = claims["sub"] as? String, !sub.isEmpty, sub.utf8.count <= 255 else { throw .subject }
        let email = claims["email"] as? String
        let hint = (claims["preferred_username"] as? String) ?? email.map { String($0.prefix { $0 != "@" }) } ?? sub
        let roles =
            (claims[rolesClaim] as? [Any])?.compactMap { $0 as? String } ?? (claims[rolesClaim] as? String).map { [$0] }
            ?? []
        return Identity(
            subject: OpenIDSubject(issuer: iss, subject: sub),
            displayName: (claims["name"] as? String) ?? email ?? hint,
            loginHint: hint,
            roleValues: roles,
            authenticatedAt: min(now, Self.seconds(claims["auth_time"]) ?? now)
        )
    }

    static func seconds(_ value: Any?) -> Int64? {
        (value as? NSNumber).map { Int64($0.doubleValue) }
    }

    /// jwt-kit checks the signature; the claims are checked above with reasons of our own.
    struct SignatureOnly: JWTPayload {
        init(from decoder: any Decoder) throws {}
        func encode(to encoder: any Encoder) throws {}
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }
}
