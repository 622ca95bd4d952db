import CIXCore
import Foundation
import HummingbirdOTP

/// The second factor: RFC 6238 codes (SHA-1, 6 digits, 30 s) from
/// HummingbirdOTP, checked here: one step either side of now for clock drift,
/// compared in constant time, and a step once used never taken again (the
/// store keeps the last step; see `StaffStore.takeTOTPStep`).
package struct TOTPCheck: Sendable {
    package static let stepSeconds: Int64 = 30
    package let secret: String
    package let digits: Int

    package init(secret: String, digits: Int = 6) {
        self.secret = secret
        self.digits = digits
    }

    /// A new secret: 32 characters of the base-32 alphabet (160 bits), whose UTF-8 is the key.
    package static func newSecret() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int.random(in: 0..<32, using: &generator)] })
    }

    /// The code of a time step, zero-padded.
    package func code(step: Int64) -> String {
        let value = TOTP(secret: secret, length: digits).compute(
            date: Date(timeIntervalSince1970: TimeInterval(step * Self.stepSeconds))
        )
        let text = String(value)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// The step whose code this is, among the step of `seconds` and one either side; nil if none.
    package func matchingStep(_ code: String, at seconds: Int64) -> Int64? {
        let typed = Array(code.filter { !$0.isWhitespace }.utf8)
        let now = seconds / Self.stepSeconds
        var found: Int64?
        for step in (now - 1)...(now + 1) where ConstantTime.equal(typed, Array(self.code(step: step).utf8)) {
            found = step
        }
        return found
    }

    /// The secret as a person types it into an authenticator app: base 32 of the key bytes.
    package var appSecret: String {
        let url = authenticatorURL(login: "-", issuer: "-")
        return URLComponents(string: url)?.queryItems?.first { $0.name == "secret" }?.value ?? ""
    }

    /// What an authenticator app scans (`otpauth://totp/…`).
    package func authenticatorURL(login: String, issuer: String) -> String {
        TOTP(secret: secret, length: digits).createAuthenticatorURL(label: "\(issuer):\(login)", issuer: issuer)
    }
}
