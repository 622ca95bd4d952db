/// Why a text is not acceptable JSON for the protocol.
///
/// Each error names the rule that was broken and, where known, the byte
/// offset in the input where it was found, so that an operator can find the
/// fault in a file.
public struct CanonicalJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rule that was broken.
    public enum Code: String, Sendable {
        case syntax
        case invalidUTF8 = "invalid_utf8"
        case loneSurrogate = "lone_surrogate"
        case controlCharacter = "control_character"
        case duplicateKey = "duplicate_key"
        case numberOutOfRange = "number_out_of_range"
        case tooDeep = "too_deep"
        case tooLarge = "too_large"
        case unrepresentable
    }

    public let code: Code
    public let message: String
    /// Byte offset into the input, when the error came from parsing.
    public let offset: Int?

    public var description: String {
        if let offset { return "\(message) (at byte \(offset))" }
        return message
    }

    static func syntax(_ message: String, offset: Int) -> Self {
        Self(code: .syntax, message: message, offset: offset)
    }

    static func invalidUTF8(offset: Int) -> Self {
        Self(code: .invalidUTF8, message: "text is not valid UTF-8", offset: offset)
    }

    static func loneSurrogate(offset: Int) -> Self {
        Self(
            code: .loneSurrogate,
            message: "string contains a lone UTF-16 surrogate, which I-JSON forbids",
            offset: offset
        )
    }

    static func controlCharacter(offset: Int) -> Self {
        Self(
            code: .controlCharacter,
            message: "string contains an unescaped control character",
            offset: offset
        )
    }

    static func duplicateKey(_ name: String, offset: Int?) -> Self {
        Self(code: .duplicateKey, message: "object has the member name \"\(name)\" more than once", offset: offset)
    }

    static func numberOutOfRange(_ text: String, offset: Int) -> Self {
        Self(
            code: .numberOutOfRange,
            message:
                "number \(text.prefix(40)) cannot be held exactly by an IEEE 754 double (integers must lie within ±9007199254740991; no overflow or underflow)",
            offset: offset
        )
    }

    static func tooDeep(limit: Int, offset: Int) -> Self {
        Self(code: .tooDeep, message: "nesting is deeper than the limit of \(limit)", offset: offset)
    }

    static func tooLarge(limit: Int) -> Self {
        Self(code: .tooLarge, message: "text is longer than the limit of \(limit) bytes", offset: nil)
    }

    static func unrepresentable(_ message: String) -> Self {
        Self(code: .unrepresentable, message: message, offset: nil)
    }
}
