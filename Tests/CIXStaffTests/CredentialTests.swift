import CIXCore
import CIXStaff
import Testing

/// The second factor and the recovery codes, against RFC 6238's own vectors.
@Suite("TOTP and recovery codes")
struct CredentialTests {
    /// RFC 6238 appendix B, SHA-1, 8 digits, key "12345678901234567890".
    @Test(arguments: [
        (59 as Int64, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
    ])
    func rfc6238Vectors(_ seconds: Int64, _ code: String) {
        let check = TOTPCheck(secret: "12345678901234567890", digits: 8)
        #expect(check.code(step: seconds / 30) == code)
        #expect(check.matchingStep(code, at: seconds) == seconds / 30)
    }

    @Test func oneStepOfDriftEitherWayAndNoMore() {
        let check = TOTPCheck(secret: TOTPCheck.newSecret())
        let now: Int64 = 1_800_000_015
        let step = now / 30
        for offset: Int64 in [-1, 0, 1] {
            #expect(check.matchingStep(check.code(step: step + offset), at: now) == step + offset)
        }
        for offset: Int64 in [-2, 2, 10] {
            #expect(check.matchingStep(check.code(step: step + offset), at: now) == nil)
        }
        #expect(check.matchingStep("", at: now) == nil)
        #expect(check.matchingStep("12345", at: now) == nil)
        // Spaces as people type them ("123 456") are ignored.
        let code = check.code(step: step)
        #expect(check.matchingStep(code.prefix(3) + " " + code.dropFirst(3), at: now) == step)
    }

    @Test func appSecretIsBase32OfTheKey() {
        // base32("12345678901234567890"), as RFC 6238's key is usually given to apps.
        #expect(TOTPCheck(secret: "12345678901234567890").appSecret == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        let secret = TOTPCheck.newSecret()
        #expect(secret.count == 32)
        #expect(secret != TOTPCheck.newSecret())
    }

    @Test func constantTimeEqualityIsEquality() {
        #expect(ConstantTime.equal(Array("123456".utf8), Array("123456".utf8)))
        #expect(!ConstantTime.equal(Array("123456".utf8), Array("123457".utf8)))
        #expect(!ConstantTime.equal(Array("12345".utf8), Array("123456".utf8)))
    }

    @Test func recoveryCodesAreTenDistinctAndForgiveTyping() {
        let codes = RecoveryCodes.generate()
        #expect(codes.count == 10)
        #expect(Set(codes).count == 10)
        for code in codes {
            #expect(code.count == 11)
            #expect(RecoveryCodes.looksLikeCode(code))
            #expect(
                RecoveryCodes.hash(code.uppercased().replacingOccurrences(of: "-", with: " "))
                    == RecoveryCodes.hash(code)
            )
        }
        #expect(RecoveryCodes.hash(codes[0]) != RecoveryCodes.hash(codes[1]))
        #expect(!RecoveryCodes.looksLikeCode("123456"))
    }

    @Test func passwordRules() {
        #expect(Passwords.problem("short") == "the password must be at least 12 characters")
        #expect(Passwords.problem(String(repeating: "a", count: 129)) == "the password must be at most 128 characters")
        #expect(Passwords.problem(String(repeating: "é", count: 40))?.contains("72 bytes") == true)
        #expect(Passwords.problem("correct horse battery") == nil)
    }
}
