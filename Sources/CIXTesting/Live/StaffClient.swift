import CIXStaff
import Foundation

/// A member of staff's browser without the browser: signs in through the
/// real form (anti-forgery cookie, password, TOTP code), keeps the session
/// cookie, and posts the console's forms with the session's token.
package struct StaffClient: Sendable {
    package let web: WebClient
    /// `cix_staff=…`, as the sign-in set it.
    package let cookie: String
    /// The session's anti-forgery token, read from a signed-in page.
    package let csrf: String

    /// What `cix staff add --json` prints, as the tests need it.
    package struct Account: Sendable {
        package let login: String
        package let password: String
        /// The key as the store keeps it (the authenticator app's secret, base-32 decoded).
        package let totpSecret: String
        package let recoveryCodes: [String]

        package init(login: String, password: String, appSecret: String, recoveryCodes: [String]) {
            self.login = login
            self.password = password
            totpSecret = String(decoding: Base32.decode(appSecret), as: UTF8.self)
            self.recoveryCodes = recoveryCodes
        }

        /// The code an authenticator app shows now, `offset` steps away.
        package func code(offset: Int64 = 0) -> String {
            TOTPCheck(secret: totpSecret).code(step: Int64(Date().timeIntervalSince1970) / 30 + offset)
        }
    }

    /// Signs in with the account's password and `code` (default: the current TOTP code).
    package static func signIn(_ web: WebClient, _ account: Account, code: String? = nil) async throws -> StaffClient {
        let answer = try await attempt(
            web,
            login: account.login,
            password: account.password,
            code: code ?? account.code()
        )
        guard answer.status == 303, let setCookie = answer.header("set-cookie"),
            let cookie = setCookie.split(separator: ";").first, cookie.hasPrefix("cix_staff=")
        else {
            throw TestFailure("sign-in as \(account.login) failed: \(answer.status) \(answer.text.prefix(300))")
        }
        let inbox = try await web.request(.GET, "/staff", headers: [("Cookie", String(cookie))])
        guard let csrf = token(in: inbox.text) else {
            throw TestFailure("no session token on the inbox: \(inbox.status)")
        }
        return StaffClient(web: web, cookie: String(cookie), csrf: csrf)
    }

    /// One sign-in post through the real form; the answer as it comes.
    package static func attempt(
        _ web: WebClient,
        login: String,
        password: String,
        code: String,
        extraCookie: String? = nil
    ) async throws -> WebClient.Answer {
        let form = try await web.formSession("/staff/sign-in")
        let cookies = [form.cookie, extraCookie].compactMap { $0 }.joined(separator: "; ")
        return try await web.post(
            "/staff/sign-in",
            [("csrf", form.token), ("login", login), ("password", password), ("code", code)],
            headers: [("Cookie", cookies)]
        )
    }

    /// The first `name="csrf"` value on a page.
    package static func token(in page: String) -> String? {
        guard let range = page.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }

    package func get(_ path: String) async throws -> WebClient.Answer {
        try await web.request(.GET, path, headers: [("Cookie", cookie)])
    }

    /// Posts a console form with this session's token (or `csrf`, to test a wrong one; nil to leave it out).
    package func post(
        _ path: String,
        _ fields: [(String, String)] = [],
        csrf: String?? = .none,
        headers: [(String, String)] = []
    ) async throws -> WebClient.Answer {
        let token: String? =
            switch csrf {
            case .none: self.csrf
            case .some(let given): given
            }
        return try await web.post(
            path,
            fields + (token.map { [("csrf", $0)] } ?? []),
            headers: [("Cookie", cookie)] + headers
        )
    }
}

/// RFC 4648 base 32, decoding only: authenticator secrets as people type them.
package enum Base32 {
    package static func decode(_ text: String) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bits: UInt64 = 0
        var count = 0
        var bytes: [UInt8] = []
        for character in text.uppercased() where character != "=" {
            guard let value = alphabet.firstIndex(of: character) else { continue }
            bits = (bits << 5) | UInt64(value)
            count += 5
            if count >= 8 {
                count -= 8
                bytes.append(UInt8((bits >> UInt64(count)) & 0xFF))
            }
        }
        return bytes
    }
}
