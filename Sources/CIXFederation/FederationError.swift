/// A failure between nodes, with the HTTP status a server answers with.
package struct FederationError: Error, Sendable, CustomStringConvertible {
    package enum Code: String, Sendable {
        case unsigned
        case badSignature = "bad_signature"
        /// The signature's keyid is not an Ed25519 public key (malformed, small order, or not on the curve).
        case invalidKey = "invalid_key"
        case expired
        case replayed
        case unknownKey = "unknown_key"
        case notAPeer = "not_a_peer"
        /// The requester is a node this node blocks.
        case blocked
        case tooLarge = "too_large"
        case rateLimited = "rate_limited"
        case badRequest = "bad_request"
        case unreachable
        case badResponse = "bad_response"
        /// The peer answered too slowly, or not at all, within the deadlines.
        case stalled
        case keyChanged = "key_changed"
        /// The receiving node's storage cannot take writes now; nothing was stored. Retry later.
        case storageUnavailable = "storage_unavailable"
        /// The receiving node failed; its log has the details under the request id.
        case `internal`
    }

    package let code: Code
    package let message: String
    /// For `rateLimited` and `storageUnavailable`: seconds until a retry may succeed.
    package let retryAfter: Int?

    package init(_ code: Code, _ message: String, retryAfter: Int? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    package var description: String { message }

    /// The status a server answers with for this failure.
    package var status: Int {
        switch code {
        case .unsigned, .badSignature, .invalidKey, .expired, .replayed, .unknownKey: 401
        case .notAPeer, .blocked: 403
        case .tooLarge: 413
        case .rateLimited: 429
        case .badRequest: 400
        case .unreachable, .badResponse, .keyChanged: 502
        case .stalled: 504
        case .storageUnavailable: 503
        case .internal: 500
        }
    }
}
