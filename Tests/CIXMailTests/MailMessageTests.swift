import Foundation
import Testing

@testable import CIXMail

@Suite("Mail messages")
struct MailMessageTests {
    @Test(arguments: [
        ("ann@example.org", "ann@example.org"),
        ("  Ann.Smith+cix@Example.ORG ", "ann.smith+cix@example.org"),
    ])
    func addressesAreKeptInLowerCase(given: String, kept: String) throws {
        #expect(try MailAddress(given).text == kept)
    }

    @Test(arguments: [
        "ann@example.org\r\nBcc: eve@example.net", "ann@example.org\nBcc: eve@example.net", "Ann <ann@example.org>",
        "ann example@example.org", "ann@example", "@example.org", "ann@@example.org", "ann@example..org",
        "\"ann\"@example.org", "ann@example.org,eve@example.net", "anné@example.org", "ann@.example.org",
        String(repeating: "a", count: 65) + "@example.org",
    ])
    func addressesThatCouldCarryAHeaderOrAnotherRecipientAreRefused(given: String) {
        #expect(throws: MailError.self) { try MailAddress(given) }
    }

    func message(subject: String, text: String, fromName: String = "Greenfield reports") throws -> MailMessage {
        try MailMessage(
            from: MailAddress("reports@greenfield.example"),
            fromName: fromName,
            to: MailAddress("ann@example.org"),
            subject: subject,
            text: text,
            unsubscribe: "https://greenfield.example/mail/unsubscribe?f=1&t=ab"
        )
    }

    @Test func namesAndSubjectsWithLineBreaksOrControlsAreRefused() {
        for bad in ["Hello\r\nBcc: eve@example.net", "Hello\nX: y", "Tab\there", "Bell\u{7}", "C1\u{85}line"] {
            #expect(throws: MailError.self) { try message(subject: bad, text: "") }
            #expect(throws: MailError.self) { try message(subject: "ok", text: "", fromName: bad) }
        }
    }

    @Test func aMessageIsASCIIWithItsHeadersAndTextInQuotedPrintable() throws {
        let text = "Café on Mill Lane = closed.\n.\nA line with trailing space \n" + String(repeating: "x", count: 100)
        let rendered = try message(subject: "Réponse: Mill Lane", text: text).rendered(
            date: Date(timeIntervalSince1970: 1_800_000_000),
            messageID: "abc@greenfield.example"
        )
        #expect(rendered.allSatisfy { $0 < 0x80 })
        let raw = String(decoding: rendered, as: UTF8.self)
        let head = try #require(raw.components(separatedBy: "\r\n\r\n").first)
        #expect(head.contains("Date: Fri, 15 Jan 2027 08:00:00 +0000"))
        #expect(head.contains("From: \"Greenfield reports\" <reports@greenfield.example>"))
        #expect(head.contains("To: ann@example.org"))
        #expect(head.contains("Subject: =?UTF-8?B?\(Data("Réponse: Mill Lane".utf8).base64EncodedString())?="))
        #expect(head.contains("List-Unsubscribe: <https://greenfield.example/mail/unsubscribe?f=1&t=ab>"))
        #expect(head.contains("Content-Transfer-Encoding: quoted-printable"))
        let body = raw.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        #expect(body.hasPrefix("Caf=C3=A9 on Mill Lane =3D closed.\r\n.\r\nA line with trailing space=20\r\n"))
        #expect(body.split(separator: "\r\n").allSatisfy { $0.count <= 76 })
        #expect(!raw.contains("\n") || !raw.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "only CRLF")
    }

    @Test func longNonASCIISubjectsAreSplitIntoWordsBetweenCharacters() {
        let subject = String(repeating: "é", count: 40) + "🙂"
        let encoded = MailMessage.encodedWords(subject)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        #expect(words.allSatisfy { $0.count <= 75 && $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") })
        let decoded = words.map { word -> String in
            let base64 = word.dropFirst(10).dropLast(2)
            return String(decoding: Data(base64Encoded: String(base64)) ?? Data(), as: UTF8.self)
        }
        #expect(decoded.joined() == subject)
    }

    @Test func linesStartingWithAPeriodAreDoubledForSMTP() {
        let stuffed = SMTPSession.dotStuffed(Array("a\r\n.\r\n..b\r\nc".utf8))
        #expect(String(decoding: stuffed, as: UTF8.self) == "a\r\n..\r\n...b\r\nc\r\n")
    }
}
