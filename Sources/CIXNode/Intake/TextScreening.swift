import Foundation

/// A check of free text before anything is signed: where personal data
/// (phone numbers, e-mail addresses, …) is found, so that it is kept from
/// publication. Every intake runs the node's screening exactly once per
/// submission.
package protocol TextScreening: Sendable {
    /// What in `text` looks like personal data, in order of appearance.
    func findings(in text: String) -> [ScreeningFinding]
}

/// One piece of text that looks like personal data.
package struct ScreeningFinding: Sendable, Equatable {
    package enum Kind: String, Sendable, CaseIterable {
        case email, phone
        case homeAddress = "home_address"
        case vehiclePlate = "vehicle_plate"

        /// What it is, in words ("a phone number").
        package var words: String {
            switch self {
            case .email: "an e-mail address"
            case .phone: "a phone number"
            case .homeAddress: "a home address"
            case .vehiclePlate: "a vehicle registration"
            }
        }

        /// What replaces it when it is masked.
        package var mask: String {
            switch self {
            case .email: "[e-mail address removed]"
            case .phone: "[phone number removed]"
            case .homeAddress: "[address removed]"
            case .vehiclePlate: "[registration removed]"
            }
        }
    }

    package let kind: Kind
    /// The text found.
    package let text: String
    let range: Range<String.Index>
}

/// What an intake does with findings: show them to the person (who may edit,
/// or send again to have them masked), or mask them before signing.
package enum ScreeningPolicy: Sendable, Equatable {
    case warn
    case mask
}

/// Screening that finds nothing.
package struct NoScreening: TextScreening {
    package init() {}
    package func findings(in text: String) -> [ScreeningFinding] { [] }
}

/// The node's screening: e-mail addresses; phone numbers (10 to 15 digits
/// starting with 0 or +, in the groupings people type); a house number and
/// street together with a full postcode; UK vehicle registrations. Dates,
/// times, prices, issue ids, bus numbers and street numbers alone are not
/// findings.
package struct PersonalDataScreening: TextScreening {
    package init() {}

    static var email: Regex<Substring> { #/[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}/# }
    static var phone: Regex<Substring> { #/(?:\+|0)[0-9 ()\-.]{8,20}[0-9]/# }
    static var homeAddress: Regex<Substring> {
        #/\b[0-9]{1,4}[A-Za-z]? +[A-Z][a-z]+(?: +[A-Z][a-z]+)* +(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Way|Place|Crescent|Court|Gardens|Terrace|Grove|Row|Hill|Walk|Mews|Square)\b[^\n]*?\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b/#
    }
    static var plate: Regex<Substring> { #/\b[A-Z]{2}[0-9]{2} ?[A-Z]{3}\b/# }

    package func findings(in text: String) -> [ScreeningFinding] {
        var found: [ScreeningFinding] = []
        func add<Output>(
            _ kind: ScreeningFinding.Kind,
            _ regex: Regex<Output>,
            accept: (Range<String.Index>) -> Bool = { _ in true }
        ) {
            for match in text.matches(of: regex) where accept(match.range) {
                // One finding per stretch of text: the first kind to claim it keeps it.
                guard !found.contains(where: { $0.range.overlaps(match.range) }) else { continue }
                found.append(ScreeningFinding(kind: kind, text: String(text[match.range]), range: match.range))
            }
        }
        add(.email, Self.email)
        add(.homeAddress, Self.homeAddress)
        add(.phone, Self.phone) { range in
            // Standing alone (not inside a word, price, id, date or time) and 10 to 15 digits long.
            let before = range.lowerBound > text.startIndex ? text[text.index(before: range.lowerBound)] : " "
            let after = range.upperBound < text.endIndex ? text[range.upperBound] : " "
            let joined: Set<Character> = ["£", "$", "€", ".", ",", "/", ":", "-", "+", "_"]
            guard !before.isLetter, !before.isNumber, !joined.contains(before) else { return false }
            guard !after.isLetter, !after.isNumber, after != "/", after != ":" else { return false }
            return (10...15).contains(text[range].filter { $0.isASCII && $0.isNumber }.count)
        }
        add(.vehiclePlate, Self.plate)
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }
}

extension TextScreening {
    /// `text` with every finding replaced by its mask.
    package func masked(_ text: String) -> (text: String, findings: [ScreeningFinding]) {
        let found = findings(in: text)
        var result = text
        for finding in found.reversed() { result.replaceSubrange(finding.range, with: finding.kind.mask) }
        return (result, found)
    }
}
