/// How the public pages show maps.
public struct WebConfig: Sendable, Codable, Equatable {
    /// Tile URL template; "" for no tiles (markers and areas on a plain background).
    public var tiles: String?
    public var tile_attribution: String?

    public static let defaultTiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    public static let defaultAttribution = "© OpenStreetMap contributors"

    public init(tiles: String? = nil, tile_attribution: String? = nil) {
        self.tiles = tiles
        self.tile_attribution = tile_attribution
    }
}
