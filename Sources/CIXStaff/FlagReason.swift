/// Why a resident flags a published report or contribution ("report this").
package enum FlagReason: String, Sendable, CaseIterable {
    case personalData = "personal-data"
    case abusive
    case spam
    case other

    /// As the public form offers it.
    package var label: String {
        switch self {
        case .personalData: "It shows someone's personal details"
        case .abusive: "It is abusive or offensive"
        case .spam: "It is spam or advertising"
        case .other: "Something else"
        }
    }

    /// The most open flags one item keeps: enough to show a moderator it matters, not a way to fill the disk.
    package static let capPerItem = 50
    /// The longest note a resident may add.
    package static let maxNote = 500
}
