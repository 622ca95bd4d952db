import CIXStore
import PostgresNIO

/// The node's gazetteer in PostgreSQL: names split into words by `SearchWords`, as issues'
/// texts are, so that a place search means what SQLite's FTS5 one does (every word, the
/// last as a prefix, without case or accents). Every match holds every word asked, so SQLite's
/// rank (BM25) puts names of fewer words first: so does this order, then shorter names.
extension PostgresStore: GazetteerStore {
    package func replaceGazetteer(_ places: [Place]) throws(StoreError) {
        try write("replacing the gazetteer") { connection in
            try connection.run("DELETE FROM gazetteer")
            for start in stride(from: 0, to: places.count, by: 5_000) {
                let batch = places[start..<min(start + 5_000, places.count)]
                try connection.run(
                    """
                    INSERT INTO gazetteer (name, kind, lat, lon, words)
                    SELECT name, kind, lat, lon, array_to_tsvector(string_to_array(words, ' '))
                    FROM unnest(\(batch.map(\.name))::text[], \(batch.map(\.kind))::text[],
                        \(batch.map(\.latitude))::float8[], \(batch.map(\.longitude))::float8[],
                        \(batch.map { SearchWords.document($0.name).joined(separator: " ") })::text[])
                        AS place (name, kind, lat, lon, words)
                    """
                )
            }
        }
    }

    package func places(matching text: String, limit: Int) throws(StoreError) -> [Place] {
        guard let words = SearchWords.query(text) else { return [] }
        return try read("searching the gazetteer") { connection in
            try connection.rows(
                """
                SELECT name, kind, lat, lon FROM gazetteer WHERE words @@ \(words)::tsquery
                ORDER BY length(words), length(name), name LIMIT \(Int64(limit))
                """,
                as: (String, String, Double, Double).self
            ).map { Place(name: $0.0, kind: $0.1, latitude: $0.2, longitude: $0.3) }
        }
    }

    package func hasPlaces() throws(StoreError) -> Bool {
        try read("looking at the gazetteer") { connection in
            try connection.value("SELECT EXISTS (SELECT 1 FROM gazetteer)", as: Bool.self) ?? false
        }
    }
}
