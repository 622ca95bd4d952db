import NIOCore

/// One reply of the relay: its code and its lines (text after the code).
struct SMTPReply: Sendable {
    let code: Int
    let lines: [String]

    func failure(doing step: String) -> MailError {
        let said = "the mail relay answered \(step) with \(code) \(lines.joined(separator: " / ").prefix(300))"
        switch code {
        case 400..<500: return MailError(.temporary, said)
        default: return MailError(.refused, said)
        }
    }
}

/// Reads replies from the relay's bytes: lines of at most 2,000 bytes,
/// replies of at most 100 lines (RFC 5321 allows 512 per line).
struct SMTPReplyReader {
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    var pending: [UInt8] = []

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
        self.iterator = iterator
    }

    mutating func next(doing step: String) async throws(MailError) -> SMTPReply {
        var lines: [String] = []
        while lines.count < 100 {
            let line = try await nextLine(doing: step)
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)),
                (200..<600).contains(code)
            else {
                throw MailError(.unreachable, "the mail relay sent something that is not an SMTP reply during \(step)")
            }
            lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") { return SMTPReply(code: code, lines: lines) }
        }
        throw MailError(.unreachable, "the mail relay's reply during \(step) has too many lines")
    }

    mutating func nextLine(doing step: String) async throws(MailError) -> String {
        while true {
            if let end = pending.firstIndex(of: 0x0A) {
                var line = Array(pending[..<end])
                pending.removeSubrange(...end)
                if line.last == 0x0D { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard pending.count <= 2_000 else {
                throw MailError(.unreachable, "the mail relay sent a line longer than 2,000 bytes during \(step)")
            }
            let buffer: ByteBuffer?
            do {
                buffer = try await iterator.next()
            } catch {
                throw MailError(.unreachable, "the connection to the mail relay failed during \(step): \(error)")
            }
            guard let buffer else {
                throw MailError(.unreachable, "the mail relay closed the connection during \(step)")
            }
            pending += buffer.readableBytesView
        }
    }
}
