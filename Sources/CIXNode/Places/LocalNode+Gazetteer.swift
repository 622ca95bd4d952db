import CIXStore
import Foundation

extension LocalNode {
    /// The streets and places residents can search for on the report form.
    package var gazetteer: any GazetteerStore { vault }

    /// Replaces the gazetteer with the places of a GeoJSON or CSV file; returns how many it holds now.
    package func importGazetteer(from url: URL) throws(NodeError) -> Int {
        let places = try GazetteerFile.read(url)
        do {
            try gazetteer.replaceGazetteer(places)
            return places.count
        } catch {
            throw NodeError(error)
        }
    }

    /// The ten places best matching `text` (every word, the last as a prefix).
    package func searchPlaces(_ text: String) throws(NodeError) -> [Place] {
        do { return try gazetteer.places(matching: text, limit: 10) } catch { throw NodeError(error) }
    }
}
