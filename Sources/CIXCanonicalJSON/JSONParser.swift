/// A strict JSON parser for data that will be hashed and signed.
///
/// It accepts exactly RFC 8259 JSON that is also I-JSON (RFC 7493) in the ways
/// that matter for canonical form, and refuses, with a reason and an offset:
/// invalid UTF-8 (including overlong forms and encoded surrogates), a byte
/// order mark, lone surrogates in `\u` escapes, repeated member names,
/// numbers a double cannot hold exactly enough (overflow, underflow of a
/// non-zero literal, integer literals beyond ±(2^53−1)), nesting deeper than
/// the limit, and input longer than the limit. Unicode noncharacters are
/// accepted: they are scalar values, and RFC 8259 parsers accept them.
public struct JSONParser: Sendable {
    /// Limits that bound the work and memory a hostile input can cause.
    public struct Limits: Sendable {
        /// Deepest nesting of arrays and objects; the top-level value is depth 1.
        public var maxDepth: Int
        /// Longest input, in bytes.
        public var maxBytes: Int

        public init(maxDepth: Int = 64, maxBytes: Int = 16 * 1024 * 1024) {
            self.maxDepth = maxDepth
            self.maxBytes = maxBytes
        }
    }

    public var limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Parses one JSON text.
    public func parse(_ bytes: some Collection<UInt8>) throws(CanonicalJSONError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else { throw .tooLarge(limit: limits.maxBytes) }
        var reader = Reader(bytes: Array(bytes), maxDepth: limits.maxDepth)
        return try reader.parseDocument()
    }

    /// Parses one JSON text given as a Swift string.
    public func parse(_ text: String) throws(CanonicalJSONError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// The cursor over the input; one per parse.
private struct Reader {
    let bytes: [UInt8]
    let maxDepth: Int
    var index = 0

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(CanonicalJSONError) -> JSONValue {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw .syntax("text starts with a byte order mark, which JSON forbids", offset: 0)
        }
        skipWhitespace()
        let value = try parseValue(depth: 1)
        skipWhitespace()
        guard index == bytes.count else {
            throw .syntax("unexpected data after the JSON value", offset: index)
        }
        return value
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func parseValue(depth: Int) throws(CanonicalJSONError) -> JSONValue {
        guard let byte = peek() else { throw .syntax("unexpected end of text, expected a value", offset: index) }
        switch byte {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw .syntax("unexpected character, expected a value", offset: index)
        }
    }

    mutating func expectLiteral(_ literal: String) throws(CanonicalJSONError) {
        let start = index
        for expected in literal.utf8 {
            guard peek() == expected else { throw .syntax("invalid literal, expected \(literal)", offset: start) }
            index += 1
        }
    }

    mutating func parseArray(depth: Int) throws(CanonicalJSONError) -> [JSONValue] {
        guard depth <= maxDepth else { throw .tooDeep(limit: maxDepth, offset: index) }
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return elements
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return elements
            case nil: throw .syntax("unexpected end of text inside an array", offset: index)
            default: throw .syntax("expected ',' or ']' in an array", offset: index)
            }
        }
    }

    mutating func parseObject(depth: Int) throws(CanonicalJSONError) -> JSONObject {
        guard depth <= maxDepth else { throw .tooDeep(limit: maxDepth, offset: index) }
        let start = index
        index += 1  // {
        var members: [JSONObject.Member] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return JSONObject()
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                throw .syntax("expected a member name in double quotes", offset: index)
            }
            let name = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw .syntax("expected ':' after a member name", offset: index) }
            index += 1
            skipWhitespace()
            members.append(JSONObject.Member(name, try parseValue(depth: depth + 1)))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                do {
                    return try JSONObject(members: members)
                } catch {
                    throw CanonicalJSONError(code: error.code, message: error.message, offset: start)
                }
            case nil: throw .syntax("unexpected end of text inside an object", offset: index)
            default: throw .syntax("expected ',' or '}' in an object", offset: index)
            }
        }
    }

    mutating func parseString() throws(CanonicalJSONError) -> String {
        index += 1  // opening quote
        var output: [UInt8] = []
        while true {
            guard index < bytes.count else { throw .syntax("unterminated string", offset: index) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                // Every byte appended was validated as UTF-8 or produced from a scalar value.
                return String(decoding: output, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &output)
            case 0x00..<0x20:
                throw .controlCharacter(offset: index)
            case 0x20..<0x80:
                output.append(byte)
                index += 1
            default:
                try copyMultibyteScalar(into: &output)
            }
        }
    }

    /// Copies one multi-byte UTF-8 sequence, refusing overlong forms, encoded
    /// surrogates and values above U+10FFFF (RFC 3629).
    mutating func copyMultibyteScalar(into output: inout [UInt8]) throws(CanonicalJSONError) {
        let start = index
        let lead = bytes[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default: throw .invalidUTF8(offset: start)
        }
        guard start + length <= bytes.count else { throw .invalidUTF8(offset: start) }
        guard secondRange.contains(bytes[start + 1]) else { throw .invalidUTF8(offset: start) }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[start + offset]) {
            throw .invalidUTF8(offset: start)
        }
        output.append(contentsOf: bytes[start..<start + length])
        index += length
    }

    mutating func parseEscape(into output: inout [UInt8]) throws(CanonicalJSONError) {
        let start = index
        index += 1  // backslash
        guard let byte = peek() else { throw .syntax("unterminated escape", offset: start) }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): output.append(0x22)
        case UInt8(ascii: "\\"): output.append(0x5C)
        case UInt8(ascii: "/"): output.append(0x2F)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try parseHex4()
            var scalarValue = UInt32(unit)
            if (0xD800...0xDBFF).contains(unit) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw .loneSurrogate(offset: start) }
                index += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw .loneSurrogate(offset: start) }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw .loneSurrogate(offset: start)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else { throw .loneSurrogate(offset: start) }
            output.append(contentsOf: String(scalar).utf8)
        default:
            throw .syntax("invalid escape sequence", offset: start)
        }
    }

    mutating func parseHex4() throws(CanonicalJSONError) -> UInt16 {
        guard index + 4 <= bytes.count else { throw .syntax("incomplete \\u escape", offset: index) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .syntax("invalid hexadecimal digit in a \\u escape", offset: index)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    mutating func parseNumber() throws(CanonicalJSONError) -> Double {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        var mantissaHasNonZero = false
        guard let first = peek(), isDigit(first) else {
            throw .syntax("a number needs a digit after '-'", offset: index)
        }
        if first == UInt8(ascii: "0") {
            index += 1
            if let next = peek(), isDigit(next) {
                throw .syntax("a number may not have a leading zero", offset: start)
            }
        } else {
            mantissaHasNonZero = true
            while let digit = peek(), isDigit(digit) { index += 1 }
        }
        var isInteger = true
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard let digit = peek(), isDigit(digit) else {
                throw .syntax("a decimal point must be followed by a digit", offset: index)
            }
            while let digit = peek(), isDigit(digit) {
                if digit != UInt8(ascii: "0") { mantissaHasNonZero = true }
                index += 1
            }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let digit = peek(), isDigit(digit) else {
                throw .syntax("an exponent needs at least one digit", offset: index)
            }
            while let digit = peek(), isDigit(digit) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw .numberOutOfRange(text, offset: start) }
        if value == 0 && mantissaHasNonZero { throw .numberOutOfRange(text, offset: start) }
        if isInteger && value.magnitude > 9_007_199_254_740_991 { throw .numberOutOfRange(text, offset: start) }
        return value
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
