import CIXCanonicalJSON
import Foundation
import Testing

@Suite("Strict parser")
struct StrictParserTests {
    static let cases = Fixtures.files(in: "jsontestsuite/test_parsing").map(\.lastPathComponent)

    /// Cases that RFC 8259 allows but I-JSON (RFC 7493), and so CIX, refuses:
    /// repeated member names would let two parsers read one text two ways.
    static let refusedByIJSON: Set<String> = ["y_object_duplicated_key.json", "y_object_duplicated_key_and_value.json"]

    /// y_ must be accepted (except the two I-JSON refusals above) and n_
    /// refused. CIX refuses every i_ case: numbers a double cannot hold
    /// exactly (overflow, underflow, integers beyond 2^53−1), invalid UTF-8 or
    /// UTF-16 input, lone surrogates, a byte order mark, and nesting deeper
    /// than the limit (64).
    @Test("JSONTestSuite case", arguments: cases)
    func jsonTestSuite(name: String) {
        let bytes = Fixtures.bytes(Fixtures.external.appendingPathComponent("jsontestsuite/test_parsing/\(name)"))
        let result = Result { try JSONParser().parse(bytes) }
        switch name.prefix(2) {
        case "y_" where !Self.refusedByIJSON.contains(name):
            #expect(throws: Never.self, "\(name) must be accepted") { try result.get() }
        default: #expect(throws: CanonicalJSONError.self, "\(name) must be refused") { try result.get() }
        }
    }

    @Test func allCasesPresent() {
        #expect(Self.cases.count == 318)
    }

    @Test(arguments: [
        (#"{"a":1,"a":2}"#, CanonicalJSONError.Code.duplicateKey),
        (#"{"a":1,"b":{"c":1,"c":1}}"#, .duplicateKey),
        (#"["\uD800"]"#, .loneSurrogate),
        (#"["\uDC00\uD800"]"#, .loneSurrogate),
        ("[9007199254740992]", .numberOutOfRange),
        ("[-9007199254740992]", .numberOutOfRange),
        ("[1e400]", .numberOutOfRange),
        ("[1e-400]", .numberOutOfRange),
        ("[1,]", .syntax),
        ("[01]", .syntax),
        ("{\"a\":\"\u{01}\"}", .controlCharacter),
    ])
    func refusesWithReason(text: String, code: CanonicalJSONError.Code) {
        #expect {
            try JSONParser().parse(text)
        } throws: { error in
            (error as? CanonicalJSONError)?.code == code
        }
    }

    @Test func acceptsSafeIntegersAndNegativeZero() throws {
        #expect(
            try JSONParser().parse("[9007199254740991,-9007199254740991]").canonicalString()
                == "[9007199254740991,-9007199254740991]"
        )
        #expect(try JSONParser().parse("-0").canonicalString() == "0")
        #expect(try JSONParser().parse("0e5").canonicalString() == "0")
    }

    @Test func nestingLimitIsEnforcedWithoutExhaustingTheStack() {
        let deep = String(repeating: "[", count: 100_000)
        #expect { try JSONParser().parse(deep) } throws: { ($0 as? CanonicalJSONError)?.code == .tooDeep }
        let limited = JSONParser(limits: .init(maxDepth: 3, maxBytes: 100))
        #expect(throws: Never.self) { try limited.parse("[[[1]]]") }
        #expect(throws: CanonicalJSONError.self) { try limited.parse("[[[[1]]]]") }
    }

    @Test func sizeLimitIsEnforced() {
        let parser = JSONParser(limits: .init(maxDepth: 8, maxBytes: 10))
        #expect { try parser.parse("\"0123456789\"") } throws: { ($0 as? CanonicalJSONError)?.code == .tooLarge }
    }

    @Test func errorsCarryTheByteOffset() {
        #expect {
            try JSONParser().parse("[1, 2, x]")
        } throws: { error in
            (error as? CanonicalJSONError)?.offset == 7
        }
    }
}
