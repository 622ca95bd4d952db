import CIXStore
import GRDB

extension SQLiteStore: GazetteerStore {
    package func replaceGazetteer(_ places: [Place]) throws(StoreError) {
        try write("replacing the gazetteer") { db in
            try db.execute(sql: "DELETE FROM gazetteer")
            let insert = try db.cachedStatement(sql: "INSERT INTO gazetteer (name, kind, lat, lon) VALUES (?, ?, ?, ?)")
            for place in places {
                try insert.execute(arguments: [place.name, place.kind, place.latitude, place.longitude])
            }
            // One segment: searches stay fast after a large import.
            try db.execute(sql: "INSERT INTO gazetteer (gazetteer) VALUES ('optimize')")
        }
    }

    package func places(matching text: String, limit: Int) throws(StoreError) -> [Place] {
        guard let pattern = Self.searchPattern(text) else { return [] }
        return try read("searching the gazetteer") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT name, kind, lat, lon FROM gazetteer WHERE gazetteer MATCH ?
                    ORDER BY rank, length(name), name LIMIT ?
                    """,
                arguments: [pattern, limit]
            ).map { Place(name: $0["name"], kind: $0["kind"], latitude: $0["lat"], longitude: $0["lon"]) }
        }
    }

    package func hasPlaces() throws(StoreError) -> Bool {
        try read("looking at the gazetteer") { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM gazetteer)") ?? false
        }
    }
}
