import Foundation

/// A submitted form: text fields, and at most a few uploaded files.
///
/// Reads `application/x-www-form-urlencoded` and `multipart/form-data`
/// (RFC 7578) strictly: unknown structure is refused rather than guessed at.
package struct FormData: Sendable {
    package struct File: Sendable {
        package let filename: String
        package let bytes: [UInt8]
    }

    /// Every value of every name, in the order sent (Open311's `media_url` may repeat).
    package private(set) var allValues: [String: [String]] = [:]
    /// Each name's last value.
    package var fields: [String: String] { allValues.compactMapValues(\.last) }
    package private(set) var files: [String: File] = [:]
    /// Names that came more than once (the last value is kept in `fields`).
    package var repeatedNames: Set<String> { Set(allValues.filter { $0.value.count > 1 }.keys) }
    /// Distinct names accepted at most.
    private var fieldLimit = Self.maxFields

    package static let maxFields = 32
    package static let maxFieldBytes = 16 * 1024

    package init(fields: [String: String] = [:]) {
        self.allValues = fields.mapValues { [$0] }
    }

    package subscript(_ name: String) -> String? { allValues[name]?.last }

    /// Parses a body by its Content-Type.
    package static func parse(
        _ body: [UInt8],
        contentType: String,
        maxFields: Int = maxFields
    ) throws(WebError) -> FormData {
        let media =
            contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch media {
        case "application/x-www-form-urlencoded":
            return try urlEncoded(body, maxFields: maxFields)
        case "multipart/form-data":
            guard let boundary = parameter("boundary", in: contentType), !boundary.isEmpty, boundary.utf8.count <= 70
            else {
                throw WebError(400, "the form's multipart boundary is missing or too long")
            }
            return try multipart(body, boundary: boundary, maxFields: maxFields)
        default:
            throw WebError(415, "forms must be sent as application/x-www-form-urlencoded or multipart/form-data")
        }
    }

    /// `a=b&c=d` with `+` as space and percent escapes, as browsers send it (and as query strings are).
    package static func urlEncoded(_ body: [UInt8], maxFields: Int = maxFields) throws(WebError) -> FormData {
        var form = FormData()
        form.fieldLimit = maxFields
        for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decodeComponent(parts[0]), let value = decodeComponent(parts.count > 1 ? parts[1] : [])
            else {
                throw WebError(400, "the form data is not valid UTF-8 with percent escapes")
            }
            try form.add(name, value)
        }
        return form
    }

    mutating func add(_ name: String, _ value: String) throws(WebError) {
        guard allValues.count < fieldLimit else { throw WebError(400, "the form has too many fields") }
        guard value.utf8.count <= Self.maxFieldBytes else { throw WebError(413, "the field “\(name)” is too long") }
        allValues[name, default: []].append(value)
    }

    static func decodeComponent(_ bytes: some Collection<UInt8>) -> String? {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): decoded.append(0x20)
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                decoded.append(high << 4 | low)
            default: decoded.append(byte)
            }
        }
        return String(validating: decoded, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A `name=value` or `name="value"` parameter of a header value.
    static func parameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
        return nil
    }

    static func multipart(_ body: [UInt8], boundary: String, maxFields: Int) throws(WebError) -> FormData {
        let delimiter = Array("--\(boundary)".utf8)
        let malformed = WebError(400, "the multipart form data is malformed")
        guard body.starts(with: delimiter) else { throw malformed }
        var form = FormData()
        form.fieldLimit = maxFields
        var position = delimiter.count
        while true {
            // After a delimiter: "--" ends the body; otherwise CRLF and a part follow.
            if body[position...].starts(with: [0x2D, 0x2D]) { return form }
            guard body[position...].starts(with: [0x0D, 0x0A]) else { throw malformed }
            position += 2
            guard let headerEnd = find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: position) else { throw malformed }
            guard let headers = String(validating: body[position..<headerEnd], as: UTF8.self) else { throw malformed }
            let contentStart = headerEnd + 4
            guard let next = find([0x0D, 0x0A] + delimiter, in: body, from: contentStart) else { throw malformed }
            let content = Array(body[contentStart..<next])
            position = next + 2 + delimiter.count
            var disposition: String?
            for line in headers.split(separator: "\r\n") {
                let pair = line.split(separator: ":", maxSplits: 1)
                if pair.count == 2, pair[0].lowercased() == "content-disposition" { disposition = String(pair[1]) }
            }
            guard let disposition, disposition.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("form-data"),
                let name = parameter("name", in: disposition)
            else { throw malformed }
            if let filename = parameter("filename", in: disposition) {
                guard form.files.count < 4 else { throw WebError(400, "at most 4 files may be sent") }
                if !content.isEmpty || !filename.isEmpty { form.files[name] = File(filename: filename, bytes: content) }
            } else {
                guard let value = String(validating: content, as: UTF8.self) else {
                    throw WebError(400, "the field “\(name)” is not valid UTF-8")
                }
                try form.add(name, value)
            }
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
