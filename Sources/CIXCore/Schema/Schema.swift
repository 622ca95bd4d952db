import CIXCanonicalJSON

/// A small schema language for the protocol's records.
///
/// The same table both validates records and generates the JSON Schema files
/// in `Protocol/schemas/`, so the rules never exist only in prose. Objects
/// are closed: a member the schema does not name is refused.
public indirect enum Schema: Sendable {
    /// Text of `min...max` Unicode scalars; `multiline` allows line feeds and tabs,
    /// otherwise no control character (U+0000–U+001F, U+007F) is allowed.
    case text(min: Int, max: Int, multiline: Bool = false)
    /// A short code: 1 to `max` characters of a–z, 0–9, `_`, `-` and `.`, starting with a letter or digit.
    case code(max: Int)
    /// Exactly one of the listed strings.
    case oneOf([String])
    /// A string of exactly `bytes` bytes as lower-case hexadecimal.
    case hex(bytes: Int)
    /// A string of `bytes` bytes (a range) as lower-case hexadecimal.
    case hexData(bytes: ClosedRange<Int>)
    /// A timestamp in the form `YYYY-MM-DDTHH:MM:SSZ`.
    case timestamp
    /// An integer within the range.
    case integer(ClosedRange<Int64>)
    /// A number within the range.
    case number(ClosedRange<Double>)
    /// The exact number given.
    case constant(Double)
    /// An array; `sortedUnique` requires strictly ascending items (by canonical bytes),
    /// so each set has one form.
    case array(Schema, min: Int, max: Int, sortedUnique: Bool = false)
    /// A closed object.
    case object([Field], minMembers: Int = 0)
    /// Either the string "public" or a list of node ids: who may receive an event.
    case audience
    /// A GeoJSON (RFC 7946) Polygon or MultiPolygon: closed rings of at least
    /// four [longitude, latitude] positions, at most `maxPositions` in all.
    case area(maxPositions: Int)

    /// One member of an object.
    public struct Field: Sendable {
        public let name: String
        public let schema: Schema
        public let required: Bool
        public let about: String

        public static func required(_ name: String, _ schema: Schema, _ about: String) -> Field {
            Field(name: name, schema: schema, required: true, about: about)
        }

        public static func optional(_ name: String, _ schema: Schema, _ about: String) -> Field {
            Field(name: name, schema: schema, required: false, about: about)
        }
    }
}

extension Schema {
    /// Checks a value, naming the path of the first fault.
    public func validate(_ value: JSONValue, at path: String = "") throws(CoreError) {
        func fail(_ reason: String) -> CoreError {
            .schema("\(path.isEmpty ? "value" : path) \(reason)")
        }
        switch self {
        case .text(let min, let max, let multiline):
            guard let string = value.stringValue else { throw fail("must be a string, not \(value.typeName)") }
            let count = string.unicodeScalars.count
            guard count >= min else { throw fail("must have at least \(min) characters") }
            guard count <= max else { throw fail("must have at most \(max) characters, not \(count)") }
            for scalar in string.unicodeScalars where scalar.value < 0x20 || scalar.value == 0x7F {
                if multiline && (scalar == "\n" || scalar == "\t") { continue }
                throw fail("must not contain control characters")
            }
        case .code(let max):
            guard let string = value.stringValue else { throw fail("must be a string, not \(value.typeName)") }
            guard Self.isCode(string, max: max) else {
                throw fail("must be 1 to \(max) characters of a-z, 0-9, '_', '-', '.', starting with a letter or digit")
            }
        case .oneOf(let choices):
            guard let string = value.stringValue, choices.contains(string) else {
                throw fail("must be one of \(choices.joined(separator: ", "))")
            }
        case .hex(let bytes):
            guard let string = value.stringValue, Hex.decode(string, count: bytes) != nil else {
                throw fail("must be \(bytes * 2) lower-case hexadecimal digits")
            }
        case .hexData(let range):
            guard let string = value.stringValue, string.utf8.count.isMultiple(of: 2),
                range.contains(string.utf8.count / 2), Hex.decode(string) != nil
            else {
                throw fail(
                    "must be \(range.lowerBound * 2) to \(range.upperBound * 2) lower-case hexadecimal digits, an even number"
                )
            }
        case .timestamp:
            guard let string = value.stringValue, Timestamp(string) != nil else {
                throw fail("must be a UTC time written YYYY-MM-DDTHH:MM:SSZ")
            }
        case .integer(let range):
            guard let number = value.numberValue, number.rounded() == number, number.magnitude <= 9_007_199_254_740_991,
                range.contains(Int64(number))
            else { throw fail("must be an integer from \(range.lowerBound) to \(range.upperBound)") }
        case .number(let range):
            guard let number = value.numberValue, range.contains(number) else {
                throw fail("must be a number from \(range.lowerBound) to \(range.upperBound)")
            }
        case .constant(let expected):
            guard value.numberValue == expected else { throw fail("must be \(JSONValue.number(expected))") }
        case .array(let element, let min, let max, let sortedUnique):
            guard let elements = value.arrayValue else { throw fail("must be an array, not \(value.typeName)") }
            guard elements.count >= min, elements.count <= max else {
                throw fail("must have \(min) to \(max) items, not \(elements.count)")
            }
            for (position, item) in elements.enumerated() {
                try element.validate(item, at: "\(path)[\(position)]")
            }
            if sortedUnique {
                let forms = elements.map { (try? $0.canonicalBytes()) ?? [] }
                for index in forms.indices.dropFirst() where !forms[index - 1].lexicographicallyPrecedes(forms[index]) {
                    throw fail("must be sorted in ascending order without repeats")
                }
            }
        case .object(let fields, let minMembers):
            guard let object = value.objectValue else { throw fail("must be an object, not \(value.typeName)") }
            for name in object.names where !fields.contains(where: { $0.name == name }) {
                throw fail("has an unknown member \"\(name)\"")
            }
            for field in fields {
                let memberPath = path.isEmpty ? field.name : "\(path).\(field.name)"
                if let member = object[field.name] {
                    try field.schema.validate(member, at: memberPath)
                } else if field.required {
                    throw .schema("\(memberPath) is required")
                }
            }
            guard object.count >= minMembers else { throw fail("must have at least \(minMembers) members") }
        case .audience:
            if value.stringValue == "public" { return }
            try Schema.array(.hex(bytes: 32), min: 1, max: Limits.maxAudience, sortedUnique: true)
                .validate(value, at: path)
        case .area(let maxPositions):
            try GeoJSONArea.validate(value, maxPositions: maxPositions, path: path)
        }
    }

    public static func isCode(_ string: String, max: Int) -> Bool {
        let bytes = Array(string.utf8)
        guard (1...max).contains(bytes.count) else { return false }
        for (position, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): continue
            case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."): if position == 0 { return false }
            default: return false
            }
        }
        return true
    }
}
