import CIXCanonicalJSON
import Foundation
import Testing

@Suite("RFC 8785 canonical form")
struct RFC8785VectorTests {
    static let inputs = Fixtures.files(in: "jcs/input").map(\.lastPathComponent)

    @Test("each JCS input canonicalises to its published output", arguments: inputs)
    func publishedVector(name: String) throws {
        let input = Fixtures.bytes(Fixtures.external.appendingPathComponent("jcs/input/\(name)"))
        var expected = Fixtures.bytes(Fixtures.external.appendingPathComponent("jcs/output/\(name)"))
        while expected.last == 0x0A { expected.removeLast() }
        #expect(!input.isEmpty)
        #expect(try JSONParser().canonicalize(input) == expected)
    }

    @Test func vectorsArePresent() {
        #expect(Self.inputs.count == 6)
    }

    /// Doubles from RFC 8785 appendix B and ECMAScript's own boundaries, by bit pattern.
    static let numbers: [(UInt64, String)] = [
        (0x0000_0000_0000_0000, "0"), (0x8000_0000_0000_0000, "0"), (0x0000_0000_0000_0001, "5e-324"),
        (0x8000_0000_0000_0001, "-5e-324"), (0x7FEF_FFFF_FFFF_FFFF, "1.7976931348623157e+308"),
        (0xFFEF_FFFF_FFFF_FFFF, "-1.7976931348623157e+308"), (0x4340_0000_0000_0000, "9007199254740992"),
        (0xC340_0000_0000_0000, "-9007199254740992"), (0x4430_0000_0000_0000, "295147905179352830000"),
        (0x44B5_2D02_C7E1_4AF5, "9.999999999999997e+22"), (0x44B5_2D02_C7E1_4AF6, "1e+23"),
        (0x44B5_2D02_C7E1_4AF7, "1.0000000000000001e+23"), (0x444B_1AE4_D6E2_EF4E, "999999999999999700000"),
        (0x444B_1AE4_D6E2_EF4F, "999999999999999900000"), (0x444B_1AE4_D6E2_EF50, "1e+21"),
        (0x3EB0_C6F7_A0B5_ED8C, "9.999999999999997e-7"), (0x3EB0_C6F7_A0B5_ED8D, "0.000001"),
        (0x41B3_DE43_5555_5553, "333333333.3333332"), (0x41B3_DE43_5555_5554, "333333333.33333325"),
        (0x41B3_DE43_5555_5555, "333333333.3333333"), (0x41B3_DE43_5555_5556, "333333333.3333334"),
        (0x41B3_DE43_5555_5557, "333333333.33333343"), (0xBECB_F647_612F_3696, "-0.0000033333333333333333"),
        (0x4314_3FF3_C1CB_0959, "1424953923781206.2"),
    ]

    @Test("numbers serialise as ECMAScript does", arguments: numbers)
    func number(bits: UInt64, expected: String) throws {
        #expect(try JSONValue.number(Double(bitPattern: bits)).canonicalString() == expected)
    }

    @Test(arguments: [
        (0.1, "0.1"), (1.0, "1"), (100.0, "100"), (1e20, "100000000000000000000"), (1e21, "1e+21"),
        (1.5e-7, "1.5e-7"), (0.0000015, "0.0000015"), (123.456, "123.456"), (-52.2053, "-52.2053"),
    ])
    func plainNumbers(value: Double, expected: String) throws {
        #expect(try JSONValue.number(value).canonicalString() == expected)
    }

    @Test func refusesNonFiniteNumbers() {
        #expect(throws: CanonicalJSONError.self) { try JSONValue.number(.nan).canonicalBytes() }
        #expect(throws: CanonicalJSONError.self) { try JSONValue.number(.infinity).canonicalBytes() }
    }

    @Test func sortsMembersByUTF16CodeUnitsNotScalars() throws {
        // U+1F602 (surrogates D83D DE02) sorts before U+FB33 in UTF-16, after it by scalar value.
        let text = #"{"\uFB33":1,"\uD83D\uDE02":2}"#
        #expect(try JSONParser().parse(text).canonicalString() == "{\"😂\":2,\"דּ\":1}")
    }

    @Test func escapesOnlyWhatRFC8785Requires() throws {
        let text = #"["\u0000\u001F\b\f\n\r\t\"\\/\u007F\u00E9<>"]"#
        #expect(
            try JSONParser().parse(text).canonicalString() == "[\"\\u0000\\u001f\\b\\f\\n\\r\\t\\\"\\\\/\u{7F}é<>\"]"
        )
    }

    @Test func keepsCanonicallyEquivalentNamesApart() throws {
        // "A\u030A" and "\u00C5" are equal as Swift strings but are distinct member names.
        let value = try JSONParser().parse(#"{"A\u030A":1,"\u00C5":2}"#)
        #expect(value.objectValue?.count == 2)
        #expect(try value.canonicalString() == "{\"Å\":1,\"Å\":2}")
    }
}
