import CIXCore

/// Ten single-use codes that stand in for the TOTP code when a phone is lost.
/// Shown once; the store keeps only their SHA-256 (they carry 50 random bits
/// each, so a fast hash is enough).
package enum RecoveryCodes {
    package static let count = 10

    /// New codes, as shown to the person: `abcde-fghij`.
    package static func generate() -> [String] {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let letters = (0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            return String(letters[0..<5]) + "-" + String(letters[5..<10])
        }
    }

    /// What the store keeps of a code, as typed (case, spaces and the dash do not matter).
    package static func hash(_ typed: String) -> String {
        let normalised = typed.lowercased().filter { $0.isLetter || $0.isNumber }
        return SHA256Hex.hash(Array("cix-recovery-v1:\(normalised)".utf8))
    }

    /// Whether typed text looks like a recovery code rather than a TOTP code.
    package static func looksLikeCode(_ typed: String) -> Bool {
        typed.filter { $0.isLetter || $0.isNumber }.count == 10 && typed.contains { $0.isLetter }
    }
}
