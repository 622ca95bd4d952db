import CIXCore
import CIXStore
import Foundation
import GRDB

extension SQLiteStore {
    /// Throws away every projection and computes them again from the log.
    package func rebuildProjections() throws(StoreError) {
        try write("rebuilding projections") { db in
            try db.execute(
                sql:
                    "DELETE FROM agency_answer; DELETE FROM agency_part; DELETE FROM issue_state; DELETE FROM issue; DELETE FROM issue_text; DELETE FROM issue_area; DELETE FROM issue_duplicate;"
            )
            let issues = try String.fetchAll(db, sql: "SELECT DISTINCT issue FROM event ORDER BY issue")
            for issue in issues.compactMap(EventID.init) {
                try SQLiteProjection.refresh(issue: issue, db: db, areas: areas)
            }
        }
    }

    /// The stored projection of each issue, as canonical bytes, by issue id.
    package func projectedStates() throws(StoreError) -> [String: [UInt8]] {
        try read("reading projections") { db in
            var states: [String: [UInt8]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, state FROM issue_state") {
                let state: Data = row["state"]
                states[row["id"]] = Array(state)
            }
            return states
        }
    }
}
