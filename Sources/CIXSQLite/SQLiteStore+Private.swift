import CIXCore
import CIXStore
import Foundation
import GRDB

extension SQLiteStore {
    package func ingestReport(
        _ events: [Event],
        contact: ReporterContact?,
        photos: [(bytes: Data, type: String)],
        now: Timestamp
    ) throws(StoreError) -> [IngestOutcome] {
        do {
            let outcomes = try pool.write { db in
                let outcomes = try Self.ingest(events, source: "local", now: now, areas: areas, db: db)
                // Rolls the whole report back: its parts are kept together or not at all.
                guard outcomes.allSatisfy(\.isStored) else { throw RefusedReport(outcomes: outcomes) }
                for photo in photos {
                    try Self.saveAttachment(photo.bytes, type: photo.type, at: now, db: db)
                }
                if let contact {
                    try db.execute(
                        sql: """
                            INSERT INTO reporter_contact (issue, reporter, name, email, phone, given_at, may_share)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            contact.issue, contact.reporter, contact.name, contact.email, contact.phone,
                            contact.givenAt.secondsSinceEpoch, contact.mayShare,
                        ]
                    )
                    if let token = contact.updatesToken, let email = contact.email {
                        try db.execute(
                            sql: """
                                INSERT INTO mail_follow
                                    (email, issue, reporter, token, created_at, confirmed_at, language)
                                VALUES (?, ?, 1, ?, ?, ?, ?)
                                """,
                            arguments: [
                                email, contact.issue, token, contact.givenAt.secondsSinceEpoch,
                                contact.givenAt.secondsSinceEpoch, contact.language,
                            ]
                        )
                    }
                }
                return outcomes
            }
            writeHealth.succeeded()
            return outcomes
        } catch let refused as RefusedReport {
            return refused.outcomes
        } catch {
            throw failed("storing a report", error)
        }
    }

    package func claimConfirmation(issue: String, browser: String, at moment: Timestamp) throws(StoreError) -> Bool {
        try write("noting a confirmation") { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO resident_confirmation (issue, browser, at) VALUES (?, ?, ?)",
                arguments: [issue, browser, moment.secondsSinceEpoch]
            )
            return db.changesCount == 1
        }
    }

    package func releaseConfirmation(issue: String, browser: String) throws(StoreError) {
        try write("forgetting a confirmation") { db in
            try db.execute(
                sql: "DELETE FROM resident_confirmation WHERE issue = ? AND browser = ?",
                arguments: [issue, browser]
            )
        }
    }

    package func forgetConfirmations(by browser: String) throws(StoreError) -> Int {
        try write("forgetting confirmations") { db in
            try db.execute(sql: "DELETE FROM resident_confirmation WHERE browser = ?", arguments: [browser])
            return db.changesCount
        }
    }

    package func contact(forIssue issue: EventID) throws(StoreError) -> ReporterContact? {
        try read("reading a contact") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM reporter_contact WHERE issue = ?", arguments: [issue.hex]).map(
                Self.contact
            )
        }
    }

    static func contact(_ row: Row) -> ReporterContact {
        ReporterContact(
            issue: row["issue"],
            reporter: row["reporter"],
            name: row["name"],
            email: row["email"],
            phone: row["phone"],
            givenAt: Timestamp(secondsSinceEpoch: row["given_at"]),
            mayShare: row["may_share"]
        )
    }

    package func contactsAwaitingShare(limit: Int) throws(StoreError) -> [(issue: EventID, through: Int64)] {
        try read("finding contacts to share") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.issue, (SELECT max(seq) FROM event WHERE issue = c.issue) AS last
                    FROM reporter_contact c
                    WHERE c.may_share = 1 AND last > c.shared_through
                    ORDER BY c.issue LIMIT ?
                    """,
                arguments: [limit]
            ).compactMap { row in EventID(row["issue"]).map { ($0, row["last"]) } }
        }
    }

    package func markContactShared(issue: EventID, through seq: Int64) throws(StoreError) {
        try write("noting a shared contact") { db in
            try db.execute(
                sql: "UPDATE reporter_contact SET shared_through = max(shared_through, ?) WHERE issue = ?",
                arguments: [seq, issue.hex]
            )
        }
    }

    package func addAPIKey(name: String, hash: String, at moment: Timestamp) throws(StoreError) -> Int64 {
        try write("adding an API key") { db in
            if try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM api_key WHERE name = ? AND revoked_at IS NULL)",
                arguments: [name]
            )
                == true
            {
                throw StoreError.conflict(
                    "a live API key is already named \(name); revoke it first or choose another name"
                )
            }
            try db.execute(
                sql: "INSERT INTO api_key (name, hash, created_at) VALUES (?, ?, ?)",
                arguments: [name, hash, moment.secondsSinceEpoch]
            )
            return db.lastInsertedRowID
        }
    }

    package func apiKeys() throws(StoreError) -> [APIKey] {
        try read("listing API keys") { db in
            try Row.fetchAll(db, sql: "SELECT id, name, created_at, revoked_at FROM api_key ORDER BY id").map {
                APIKey(
                    id: $0["id"],
                    name: $0["name"],
                    createdAt: Timestamp(secondsSinceEpoch: $0["created_at"]),
                    revokedAt: ($0["revoked_at"] as Int64?).map(Timestamp.init(secondsSinceEpoch:))
                )
            }
        }
    }

    package func revokeAPIKey(id: Int64, at moment: Timestamp) throws(StoreError) -> Bool {
        try write("revoking an API key") { db in
            try db.execute(
                sql: "UPDATE api_key SET revoked_at = ? WHERE revoked_at IS NULL AND id = ?",
                arguments: [moment.secondsSinceEpoch, id]
            )
            return db.changesCount > 0
        }
    }

    package func apiKey(hash: String) throws(StoreError) -> APIKey? {
        try read("checking an API key") { db in
            try Row.fetchOne(
                db,
                sql: "SELECT id, name, created_at, revoked_at FROM api_key WHERE hash = ? AND revoked_at IS NULL",
                arguments: [hash]
            ).map {
                APIKey(
                    id: $0["id"],
                    name: $0["name"],
                    createdAt: Timestamp(secondsSinceEpoch: $0["created_at"]),
                    revokedAt: nil
                )
            }
        }
    }

    @discardableResult
    package func logOpen311(
        key: Int64,
        action: String,
        issue: String?,
        event: String?,
        clientUpdateID: String?,
        details: String,
        at moment: Timestamp
    ) throws(StoreError) -> Bool {
        try write("logging an Open311 post") { db in
            if let clientUpdateID,
                try Bool.fetchOne(
                    db,
                    sql: "SELECT EXISTS (SELECT 1 FROM open311_log WHERE key_id = ? AND client_update_id = ?)",
                    arguments: [key, clientUpdateID]
                ) == true
            {
                return false
            }
            try db.execute(
                sql: """
                    INSERT INTO open311_log (key_id, at, action, issue, event, client_update_id, details)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [key, moment.secondsSinceEpoch, action, issue, event, clientUpdateID, details]
            )
            return true
        }
    }

    package func open311Update(key: Int64, clientUpdateID: String) throws(StoreError) -> String? {
        try read("checking an update id") { db in
            try String.fetchOne(
                db,
                sql: "SELECT event FROM open311_log WHERE key_id = ? AND client_update_id = ?",
                arguments: [key, clientUpdateID]
            )
        }
    }
}

extension SQLiteStore {
    package func open311PostedStatuses(events: [String]) throws(StoreError) -> [String: String] {
        guard !events.isEmpty else { return [:] }
        return try read("reading posted Open311 statuses") { db in
            var statuses: [String: String] = [:]
            for chunk in stride(from: 0, to: events.count, by: 500).map({
                Array(events[$0..<min($0 + 500, events.count)])
            }) {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT event, json_extract(details, '$.status') AS status FROM open311_log
                        WHERE action = 'update' AND event IN (\(Array(repeating: "?", count: chunk.count).joined(separator: ",")))
                        """,
                    arguments: StatementArguments(chunk)
                )
                for row in rows {
                    if let event: String = row["event"], let status: String = row["status"] { statuses[event] = status }
                }
            }
            return statuses
        }
    }
}

/// Rolls back a report's transaction when the ingest rules refuse one of its events.
struct RefusedReport: Error {
    let outcomes: [IngestOutcome]
}

extension SQLiteStore {
    package func holdReport(
        fields: String,
        photos: [HeldReport.StoredPhoto],
        at moment: Timestamp
    ) throws(StoreError)
        -> Int64
    {
        try write("holding a report for moderation") { db in
            try db.execute(
                sql: "INSERT INTO held_report (received_at, fields) VALUES (?, ?)",
                arguments: [moment.secondsSinceEpoch, fields]
            )
            let id = db.lastInsertedRowID
            for (position, photo) in photos.enumerated() {
                try db.execute(
                    sql: "INSERT INTO held_photo (report, position, type, bytes) VALUES (?, ?, ?, ?)",
                    arguments: [id, position, photo.type, photo.bytes]
                )
            }
            return id
        }
    }

    package func heldReports() throws(StoreError) -> [HeldReport] {
        try read("reading held reports") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM held_report ORDER BY id").map { try Self.held($0, db: db) }
        }
    }

    package func heldReport(id: Int64) throws(StoreError) -> HeldReport? {
        try read("reading a held report") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM held_report WHERE id = ?", arguments: [id]).map {
                try Self.held($0, db: db)
            }
        }
    }

    static func held(_ row: Row, db: Database) throws -> HeldReport {
        let id: Int64 = row["id"]
        let photos = try Row.fetchAll(
            db,
            sql: "SELECT type, bytes FROM held_photo WHERE report = ? ORDER BY position",
            arguments: [id]
        ).map { HeldReport.StoredPhoto(type: $0["type"], bytes: $0["bytes"]) }
        return HeldReport(
            id: id,
            receivedAt: Timestamp(secondsSinceEpoch: row["received_at"]),
            fields: row["fields"],
            photos: photos
        )
    }

    package func dropHeldReport(id: Int64) throws(StoreError) -> Bool {
        try write("removing a held report") { db in
            try db.execute(sql: "DELETE FROM held_photo WHERE report = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM held_report WHERE id = ?", arguments: [id])
            return db.changesCount == 1
        }
    }
}
