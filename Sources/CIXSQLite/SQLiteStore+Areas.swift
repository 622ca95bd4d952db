import CIXCore
import CIXStore
import Foundation
import GRDB

extension SQLiteStore {
    /// Works out every issue's named areas again if the areas changed since the store last did
    /// (or were never worked out): one pass over the issues' places, in one transaction.
    func placeIssuesInAreas() throws(StoreError) {
        let areas = areas
        // Read first: every `cix` command opens the store, and most need no write lock here.
        let fingerprint = try read("reading the areas' fingerprint") { db in
            try String.fetchOne(db, sql: "SELECT fingerprint FROM area_fingerprint") ?? ""
        }
        guard fingerprint != areas.fingerprint else { return }
        try write("placing issues in the named areas") { db in
            let held = try String.fetchOne(db, sql: "SELECT fingerprint FROM area_fingerprint") ?? ""
            guard held != areas.fingerprint else { return }
            try db.execute(sql: "DELETE FROM issue_area")
            let insert = try db.cachedStatement(sql: "INSERT INTO issue_area (area, issue) VALUES (?, ?)")
            let rows = try Row.fetchCursor(db, sql: "SELECT id, lat, lon FROM issue WHERE lat IS NOT NULL")
            while let row = try rows.next() {
                let (id, latitude, longitude): (String, Double, Double) = (row[0], row[1], row[2])
                for name in areas.locate(longitude, latitude) { try insert.execute(arguments: [name, id]) }
            }
            try db.execute(
                sql:
                    "INSERT INTO area_fingerprint (only, fingerprint) VALUES (1, ?) ON CONFLICT (only) DO UPDATE SET fingerprint = excluded.fingerprint",
                arguments: [areas.fingerprint]
            )
        }
    }

    /// Keeps one issue's named areas, from its place as just projected (none without a place).
    static func placeIssue(_ id: String, latitude: Double?, longitude: Double?, areas: AreaLocator, db: Database) throws
    {
        try db.cachedStatement(sql: "DELETE FROM issue_area WHERE issue = ?").execute(arguments: [id])
        guard let latitude, let longitude else { return }
        let insert = try db.cachedStatement(sql: "INSERT INTO issue_area (area, issue) VALUES (?, ?)")
        for name in areas.locate(longitude, latitude) { try insert.execute(arguments: [name, id]) }
    }
}
