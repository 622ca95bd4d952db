/// The standard reasons a body gives for declining a report: a choice in the
/// staff console whose words open the public reason, so that residents read
/// the same explanation for the same case, and the audit trail keeps the code.
package enum DeclineReason: String, Sendable, CaseIterable {
    case notOurService = "not-our-service"
    case outsideOurArea = "outside-our-area"
    case privateLand = "private-land"
    case cannotFind = "cannot-find"
    /// No standard words: the typed reason alone.
    case other

    /// What residents read (nil for `other`).
    package var words: String? {
        switch self {
        case .notOurService: "This is not something we are responsible for."
        case .outsideOurArea: "This place is outside the area we look after."
        case .privateLand: "This is on private land, so its owner is responsible."
        case .cannotFind: "We could not find the problem from the details given."
        case .other: nil
        }
    }

    /// The choice's label in the form.
    package var label: String {
        switch self {
        case .notOurService: "Not our responsibility"
        case .outsideOurArea: "Outside our area"
        case .privateLand: "On private land"
        case .cannotFind: "Cannot find it"
        case .other: "Another reason (write it below)"
        }
    }

    /// The public reason: the standard words, then what was typed; nil when nothing would be said.
    package func publicReason(detail: String?) -> String? {
        let parts = [words, detail].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
