/// How the public pages show maps.
package struct WebConfig: Sendable, Codable, Equatable {
    /// Tile URL template; "" for no tiles (markers and areas on a plain background).
    package var tiles: String?
    package var tile_attribution: String?

    package static let defaultTiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    package static let defaultAttribution = "© OpenStreetMap contributors"

    package init(tiles: String? = nil, tile_attribution: String? = nil) {
        self.tiles = tiles
        self.tile_attribution = tile_attribution
    }
}
