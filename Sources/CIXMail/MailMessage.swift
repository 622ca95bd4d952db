import Foundation

/// One plain-text message from the node to one person, written out as
/// RFC 5322 with MIME: UTF-8 text in quoted-printable, a subject and sender
/// name encoded by RFC 2047 when they are not ASCII, and the one-click
/// unsubscribe headers of RFC 8058 when the message offers one.
///
/// Every header value is checked: a line break or other control character in
/// a name or subject is refused (`MailError.badHeader`), never passed on, so
/// nothing a resident typed can add a header or a recipient.
package struct MailMessage: Sendable, Equatable {
    package let from: MailAddress
    package let fromName: String
    package let to: MailAddress
    package let subject: String
    package let text: String
    /// The page that ends these mails for the recipient (`List-Unsubscribe`), if there is one.
    package let unsubscribe: String?

    package init(
        from: MailAddress,
        fromName: String,
        to: MailAddress,
        subject: String,
        text: String,
        unsubscribe: String? = nil
    ) throws(MailError) {
        try Self.checkHeaderValue(fromName, what: "the sender's name")
        try Self.checkHeaderValue(subject, what: "the subject")
        if let unsubscribe {
            try Self.checkHeaderValue(unsubscribe, what: "the unsubscribe address")
            guard unsubscribe.hasPrefix("https://") || unsubscribe.hasPrefix("http://"),
                unsubscribe.unicodeScalars.allSatisfy(\.isASCII)
            else {
                throw MailError(.badHeader, "the unsubscribe address must be an http(s) URL in ASCII")
            }
        }
        self.from = from
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.text = text
        self.unsubscribe = unsubscribe
    }

    static func checkHeaderValue(_ value: String, what: String) throws(MailError) {
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
            throw MailError(.badHeader, "\(what) must not contain line breaks or control characters")
        }
        guard value.utf8.count <= 900 else { throw MailError(.badHeader, "\(what) is too long for a header") }
    }

    /// The message as sent: CRLF line ends, ASCII only (before SMTP's dot-stuffing).
    package func rendered(date: Date, messageID: String) -> [UInt8] {
        var headers = [
            "Date: \(Self.dateFormatter.string(from: date))",
            "From: \(Self.mailbox(name: fromName, address: from))",
            "To: \(to.text)",
            "Subject: \(Self.encodedWords(subject))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "Auto-Submitted: auto-generated",
        ]
        if let unsubscribe {
            headers.append("List-Unsubscribe: <\(unsubscribe)>")
            headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        let head = headers.joined(separator: "\r\n") + "\r\n\r\n"
        return Array(head.utf8) + QuotedPrintable.encode(text)
    }

    /// `"Name" <address>` (quoted, or RFC 2047 words when the name is not ASCII); the bare address with no name.
    static func mailbox(name: String, address: MailAddress) -> String {
        guard !name.isEmpty else { return address.text }
        guard name.unicodeScalars.allSatisfy(\.isASCII) else { return "\(encodedWords(name)) <\(address.text)>" }
        let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(quoted)\" <\(address.text)>"
    }

    /// ASCII text as it is; anything else as RFC 2047 B-encoded words of at most 75 characters,
    /// split between characters, folded onto continuation lines.
    static func encodedWords(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy(\.isASCII) else { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    static let dateFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter
    }()
}

/// RFC 2045 quoted-printable for UTF-8 text: lines of at most 76 characters,
/// line ends as CRLF, trailing spaces encoded so no relay strips them.
enum QuotedPrintable {
    static func encode(_ text: String) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines {
            let bytes = Array(line.utf8)
            var width = 0
            for (index, byte) in bytes.enumerated() {
                let last = index == bytes.count - 1
                let literal =
                    (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                    || ((byte == 0x20 || byte == 0x09) && !last)
                let piece: [UInt8] = literal ? [byte] : [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                if width + piece.count > 75 {
                    out += Array("=\r\n".utf8)
                    width = 0
                }
                out += piece
                width += piece.count
            }
            out += [0x0D, 0x0A]
        }
        return out
    }
}
