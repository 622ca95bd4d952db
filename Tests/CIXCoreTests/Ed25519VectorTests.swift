import CIXCanonicalJSON
import CIXCore
import CIXTesting
import Testing

@Suite("Ed25519 vectors")
struct Ed25519VectorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let id: Int
        let key: String
        let message: String
        let signature: String
        let valid: Bool
        var testDescription: String { "case \(id)" }
    }

    static let wycheproof: [Case] = {
        guard
            let root = try? Fixtures.json(
                Fixtures.external.appendingPathComponent("ed25519/wycheproof_ed25519_test.json")
            )
        else { return [] }
        return (root.objectValue?["testGroups"]?.arrayValue ?? []).flatMap { group -> [Case] in
            let key = group.objectValue?["publicKey"]?.objectValue?["pk"]?.stringValue ?? ""
            return (group.objectValue?["tests"]?.arrayValue ?? []).compactMap { test in
                guard let test = test.objectValue else { return nil }
                return Case(
                    id: Int(test["tcId"]?.numberValue ?? 0),
                    key: key,
                    message: test["msg"]?.stringValue ?? "",
                    signature: test["sig"]?.stringValue ?? "",
                    valid: test["result"]?.stringValue == "valid"
                )
            }
        }
    }()

    /// CIX verification: the key must pass `PublicKey`'s checks, the
    /// signature's R must be canonical and not of small order, then RFC 8032.
    static func cixAccepts(_ key: String, _ message: String, _ signature: String) -> Bool {
        guard let key = try? PublicKey(hex: key), let message = Hex.decode(message),
            let signature = Hex.decode(signature)
        else { return false }
        return key.isValidSignature(signature, for: message)
    }

    @Test func allWycheproofCasesLoaded() {
        #expect(Self.wycheproof.count == 151)
    }

    @Test("Wycheproof case", arguments: wycheproof)
    func wycheproofCase(_ testCase: Case) {
        #expect(Self.cixAccepts(testCase.key, testCase.message, testCase.signature) == testCase.valid)
    }

    /// The 12 speccheck cases as `Protocol/signatures.md` decides them: only
    /// case 3 (mixed-order A and R, a valid signature under every equation) is
    /// accepted. Cases 0–1 have a small-order key, 2 a small-order R, 4–5 fail
    /// the cofactorless equation, 6–7 have S ≥ L, 8–9 a non-canonical R and
    /// 10–11 a non-canonical key. swift-crypto alone would accept 0, 1, 2, 3 and 11.
    static let specCheckDecisions = [false, false, false, true, false, false, false, false, false, false, false, false]

    @Test("speccheck case", arguments: Array(0..<12))
    func specCheckCase(_ index: Int) throws {
        let cases = try #require(
            try Fixtures.json(Fixtures.external.appendingPathComponent("ed25519/speccheck_cases.json")).arrayValue
        )
        let item = try #require(cases[index].objectValue)
        let accepted = Self.cixAccepts(
            item["pub_key"]?.stringValue ?? "",
            item["message"]?.stringValue ?? "",
            item["signature"]?.stringValue ?? ""
        )
        #expect(accepted == Self.specCheckDecisions[index])
    }

    @Test(arguments: [
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0100000000000000000000000000000000000000000000000000000000000080",
    ])
    func refusesSmallOrderAndNonCanonicalKeys(hex: String) {
        #expect { try PublicKey(hex: hex) } throws: { ($0 as? CoreError)?.code == .invalidKey }
    }

    @Test func refusesUppercaseAndShortKeys() {
        let key = FixedKeysForCore.someKey
        #expect(throws: CoreError.self) { try PublicKey(hex: key.uppercased()) }
        #expect(throws: CoreError.self) { try PublicKey(hex: String(key.dropLast(2))) }
        #expect(throws: Never.self) { try PublicKey(hex: key) }
    }
}

enum FixedKeysForCore {
    static let someKey = FixedKeys.council.key.publicKey.hex
}
