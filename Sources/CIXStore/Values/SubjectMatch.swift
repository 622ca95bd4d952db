/// How a person asking for their records is recognised in the private tables, the same on every
/// backend: an e-mail address (lower case) anywhere in a text or as a contact's address, or a phone
/// number by its digits (six at least, so that a short number matches nothing by chance).
package struct SubjectMatch: Sendable {
    package let email: String?
    /// The phone number's digits, if it has enough of them.
    package let phoneDigits: String?

    package init(email: String?, phone: String?) {
        self.email = email
        self.phoneDigits = phone.map(Self.digits).flatMap { $0.count >= 6 ? $0 : nil }
    }

    /// The digits of a phone number: how numbers typed differently are matched.
    package static func digits(_ text: String) -> String { String(text.filter(\.isNumber)) }

    /// Whether a free text (a held report's fields, an Open311 post's details) names the person.
    package func names(_ text: String) -> Bool {
        if let email, text.lowercased().contains(email) { return true }
        if let phoneDigits, Self.digits(text).contains(phoneDigits) { return true }
        return false
    }

    /// Whether a reporter's contact details are the person's.
    package func isTheirs(_ contact: ReporterContact) -> Bool {
        (email != nil && contact.email?.lowercased() == email)
            || (phoneDigits != nil && contact.phone.map(Self.digits) == phoneDigits)
    }
}
