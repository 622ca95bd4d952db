import CIXCore
import CIXStore
import Foundation
import PostgresNIO

/// What only a body's node may see, in PostgreSQL: residents' contact details, confirmations,
/// API keys and the Open311 log, and reports held for a moderator. The rules are SQLite's
/// (`SQLiteStore+Private`); every daemon sharing the store sees the same records.
extension PostgresStore: PrivateStore {
    package func ingestReport(
        _ events: [Event],
        contact: ReporterContact?,
        photos: [(bytes: Data, type: String)],
        now: Timestamp
    ) throws(StoreError) -> [IngestOutcome] {
        var refused: [IngestOutcome]?
        do {
            return try write("storing a report", provesHealth: true) { connection in
                let (plan, outcomes) = try Self.plan(events, source: "local", now: now, on: connection)
                // Rolls the whole report back: its parts are kept together or not at all.
                guard outcomes.allSatisfy(\.isStored) else {
                    refused = outcomes
                    throw StoreError.conflict("a report's event was refused by the ingest rules")
                }
                try apply(plan, on: connection)
                for photo in photos {
                    try connection.run(
                        """
                        INSERT INTO attachment (hash, type, bytes, stored_at)
                        VALUES (\(SHA256Hex.hash(photo.bytes)), \(photo.type), \(photo.bytes), \(now.secondsSinceEpoch))
                        ON CONFLICT (hash) DO NOTHING
                        """
                    )
                }
                if let contact { try Self.insert(contact, on: connection) }
                return outcomes
            }
        } catch {
            if let refused { return refused }
            throw error
        }
    }

    static func insert(_ contact: ReporterContact, on connection: PostgresConnection) throws {
        try connection.run(
            """
            INSERT INTO reporter_contact (issue, reporter, name, email, phone, given_at, may_share)
            VALUES (\(contact.issue), \(contact.reporter), \(contact.name), \(contact.email), \(contact.phone),
                \(contact.givenAt.secondsSinceEpoch), \(contact.mayShare))
            """
        )
        if let token = contact.updatesToken, let email = contact.email {
            try connection.run(
                """
                INSERT INTO mail_follow (email, issue, reporter, token, created_at, confirmed_at, language)
                VALUES (\(email), \(contact.issue), true, \(token), \(contact.givenAt.secondsSinceEpoch),
                    \(contact.givenAt.secondsSinceEpoch), \(contact.language))
                """
            )
        }
    }

    package func contact(forIssue issue: EventID) throws(StoreError) -> ReporterContact? {
        try read("reading a contact") { connection in
            try Self.contacts("WHERE issue = \(issue.hex)", on: connection).first
        }
    }

    /// Contact rows matching a condition, oldest first.
    static func contacts(_ condition: PostgresQuery, on connection: PostgresConnection) throws -> [ReporterContact] {
        try connection.rows(
            PostgresQuery(
                unsafeSQL: "SELECT issue, reporter, name, email, phone, given_at, may_share FROM reporter_contact "
                    + condition.sql + " ORDER BY given_at, issue",
                binds: condition.binds
            ),
            as: (String, String, String?, String?, String?, Int64, Bool).self
        ).map { row in
            ReporterContact(
                issue: row.0,
                reporter: row.1,
                name: row.2,
                email: row.3,
                phone: row.4,
                givenAt: Timestamp(secondsSinceEpoch: row.5),
                mayShare: row.6
            )
        }
    }

    package func contactsAwaitingShare(limit: Int) throws(StoreError) -> [(issue: EventID, through: Int64)] {
        try read("finding contacts to share") { connection in
            try connection.rows(
                """
                SELECT c.issue, last.seq FROM reporter_contact c
                CROSS JOIN LATERAL (SELECT max(seq) AS seq FROM event WHERE event.issue = c.issue) AS last
                WHERE c.may_share AND last.seq > c.shared_through
                ORDER BY c.issue LIMIT \(Int64(limit))
                """,
                as: (String, Int64).self
            ).compactMap { row in EventID(row.0).map { ($0, row.1) } }
        }
    }

    package func markContactShared(issue: EventID, through seq: Int64) throws(StoreError) {
        try write("noting a shared contact") { connection in
            try connection.run(
                "UPDATE reporter_contact SET shared_through = greatest(shared_through, \(seq)) WHERE issue = \(issue.hex)"
            )
        }
    }

    package func claimConfirmation(issue: String, browser: String, at moment: Timestamp) throws(StoreError) -> Bool {
        try write("noting a confirmation") { connection in
            try !connection.run(
                """
                INSERT INTO resident_confirmation (issue, browser, at) VALUES (\(issue), \(browser), \(moment.secondsSinceEpoch))
                ON CONFLICT DO NOTHING RETURNING 1
                """
            ).isEmpty
        }
    }

    package func releaseConfirmation(issue: String, browser: String) throws(StoreError) {
        try write("forgetting a confirmation") { connection in
            try connection.run("DELETE FROM resident_confirmation WHERE issue = \(issue) AND browser = \(browser)")
        }
    }

    package func forgetConfirmations(by browser: String) throws(StoreError) -> Int {
        try write("forgetting confirmations") { connection in
            try connection.run("DELETE FROM resident_confirmation WHERE browser = \(browser) RETURNING 1").count
        }
    }

    package func addAPIKey(name: String, hash: String, at moment: Timestamp) throws(StoreError) -> Int64 {
        try write("adding an API key") { connection in
            let live =
                try connection.value(
                    "SELECT EXISTS (SELECT 1 FROM api_key WHERE name = \(name) AND revoked_at IS NULL)",
                    as: Bool.self
                ) ?? false
            guard !live else {
                throw StoreError.conflict(
                    "a live API key is already named \(name); revoke it first or choose another name"
                )
            }
            return try connection.value(
                """
                INSERT INTO api_key (name, hash, created_at) VALUES (\(name), \(hash), \(moment.secondsSinceEpoch))
                RETURNING id
                """,
                as: Int64.self
            ) ?? 0
        }
    }

    package func apiKeys() throws(StoreError) -> [APIKey] {
        try read("listing API keys") { connection in
            try connection.rows(
                "SELECT id, name, created_at, revoked_at FROM api_key ORDER BY id",
                as: (Int64, String, Int64, Int64?).self
            ).map {
                APIKey(
                    id: $0.0,
                    name: $0.1,
                    createdAt: Timestamp(secondsSinceEpoch: $0.2),
                    revokedAt: $0.3.map(Timestamp.init(secondsSinceEpoch:))
                )
            }
        }
    }

    package func revokeAPIKey(id: Int64, at moment: Timestamp) throws(StoreError) -> Bool {
        try write("revoking an API key") { connection in
            try !connection.run(
                """
                UPDATE api_key SET revoked_at = \(moment.secondsSinceEpoch) WHERE revoked_at IS NULL AND id = \(id)
                RETURNING 1
                """
            ).isEmpty
        }
    }

    package func apiKey(hash: String) throws(StoreError) -> APIKey? {
        try read("checking an API key") { connection in
            try connection.rows(
                "SELECT id, name, created_at FROM api_key WHERE hash = \(hash) AND revoked_at IS NULL",
                as: (Int64, String, Int64).self
            ).first.map {
                APIKey(id: $0.0, name: $0.1, createdAt: Timestamp(secondsSinceEpoch: $0.2), revokedAt: nil)
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
        try write("logging an Open311 post") { connection in
            // A client update id already used by this key is refused by the unique index: nothing is inserted.
            try !connection.run(
                """
                INSERT INTO open311_log (key_id, at, action, issue, event, client_update_id, details)
                VALUES (\(key), \(moment.secondsSinceEpoch), \(action), \(issue), \(event), \(clientUpdateID), \(details))
                ON CONFLICT (key_id, client_update_id) WHERE client_update_id IS NOT NULL DO NOTHING
                RETURNING 1
                """
            ).isEmpty
        }
    }

    package func open311Update(key: Int64, clientUpdateID: String) throws(StoreError) -> String? {
        try read("checking an update id") { connection in
            try connection.rows(
                "SELECT event FROM open311_log WHERE key_id = \(key) AND client_update_id = \(clientUpdateID)",
                as: String?.self
            ).first ?? nil
        }
    }

    package func open311PostedStatuses(events: [String]) throws(StoreError) -> [String: String] {
        guard !events.isEmpty else { return [:] }
        return try read("reading posted Open311 statuses") { connection in
            let rows = try connection.rows(
                """
                SELECT event, details::jsonb ->> 'status' FROM open311_log
                WHERE action = 'update' AND event = ANY(\(events)) AND details LIKE '{%'
                """,
                as: (String, String?).self
            )
            var statuses: [String: String] = [:]
            for (event, status) in rows { if let status { statuses[event] = status } }
            return statuses
        }
    }

    package func holdReport(
        fields: String,
        photos: [HeldReport.StoredPhoto],
        at moment: Timestamp
    ) throws(StoreError) -> Int64 {
        try write("holding a report for moderation") { connection in
            let id =
                try connection.value(
                    "INSERT INTO held_report (received_at, fields) VALUES (\(moment.secondsSinceEpoch), \(fields)) RETURNING id",
                    as: Int64.self
                ) ?? 0
            for (position, photo) in photos.enumerated() {
                try connection.run(
                    """
                    INSERT INTO held_photo (report, position, type, bytes)
                    VALUES (\(id), \(Int32(position)), \(photo.type), \(photo.bytes))
                    """
                )
            }
            return id
        }
    }

    package func heldReports() throws(StoreError) -> [HeldReport] {
        try read("reading held reports") { connection in try Self.held("true", on: connection) }
    }

    package func heldReport(id: Int64) throws(StoreError) -> HeldReport? {
        try read("reading a held report") { connection in
            try Self.held("id = \(id)", on: connection).first
        }
    }

    /// Held reports matching a condition, oldest first, with their photos.
    static func held(_ condition: PostgresQuery, on connection: PostgresConnection) throws -> [HeldReport] {
        let reports = try connection.rows(
            PostgresQuery(
                unsafeSQL: "SELECT id, received_at, fields FROM held_report WHERE " + condition.sql + " ORDER BY id",
                binds: condition.binds
            ),
            as: (Int64, Int64, String).self
        )
        guard !reports.isEmpty else { return [] }
        var photos: [Int64: [HeldReport.StoredPhoto]] = [:]
        for (report, type, bytes) in try connection.rows(
            "SELECT report, type, bytes FROM held_photo WHERE report = ANY(\(reports.map(\.0))) ORDER BY report, position",
            as: (Int64, String, Data).self
        ) {
            photos[report, default: []].append(HeldReport.StoredPhoto(type: type, bytes: bytes))
        }
        return reports.map {
            HeldReport(
                id: $0.0,
                receivedAt: Timestamp(secondsSinceEpoch: $0.1),
                fields: $0.2,
                photos: photos[$0.0] ?? []
            )
        }
    }

    package func dropHeldReport(id: Int64) throws(StoreError) -> Bool {
        try write("removing a held report") { connection in
            // Its photos go with it (ON DELETE CASCADE).
            try !connection.run("DELETE FROM held_report WHERE id = \(id) RETURNING 1").isEmpty
        }
    }
}
