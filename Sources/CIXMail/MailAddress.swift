/// An e-mail address a resident gave, checked strictly enough that it can
/// stand alone in a `To:` header and an SMTP `RCPT TO:` command: one `@`,
/// printable ASCII without spaces, quotes, angle brackets or line breaks
/// (so nothing given in a form can add a header or a recipient), and within
/// RFC 5321's lengths. Internationalised addresses are not accepted.
/// Kept in lower case.
package struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    package let text: String

    package init(_ given: String) throws(MailError) {
        let text = given.trimmingWhitespace
        let bytes = Array(text.utf8)
        guard (3...254).contains(bytes.count) else {
            throw MailError(.badHeader, "an e-mail address has 3 to 254 characters")
        }
        let forbidden = Set("<>()[]\\,;:\" ".utf8)
        guard bytes.allSatisfy({ (0x21...0x7E).contains($0) && !forbidden.contains($0) }) else {
            throw MailError(.badHeader, "an e-mail address has no spaces, line breaks, quotes, brackets or accents")
        }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...64).contains(parts[0].utf8.count), parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !parts[1].contains("..")
        else {
            throw MailError(.badHeader, "an e-mail address looks like name@example.org")
        }
        // Lower-cased whole: no resident's provider tells Ann@ from ann@, and one person must
        // be one follower, and found by `cix subject find` however they typed it.
        self.text = text.lowercased()
    }

    package var description: String { text }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
