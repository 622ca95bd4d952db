import CIXNode
import Foundation

extension Language {
    /// This language's message catalogue.
    package var catalogue: any Catalogue {
        switch self {
        case .english: EnglishCatalogue()
        case .welsh: WelshCatalogue()
        }
    }

    /// The cookie that remembers a visitor's choice from the switcher.
    package static let cookieName = "cix_lang"
    /// The query parameter the switcher's links set (`?lang=cy`).
    package static let parameterName = "lang"

    /// The language of a page: chosen in the address (the switcher), else remembered in the
    /// visitor's cookie, else the first offered one the browser asks for, else the node's default.
    package static func choose(
        parameter: String?,
        cookie: String?,
        acceptLanguage: String?,
        fallback: Language
    ) -> Language {
        if let chosen = parameter.flatMap(Language.init) { return chosen }
        if let remembered = cookie.flatMap(Language.init) { return remembered }
        return acceptLanguage.flatMap { preferred($0, fallback: fallback) } ?? fallback
    }

    /// The offered language a browser prefers by `Accept-Language` (RFC 9110 §12.5.4): the highest
    /// quality wins, earlier first among equals; a range matches its own tag and any longer one
    /// (`cy` matches `cy-GB`, `cy-GB` matches `cy`); `*` is the fallback; `q=0` refuses. Nil if
    /// nothing offered is acceptable or the header cannot be read.
    package static func preferred(_ header: String, fallback: Language) -> Language? {
        var best: (language: Language, quality: Double)?
        var refused: Set<Language> = []
        for item in header.split(separator: ",").prefix(32) {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let range = parts.first?.lowercased(), !range.isEmpty, range.count <= 35 else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                guard let value = Double(parameter.dropFirst(2)), (0...1).contains(value) else { return nil }
                quality = value
            }
            let primary = range.split(separator: "-").first.map(String.init) ?? range
            let language = range == "*" ? fallback : Language(rawValue: primary)
            guard let language else { continue }
            if quality == 0 {
                refused.insert(language)
                continue
            }
            if best == nil || quality > (best?.quality ?? 0) { best = (language, quality) }
        }
        guard let best, !refused.contains(best.language) else { return nil }
        return best.language
    }
}
