/// Why a record, key or event is refused by the protocol's rules.
///
/// `code` is the stable machine-readable reason that travels in rejections
/// (import reports, federation answers); `message` tells an operator what was
/// wrong in words.
public struct CoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable reasons, as written in `Protocol/events.md`.
    public enum Code: String, Sendable, CaseIterable {
        case malformedJSON = "malformed_json"
        case nonCanonical = "non_canonical"
        case tooLarge = "too_large"
        case schema
        case unknownKind = "unknown_kind"
        case wrongBodyHash = "wrong_body_hash"
        case wrongID = "wrong_id"
        case invalidKey = "invalid_key"
        case badSignature = "bad_signature"
        case keyNotAuthorised = "key_not_authorised"
        case wrongDepth = "wrong_depth"
        case foreignParent = "foreign_parent"
        /// A partner-only event whose audience does not include the receiving node.
        case notInAudience = "not_in_audience"
        /// A report or edit naming a category that is not in the shared taxonomy.
        case unknownCategory = "unknown_category"
        /// The source already has as many events waiting for parents as a node keeps for it.
        case pendingLimit = "pending_limit"
        /// The receiving node blocks the event's author (`Protocol/federation.md`, Blocking).
        case blocked
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    public static func invalidKey(_ message: String) -> Self { Self(.invalidKey, message) }
    public static func schema(_ message: String) -> Self { Self(.schema, message) }
}
