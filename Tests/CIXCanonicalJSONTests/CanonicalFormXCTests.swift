import CIXCanonicalJSON
import XCTest

/// The RFC 8785 numbers vector, also under XCTest, so both runners report real work.
final class CanonicalFormXCTests: XCTestCase {
    func testValuesVectorCanonicalises() throws {
        let input = Fixtures.bytes(Fixtures.external.appendingPathComponent("jcs/input/values.json"))
        var expected = Fixtures.bytes(Fixtures.external.appendingPathComponent("jcs/output/values.json"))
        while expected.last == 0x0A { expected.removeLast() }
        XCTAssertFalse(input.isEmpty)
        XCTAssertEqual(try JSONParser().canonicalize(input), expected)
    }

    func testDuplicateNamesAreRefused() {
        XCTAssertThrowsError(try JSONParser().parse(#"{"a":1,"a":2}"#)) { error in
            XCTAssertEqual((error as? CanonicalJSONError)?.code, .duplicateKey)
        }
    }
}
