import CIXCore
import Crypto
import Foundation

/// Anti-forgery tokens for the public forms (double-submit, bound by HMAC).
///
/// The browser gets a random value in a `SameSite=Strict`, `HttpOnly` cookie;
/// each form carries HMAC(secret, that value). A post is accepted only when
/// the two agree, which another site can neither read nor produce.
package struct FormGuard: Sendable {
    package static let cookieName = "cix_form"
    let secret: SymmetricKey

    /// A fresh secret each start: tokens last as long as the daemon.
    package init() { secret = SymmetricKey(size: .bits256) }

    /// A new random cookie value.
    package static func newCookieValue() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    package func token(for cookie: String) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: Data(cookie.utf8), using: secret))
    }

    /// Whether a posted token matches the cookie it was issued for, compared in constant time.
    package func accepts(token: String?, cookie: String?) -> Bool {
        guard let token, let cookie, cookie.count == 32, let given = Hex.decode(token, count: 32) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(Data(given), authenticating: Data(cookie.utf8), using: secret)
    }
}
