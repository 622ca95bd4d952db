import CIXCore
import CIXStore
import Foundation
import GRDB

/// Writes the projections of one issue (`IssueProjection`) from a fresh fold of its events.
///
/// Also carries out redactions: once the fold finds an authorised `redact`
/// of an event whose stored bytes still hold a body, the body is removed from
/// the log, leaving the envelope, id and signature, which still verify.
enum SQLiteProjection {
    static func refresh(issue: EventID, db: Database, areas: AreaLocator, decoded: [String: Event] = [:]) throws {
        let events = try loadEvents(issue: issue, db: db, decoded: decoded)
        var firstSeen: [EventID: Timestamp] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(sql: "SELECT id, first_seen FROM event WHERE issue = ?"),
            arguments: [issue.hex]
        ) {
            if let id = EventID(row[0]) { firstSeen[id] = Timestamp(secondsSinceEpoch: row[1]) }
        }
        // No report among them: the issue was reported through a blocked node, and is not shown at all.
        let keys = try SQLiteStore.keyRings(for: events, db: db)
        guard let projection = IssueProjection(events: events, firstSeen: firstSeen, keys: keys) else {
            try unproject(issue: issue, db: db)
            return
        }
        for skeleton in projection.stripped {
            try db.execute(
                sql: "UPDATE event SET bytes = ? WHERE id = ?",
                arguments: [Data(skeleton.bytes), skeleton.id.hex]
            )
        }
        try write(projection, db: db)
        try writeAnswers(projection, db: db)
        try db.cachedStatement(sql: "DELETE FROM issue_duplicate WHERE issue = ?").execute(arguments: [issue.hex])
        if let original = projection.state.duplicateOf {
            try db.cachedStatement(sql: "INSERT INTO issue_duplicate (issue, of) VALUES (?, ?)")
                .execute(arguments: [issue.hex, original.issue.hex])
        }
        let report = projection.state.report
        try SQLiteStore.placeIssue(
            issue.hex,
            latitude: report?.latitude,
            longitude: report?.longitude,
            areas: areas,
            db: db
        )
        // A redacted event's photos go with it, unless a body still held names the same bytes.
        for hash in projection.strippedPhotos where try !SQLiteStore.isReferenced(hash, db: db) {
            try db.execute(sql: "DELETE FROM attachment WHERE hash = ?", arguments: [hash])
        }
    }

    /// Removes every projection of an issue (it stays in the log).
    static func unproject(issue: EventID, db: Database) throws {
        if let rowID = try Int64.fetchOne(db, sql: "SELECT rowid FROM issue WHERE id = ?", arguments: [issue.hex]) {
            try db.execute(sql: "DELETE FROM issue_text WHERE rowid = ?", arguments: [rowID])
        }
        for table in ["agency_part", "agency_answer", "issue_area", "issue_duplicate"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE issue = ?", arguments: [issue.hex])
        }
        try db.execute(sql: "DELETE FROM issue_state WHERE id = ?", arguments: [issue.hex])
        try db.execute(sql: "DELETE FROM issue WHERE id = ?", arguments: [issue.hex])
    }

    /// Each agency's applied accept, decline and status events of the issue, for figures.
    static func writeAnswers(_ projection: IssueProjection, db: Database) throws {
        let issue = projection.state.id.hex
        try db.cachedStatement(sql: "DELETE FROM agency_answer WHERE issue = ?").execute(arguments: [issue])
        let insert = try db.cachedStatement(
            sql: "INSERT INTO agency_answer (issue, event, author, kind, state, at) VALUES (?, ?, ?, ?, ?, ?)"
        )
        for answer in projection.answers {
            try insert.execute(
                arguments: [
                    issue, answer.event.hex, answer.author.hex, answer.kind.rawValue, answer.state,
                    answer.at.secondsSinceEpoch,
                ]
            )
        }
    }

    /// The issue's events from the log; those in `decoded` (just stored) or decoded
    /// lately are not decoded again.
    static func loadEvents(issue: EventID, db: Database, decoded: [String: Event] = [:]) throws -> [Event] {
        let rows = try Row.fetchCursor(
            // A blocked node's events are kept but take no part (`BlockList`).
            db.cachedStatement(
                sql: "SELECT id, bytes FROM event WHERE issue = ? AND author NOT IN (SELECT node FROM blocked_node)"
            ),
            arguments: [issue.hex]
        )
        var events: [Event] = []
        while let row = try rows.next() {
            let id: String = row[0]
            if let event = decoded[id] {
                events.append(event)
                continue
            }
            let data: Data = row[1]
            // An event's bytes change only when a redaction strips its body, which changes their length.
            let key = CachedEvent(id: id, size: data.count)
            if let event = recent[key] {
                events.append(event)
                continue
            }
            do {
                let event = try Event.decodeStored(data)
                recent.insert(event, for: key)
                events.append(event)
            } catch {
                throw StoreError.corrupt("stored event \(id) of issue \(issue.hex) no longer decodes: \(error)")
            }
        }
        return events
    }

    struct CachedEvent: Hashable, Sendable {
        let id: String
        let size: Int
    }

    /// Events decoded lately, so that a busy issue is not decoded again for every new event.
    static let recent = BoundedCache<CachedEvent, Event>(capacity: 4_096)

    static func write(_ projection: IssueProjection, db: Database) throws {
        let state = projection.state
        let report = state.report
        try db.cachedStatement(
            sql: """
                INSERT INTO issue (id, origin, status, category, title, lat, lon, reported_at, updated_at, routed,
                    confirmations, comments, solutions, offers)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET origin = excluded.origin, status = excluded.status,
                    category = excluded.category, title = excluded.title, lat = excluded.lat, lon = excluded.lon,
                    reported_at = excluded.reported_at, updated_at = excluded.updated_at, routed = excluded.routed,
                    confirmations = excluded.confirmations, comments = excluded.comments,
                    solutions = excluded.solutions, offers = excluded.offers
                """
        ).execute(
            arguments: [
                state.id.hex, state.origin.hex, state.overall.rawValue, report?.category, report?.title,
                report?.latitude, report?.longitude, projection.listedReportedAt.secondsSinceEpoch,
                projection.listedUpdatedAt.secondsSinceEpoch, state.routed, state.counts.confirmations,
                state.counts.comments,
                state.counts.solutions, state.counts.offers,
            ])
        try db.cachedStatement(
            sql:
                "INSERT INTO issue_state (id, state) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state"
        ).execute(arguments: [state.id.hex, Data(state.canonicalBytes())])
        try db.cachedStatement(sql: "DELETE FROM agency_part WHERE issue = ?").execute(arguments: [state.id.hex])
        let insertPart = try db.cachedStatement(
            sql: "INSERT INTO agency_part (issue, node, role, status) VALUES (?, ?, ?, ?)"
        )
        for part in state.agencies.values {
            try insertPart.execute(arguments: [state.id.hex, part.node.hex, part.role.rawValue, part.status.rawValue])
        }
        let rowID = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT rowid FROM issue WHERE id = ?"),
            arguments: [state.id.hex]
        )
        try db.cachedStatement(sql: "DELETE FROM issue_text WHERE rowid = ?").execute(arguments: [rowID])
        try db.cachedStatement(
            sql: "INSERT INTO issue_text (rowid, issue, title, description, comments) VALUES (?, ?, ?, ?, ?)"
        ).execute(
            arguments: [
                rowID, state.id.hex, projection.searchTitle, projection.searchDescription,
                projection.searchContributions,
            ])
    }
}
