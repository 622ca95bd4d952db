import CIXCanonicalJSON
import CIXCore
import Foundation

/// Free text as clients send it, made ready for the protocol: CRLF and CR
/// become LF (FixMyStreet's HTTP library and many browsers send CRLF), tabs
/// become spaces, and surrounding white space is trimmed; then the field is
/// checked against its protocol schema, with a message for a person.
package struct SubmittedText {
    let field: String
    /// How the field is called to the person ("A short title").
    let label: String
    let schema: Schema
    /// What the text is (`IntakeProblem.Reason`), when it differs from the field.
    let subject: String

    init(field: String, label: String, schema: Schema, subject: String? = nil) {
        self.field = field
        self.label = label
        self.schema = schema
        self.subject = subject ?? field
    }

    /// The normalised text, or nil when it is empty.
    package static func normalise(_ text: String?) -> String? {
        guard let text else { return nil }
        var scalars = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\r": scalars.append("\n")
            case "\n" where previous == "\r": break
            case "\t": scalars.append(" ")
            default: scalars.append(scalar)
            }
            previous = scalar
        }
        let trimmed = String(scalars).trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Checks `text` (already normalised); nil when it is acceptable.
    func problem(_ text: String?, required: Bool) -> IntakeProblem? {
        guard let text else {
            return required
                ? IntakeProblem(field: field, reason: .missing(subject: subject), message: "\(label) is needed.") : nil
        }
        do {
            try schema.validate(.string(text))
            return nil
        } catch {
            if case .text(_, let max, _) = schema, text.unicodeScalars.count > max {
                return IntakeProblem(
                    field: field,
                    reason: .tooLong(subject: subject, max: max),
                    message: "\(label) may be at most \(max) characters."
                )
            }
            return IntakeProblem(
                field: field,
                reason: .controlCharacters(subject: subject),
                message: "\(label) may not contain control characters."
            )
        }
    }
}
