/// A language the public pages are offered in, by its BCP 47 tag. English is
/// complete and the fallback; Welsh is there because councils in Wales must
/// offer it.
package enum Language: String, Sendable, CaseIterable, Codable {
    case english = "en"
    case welsh = "cy"

    /// The language's name in itself, as a language switcher shows it.
    package var endonym: String {
        switch self {
        case .english: "English"
        case .welsh: "Cymraeg"
        }
    }
}
