import Foundation

/// Files the pages load: our stylesheet and map script (in the binary), and Leaflet from the system's `libjs-leaflet` package, so the
/// node serves everything itself and makes no third-party requests.
package enum StaticAssets {
    package struct Asset: Sendable {
        package let bytes: [UInt8]
        package let contentType: String
    }

    /// Where Debian's libjs-leaflet installs Leaflet.
    package static let leafletDirectory = "/usr/share/javascript/leaflet"

    static let leafletFiles: [String: String] = [
        "leaflet.js": "text/javascript; charset=utf-8", "leaflet.css": "text/css; charset=utf-8",
        "images/marker-icon.png": "image/png", "images/marker-icon-2x.png": "image/png",
        "images/marker-shadow.png": "image/png", "images/layers.png": "image/png", "images/layers-2x.png": "image/png",
    ]

    /// Leaflet's files, read once.
    static let leaflet: [String: Asset] = leafletFiles.reduce(into: [:]) { assets, file in
        if let data = FileManager.default.contents(atPath: "\(leafletDirectory)/\(file.key)") {
            assets[file.key] = Asset(bytes: Array(data), contentType: file.value)
        }
    }

    /// The site's icon: a map pin on the palette's blue, drawn as plain shapes (no script, no text).
    static let favicon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">\
        <rect width="32" height="32" rx="6" fill="#1d4f91"/>\
        <path d="M16 5a8 8 0 0 0-8 8c0 6 8 14 8 14s8-8 8-14a8 8 0 0 0-8-8z" fill="#fff"/>\
        <circle cx="16" cy="13" r="3" fill="#1d4f91"/></svg>

        """

    /// The asset at a path under `/static/`, or nil.
    package static func asset(_ path: String) -> Asset? {
        switch path {
        case "cix.css": return Asset(bytes: Array(stylesheet.utf8), contentType: "text/css; charset=utf-8")
        case "cix.js": return Asset(bytes: Array(mapScript.utf8), contentType: "text/javascript; charset=utf-8")
        case "favicon.svg": return Asset(bytes: Array(favicon.utf8), contentType: "image/svg+xml")
        default:
            guard path.hasPrefix("leaflet/") else { return nil }
            return leaflet[String(path.dropFirst("leaflet/".count))]
        }
    }

    /// Whether Leaflet is installed; without it pages still work, without maps.
    package static var hasLeaflet: Bool { FileManager.default.fileExists(atPath: "\(leafletDirectory)/leaflet.js") }
}
