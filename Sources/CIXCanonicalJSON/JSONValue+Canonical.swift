/// RFC 8785 (JSON Canonicalization Scheme) serialisation.
///
/// Objects are written in the order `JSONObject` keeps (UTF-16 code units);
/// strings escape only `"`, `\` and the C0 controls, using the short escapes
/// where JSON has them and lower-case `\u00xx` otherwise; numbers follow
/// ECMAScript. No whitespace is emitted.
extension JSONValue {
    /// The canonical UTF-8 bytes of this value.
    public func canonicalBytes() throws(CanonicalJSONError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        try Self.write(self, into: &output)
        return output
    }

    /// The canonical form as a string.
    public func canonicalString() throws(CanonicalJSONError) -> String {
        String(decoding: try canonicalBytes(), as: UTF8.self)
    }

    static func write(_ value: JSONValue, into output: inout [UInt8]) throws(CanonicalJSONError) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number): output.append(contentsOf: try ECMAScriptNumber.format(number).utf8)
        case .string(let string): writeString(string, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                try write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (position, member) in object.members.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.name, into: &output)
                output.append(UInt8(ascii: ":"))
                try write(member.value, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                switch byte {
                case 0x22: output.append(contentsOf: [0x5C, 0x22])
                case 0x5C: output.append(contentsOf: [0x5C, 0x5C])
                case 0x08: output.append(contentsOf: [0x5C, UInt8(ascii: "b")])
                case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0C: output.append(contentsOf: [0x5C, UInt8(ascii: "f")])
                case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                default:
                    output.append(contentsOf: [
                        0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)],
                    ])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}

extension JSONObject {
    /// The canonical bytes of this object, with the byte range of each member's
    /// value within them, so that a signed record's parts can be hashed
    /// without serialising them again.
    public func canonicalBytesWithRanges() throws(CanonicalJSONError) -> (
        bytes: [UInt8], members: [(name: String, member: Range<Int>, value: Range<Int>)]
    ) {
        var output: [UInt8] = [UInt8(ascii: "{")]
        var ranges: [(name: String, member: Range<Int>, value: Range<Int>)] = []
        for (position, member) in members.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            let start = output.count
            JSONValue.writeString(member.name, into: &output)
            output.append(UInt8(ascii: ":"))
            let valueStart = output.count
            try JSONValue.write(member.value, into: &output)
            ranges.append((member.name, start..<output.count, valueStart..<output.count))
        }
        output.append(UInt8(ascii: "}"))
        return (output, ranges)
    }
}

extension JSONParser {
    /// Parses a text and returns its canonical form: what `cix canon` prints.
    public func canonicalize(_ bytes: some Collection<UInt8>) throws(CanonicalJSONError) -> [UInt8] {
        try parse(bytes).canonicalBytes()
    }
}
