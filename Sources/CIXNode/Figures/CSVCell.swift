/// One field of a CSV file (RFC 4180) that people open in a spreadsheet.
package enum CSVCell {
    /// Quoted when it holds a comma, quote or line break; text a spreadsheet would
    /// run as a formula (a leading `=`, `+`, `-`, `@`, tab or CR, and not a number)
    /// gets a leading apostrophe, so that it is shown rather than run.
    package static func text(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(text) == nil {
            text = "'" + text
        }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
