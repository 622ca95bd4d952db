/// How the public pages show maps.
package struct WebConfig: Sendable, Codable, Equatable {
    /// Tile URL template; "" for no tiles (markers and areas on a plain background).
    package var tiles: String?
    package var tile_attribution: String?
    /// The pages' language when a browser asks for none that is offered (`Language` tags); English if unset.
    package var language: String?

    package static let defaultTiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    package static let defaultAttribution = "© OpenStreetMap contributors"

    package init(tiles: String? = nil, tile_attribution: String? = nil, language: String? = nil) {
        self.tiles = tiles
        self.tile_attribution = tile_attribution
        self.language = language
    }

    /// The configured default language (checked when the config is read).
    package var defaultLanguage: Language { language.flatMap(Language.init) ?? .english }
}
