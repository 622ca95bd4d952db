import CIXCore
import Crypto
import Foundation

/// HTTP Message Signatures (RFC 9421) as CIX nodes sign their requests to each other.
///
/// One signature, labelled `cix`, covers exactly these components, in this
/// order: `@method`, `@path`, `@query`, `content-digest` (RFC 9530, SHA-256
/// of the body, also for an empty body) and `cix-node` (the requesting node's
/// id). Its parameters are `created` and `expires` (Unix seconds; at most 60
/// seconds apart), `keyid` (the Ed25519 public key, hex), `nonce` (random,
/// hex; refused if seen again before it expires) and `alg="ed25519"`.
/// `Protocol/federation.md` gives the exact bytes.
package enum HTTPSignature {
    package static let components = "(\"@method\" \"@path\" \"@query\" \"content-digest\" \"cix-node\")"
    package static let maxLifetime: Int64 = 60
    package static let allowedSkew: Int64 = 30

    /// The parts of a request the signature covers.
    package struct Request: Sendable {
        package var method: String
        package var path: String
        /// The query without its leading "?", or empty.
        package var query: String
        package var body: [UInt8]

        package init(method: String, path: String, query: String, body: [UInt8]) {
            self.method = method
            self.path = path
            self.query = query
            self.body = body
        }
    }

    /// What a verified signature establishes.
    package struct Verified: Sendable {
        package let node: NodeID
        package let key: PublicKey
        package let nonce: String
        package let expires: Int64
    }

    /// RFC 9530 `Content-Digest` of a body.
    package static func contentDigest(_ body: [UInt8]) -> String {
        "sha-256=:\(Data(SHA256.hash(data: body)).base64EncodedString()):"
    }

    /// The signature base (RFC 9421 section 2.5) for these values.
    package static func base(_ request: Request, digest: String, node: String, params: String) -> [UInt8] {
        let lines = [
            "\"@method\": \(request.method.uppercased())",
            "\"@path\": \(request.path)",
            "\"@query\": ?\(request.query)",
            "\"content-digest\": \(digest)",
            "\"cix-node\": \(node)",
            "\"@signature-params\": \(params)",
        ]
        return Array(lines.joined(separator: "\n").utf8)
    }

    /// The headers to add to a request: Content-Digest, CIX-Node, Signature-Input, Signature.
    package static func sign(
        _ request: Request,
        node: NodeID,
        key: SigningKey,
        created: Int64,
        lifetime: Int64 = 60,
        nonce: String
    ) -> [(String, String)] {
        let digest = contentDigest(request.body)
        let params =
            "\(components);created=\(created);expires=\(created + lifetime);keyid=\"\(key.publicKey.hex)\";nonce=\"\(nonce)\";alg=\"ed25519\""
        let signature = key.sign(base(request, digest: digest, node: node.hex, params: params))
        return [
            ("Content-Digest", digest), ("CIX-Node", node.hex), ("Signature-Input", "cix=\(params)"),
            ("Signature", "cix=:\(Data(signature).base64EncodedString()):"),
        ]
    }

    /// Checks a request's signature. `header` looks a header up by lower-case name.
    /// Whether the key speaks for the node, and whether the nonce is fresh, is for the caller.
    package static func verify(
        _ request: Request,
        header: (String) -> String?,
        now: Int64
    ) throws(FederationError)
        -> Verified
    {
        guard let input = header("signature-input"), let signatureHeader = header("signature") else {
            throw FederationError(.unsigned, "request is not signed (Signature-Input and Signature are required)")
        }
        guard let nodeText = header("cix-node"), let node = NodeID(nodeText) else {
            throw FederationError(.badSignature, "CIX-Node must name the requesting node's id")
        }
        guard let digest = header("content-digest"), digest == contentDigest(request.body) else {
            throw FederationError(.badSignature, "Content-Digest is missing or does not match the body")
        }
        guard input.hasPrefix("cix=" + components + ";") else {
            throw FederationError(.badSignature, "Signature-Input must be cix=\(components) with its parameters")
        }
        let params = String(input.dropFirst(4))
        let values = try parameters(String(params.dropFirst(components.count)))
        guard let created = values["created"].flatMap({ Int64($0) }),
            let expires = values["expires"].flatMap({ Int64($0) }),
            let keyHex = values["keyid"], let nonce = values["nonce"], values["alg"] == "ed25519",
            values.count == 5, (16...64).contains(nonce.count), Hex.decode(nonce) != nil
        else {
            throw FederationError(
                .badSignature,
                "Signature-Input needs created, expires, keyid, nonce and alg=\"ed25519\""
            )
        }
        guard expires > created, expires - created <= maxLifetime else {
            throw FederationError(.badSignature, "a signature may live at most \(maxLifetime) seconds")
        }
        guard created <= now + allowedSkew, expires >= now else {
            throw FederationError(.expired, "signature is expired or not yet valid (check the clocks)")
        }
        guard signatureHeader.hasPrefix("cix=:"), signatureHeader.hasSuffix(":"),
            let signature = Data(base64Encoded: String(signatureHeader.dropFirst(5).dropLast()))
        else { throw FederationError(.badSignature, "Signature must be cix=:BASE64:") }
        let key: PublicKey
        do {
            key = try PublicKey(hex: keyHex)
        } catch {
            throw FederationError(.invalidKey, "keyid is not an acceptable Ed25519 public key: \(error.message)")
        }
        guard key.isValidSignature(Array(signature), for: base(request, digest: digest, node: node.hex, params: params))
        else {
            throw FederationError(.badSignature, "signature does not verify")
        }
        return Verified(node: node, key: key, nonce: nonce, expires: expires)
    }

    /// Parses `;name=value` parameters: integers or quoted strings without escapes.
    static func parameters(_ text: String) throws(FederationError) -> [String: String] {
        var values: [String: String] = [:]
        for part in text.split(separator: ";", omittingEmptySubsequences: false).dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, values[String(pair[0])] == nil else {
                throw FederationError(.badSignature, "malformed Signature-Input parameters")
            }
            var value = String(pair[1])
            if value.hasPrefix("\"") {
                guard value.count >= 2, value.hasSuffix("\""), !value.dropFirst().dropLast().contains("\"") else {
                    throw FederationError(.badSignature, "malformed quoted parameter")
                }
                value = String(value.dropFirst().dropLast())
            }
            values[String(pair[0])] = value
        }
        return values
    }
}
