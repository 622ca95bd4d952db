import CIXCanonicalJSON
import CIXStore
import Foundation

/// A gazetteer as an operator gives it: GeoJSON (a FeatureCollection whose
/// features have `properties.name`, optionally `properties.kind`, and any
/// geometry: a point as it is, a street's line by its middle vertex, an area
/// by the middle of its bounds) or CSV (a header naming `name`, `lat` or
/// `latitude`, `lon` or `longitude`, optionally `kind`). The whole file is
/// refused with its first problems named, or taken whole.
package enum GazetteerFile {
    /// What is wrong with one entry.
    struct Problem: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }

    package static let maxPlaces = 500_000
    package static let maxBytes = 256 << 20
    static let maxName = 200

    package static func read(_ url: URL) throws(NodeError) -> [Place] {
        let data: Data
        do {
            let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
            guard size <= maxBytes else {
                throw NodeError(.invalidInput, "\(url.lastPathComponent) is over \(maxBytes >> 20) MiB")
            }
            data = try Data(contentsOf: url)
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(.io, "cannot read \(url.path): \(error.localizedDescription)")
        }
        let bytes = Array(data)
        let first = bytes.first {
            !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF)
        }
        let places = first == UInt8(ascii: "{") ? try geoJSON(bytes) : try csv(String(decoding: bytes, as: UTF8.self))
        guard !places.isEmpty else { throw NodeError(.invalidInput, "\(url.lastPathComponent) names no places") }
        guard places.count <= maxPlaces else {
            throw NodeError(.invalidInput, "\(url.lastPathComponent) has \(places.count) places; at most \(maxPlaces)")
        }
        // Segments of one street often share a name and a point: keep one of each.
        var seen: Set<String> = []
        return places.filter {
            seen.insert("\($0.name.lowercased())|\(String(format: "%.4f,%.4f", $0.latitude, $0.longitude))").inserted
        }
    }

    /// A place, checked; the problem in words otherwise.
    static func place(
        _ name: String?,
        _ kind: String?,
        _ latitude: Double?,
        _ longitude: Double?
    ) -> Result<Place, Problem> {
        guard let name = name?.trimmingCharacters(in: .whitespaces), (1...maxName).contains(name.count),
            !name.contains(where: \.isNewline)
        else { return .failure(Problem("a name of 1 to \(maxName) characters on one line is needed")) }
        guard let latitude, let longitude, (-90...90).contains(latitude), (-180...180).contains(longitude) else {
            return .failure(Problem("\(name): a latitude (-90 to 90) and longitude (-180 to 180) are needed"))
        }
        let kind = String((kind ?? "").prefix(40)).filter { !$0.isNewline }
        return .success(Place(name: name, kind: kind, latitude: latitude, longitude: longitude))
    }

    static func collect(_ results: [(Int, Result<Place, Problem>)], unit: String) throws(NodeError) -> [Place] {
        var places: [Place] = []
        var problems: [String] = []
        for (index, result) in results {
            switch result {
            case .success(let place): places.append(place)
            case .failure(let problem): if problems.count < 5 { problems.append("\(unit) \(index): \(problem.text)") }
            }
        }
        guard problems.isEmpty else {
            throw NodeError(.invalidInput, "nothing was imported: " + problems.joined(separator: "; "))
        }
        return places
    }

    static func geoJSON(_ bytes: [UInt8]) throws(NodeError) -> [Place] {
        let value: JSONValue
        do {
            value = try JSONParser(limits: .init(maxDepth: 16, maxBytes: maxBytes)).parse(bytes)
        } catch {
            throw NodeError(.invalidInput, "the file is not JSON: \(error)")
        }
        guard value["type"]?.stringValue == "FeatureCollection", let features = value["features"]?.arrayValue else {
            throw NodeError(.invalidInput, "a GeoJSON gazetteer must be a FeatureCollection")
        }
        let results = features.enumerated().map { index, feature -> (Int, Result<Place, Problem>) in
            let properties = feature["properties"]
            let point = representativePoint(feature["geometry"])
            return (
                index + 1,
                place(
                    properties?["name"]?.stringValue,
                    properties?["kind"]?.stringValue ?? properties?["type"]?.stringValue,
                    point?.latitude,
                    point?.longitude
                )
            )
        }
        return try collect(results, unit: "feature")
    }

    /// A point for any geometry: a Point itself, a line's middle vertex, otherwise the middle of its bounds.
    static func representativePoint(_ geometry: JSONValue?) -> (latitude: Double, longitude: Double)? {
        guard let geometry, let type = geometry["type"]?.stringValue, let coordinates = geometry["coordinates"] else {
            return nil
        }
        func position(_ value: JSONValue) -> (latitude: Double, longitude: Double)? {
            guard let pair = value.arrayValue, pair.count >= 2, let lon = pair[0].numberValue,
                let lat = pair[1].numberValue
            else { return nil }
            return (lat, lon)
        }
        func positions(_ value: JSONValue) -> [(latitude: Double, longitude: Double)] {
            if let single = position(value) { return [single] }
            return (value.arrayValue ?? []).flatMap(positions)
        }
        switch type {
        case "Point": return position(coordinates)
        case "LineString":
            let line = positions(coordinates)
            return line.isEmpty ? nil : line[line.count / 2]
        default:
            let all = positions(coordinates)
            guard let south = all.map(\.latitude).min(), let north = all.map(\.latitude).max(),
                let west = all.map(\.longitude).min(), let east = all.map(\.longitude).max()
            else { return nil }
            return ((south + north) / 2, (west + east) / 2)
        }
    }

    static func csv(_ text: String) throws(NodeError) -> [Place] {
        var rows = text.split(whereSeparator: \.isNewline).map { fields(String($0)) }
        guard !rows.isEmpty else { return [] }
        let header = rows.removeFirst().map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        func column(_ names: String...) -> Int? { header.firstIndex { names.contains($0) } }
        guard let name = column("name"), let lat = column("lat", "latitude"),
            let lon = column("lon", "lng", "longitude")
        else {
            throw NodeError(.invalidInput, "a CSV gazetteer's first line must name the columns name, lat and lon")
        }
        let kind = column("kind", "type")
        let results = rows.enumerated().map { index, row -> (Int, Result<Place, Problem>) in
            func value(_ column: Int?) -> String? { column.flatMap { $0 < row.count ? row[$0] : nil } }
            return (
                index + 2,
                place(
                    value(name),
                    value(kind),
                    value(lat).flatMap { Double($0.trimmingCharacters(in: .whitespaces)) },
                    value(lon).flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
                )
            )
        }
        return try collect(results, unit: "line")
    }

    /// One CSV line's fields (RFC 4180 quoting: "a, b" and "" inside quotes).
    static func fields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = Array(line).makeIterator()
        var pendingQuote = false
        while let character = iterator.next() {
            if pendingQuote {
                pendingQuote = false
                if character == "\"" {
                    current.append("\"")
                    continue
                }
                quoted = false
            }
            switch character {
            case "\"" where quoted: pendingQuote = true
            case "\"" where current.isEmpty: quoted = true
            case "," where !quoted:
                fields.append(current)
                current = ""
            default: current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
