import CIXCore
import CIXStore
import Foundation
import PostgresNIO

/// Writes the projections of issues (`IssueProjection`) from a fresh fold of
/// their events, several issues in a few statements, inside the caller's
/// transaction: the list row with its search words and folded state, agency
/// parts and answers, duplicates and named areas. Also carries out
/// redactions, as SQLite's does: a body an authorised `redact` removes is
/// stripped from the log, and photos no body names any more are deleted.
struct PostgresProjection {
    let connection: PostgresConnection
    let areas: AreaLocator

    func refresh(_ issues: [EventID]) throws {
        guard !issues.isEmpty else { return }
        let hexes = issues.map(\.hex)
        var events: [EventID: [Event]] = [:]
        var firstSeen: [EventID: Timestamp] = [:]
        // A blocked node's events are kept but take no part (`BlockList`).
        for (bytes, seen) in try connection.rows(
            """
            SELECT bytes, first_seen FROM event
            WHERE issue = ANY(\(hexes)) AND author NOT IN (SELECT node FROM blocked_node)
            ORDER BY issue, depth, id
            """,
            as: (Data, Int64).self
        ) {
            let event: Event
            do {
                event = try Event.decodeStored(Array(bytes))
            } catch {
                throw StoreError.corrupt("a stored event no longer decodes: \(error)")
            }
            events[event.issue, default: []].append(event)
            firstSeen[event.id] = Timestamp(secondsSinceEpoch: seen)
        }
        let keys = try PostgresStore.rings(for: Set(events.values.joined().map(\.author)), on: connection)
        var projections: [IssueProjection] = []
        for issue in issues {
            // No report among them: reported through a blocked node, and not shown at all.
            guard let projection = IssueProjection(events: events[issue] ?? [], firstSeen: firstSeen, keys: keys)
            else { continue }
            for skeleton in projection.stripped {
                try connection.run("UPDATE event SET bytes = \(Data(skeleton.bytes)) WHERE id = \(skeleton.id.hex)")
            }
            projections.append(projection)
        }
        for table in ["agency_part", "agency_answer", "issue_area", "issue_duplicate", "issue_photo"] {
            try connection.run(
                PostgresQuery(unsafeSQL: "DELETE FROM \(table) WHERE issue = ANY($1)", binds: bound(hexes))
            )
        }
        let kept = Set(projections.map(\.state.id.hex))
        let gone = hexes.filter { !kept.contains($0) }
        if !gone.isEmpty { try connection.run("DELETE FROM issue WHERE id = ANY(\(gone))") }
        guard !projections.isEmpty else { return }
        try writeIssues(projections)
        try writeParts(projections)
        // A redacted event's photos go with it, unless a body still held names the same bytes.
        for hash in Set(projections.flatMap(\.strippedPhotos)).sorted() {
            let named =
                try connection.value("SELECT EXISTS (SELECT 1 FROM issue_photo WHERE hash = \(hash))", as: Bool.self)
                ?? false
            if !named { try connection.run("DELETE FROM attachment WHERE hash = \(hash)") }
        }
    }

    private func bound(_ values: [String]) -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(values)
        return bindings
    }

    /// The list rows, search words and states of the issues, in one statement.
    private func writeIssues(_ projections: [IssueProjection]) throws {
        let states = projections.map(\.state)
        let ids = states.map(\.id.hex)
        let origins = states.map(\.origin.hex)
        let statuses = states.map(\.overall.rawValue)
        let categories = states.map { $0.report?.category ?? "" }
        let hasCategory = states.map { $0.report?.category != nil }
        let titles = states.map { $0.report?.title ?? "" }
        let hasTitle = states.map { $0.report?.title != nil }
        let latitudes = states.map { $0.report?.latitude ?? 0 }
        let longitudes = states.map { $0.report?.longitude ?? 0 }
        let placed = states.map { $0.report?.latitude != nil && $0.report?.longitude != nil }
        let reported = projections.map(\.listedReportedAt.secondsSinceEpoch)
        let updated = projections.map(\.listedUpdatedAt.secondsSinceEpoch)
        let routed = states.map(\.routed)
        let confirmations = states.map { Int64($0.counts.confirmations) }
        let comments = states.map { Int64($0.counts.comments) }
        let solutions = states.map { Int64($0.counts.solutions) }
        let offers = states.map { Int64($0.counts.offers) }
        let words = projections.map {
            SearchWords.document($0.searchTitle, $0.searchDescription, $0.searchContributions).joined(separator: " ")
        }
        let bytes = states.map { Hex.encode($0.canonicalBytes()) }
        try connection.run(
            """
            INSERT INTO issue (id, origin, status, category, title, lat, lon, reported_at, updated_at, routed,
                confirmations, comments, solutions, offers, words, state)
            SELECT id, origin, status, CASE WHEN has_category THEN category END, CASE WHEN has_title THEN title END,
                CASE WHEN placed THEN lat END, CASE WHEN placed THEN lon END, reported_at, updated_at, routed,
                confirmations, comments, solutions, offers,
                array_to_tsvector(string_to_array(words, ' ')), decode(state, 'hex')
            FROM unnest(\(ids)::text[], \(origins)::text[], \(statuses)::text[], \(categories)::text[],
                \(hasCategory)::bool[], \(titles)::text[], \(hasTitle)::bool[], \(latitudes)::float8[],
                \(longitudes)::float8[], \(placed)::bool[], \(reported)::int8[], \(updated)::int8[], \(routed)::bool[],
                \(confirmations)::int8[], \(comments)::int8[], \(solutions)::int8[], \(offers)::int8[],
                \(words)::text[], \(bytes)::text[])
                AS folded (id, origin, status, category, has_category, title, has_title, lat, lon, placed,
                    reported_at, updated_at, routed, confirmations, comments, solutions, offers, words, state)
            ON CONFLICT (id) DO UPDATE SET origin = excluded.origin, status = excluded.status,
                category = excluded.category, title = excluded.title, lat = excluded.lat, lon = excluded.lon,
                reported_at = excluded.reported_at, updated_at = excluded.updated_at, routed = excluded.routed,
                confirmations = excluded.confirmations, comments = excluded.comments,
                solutions = excluded.solutions, offers = excluded.offers, words = excluded.words,
                state = excluded.state
            """
        )
    }

    /// Agency parts, applied answers, duplicate marks, named photos and named areas of the issues.
    private func writeParts(_ projections: [IssueProjection]) throws {
        var parts: (issue: [String], node: [String], role: [String], status: [String]) = ([], [], [], [])
        var answers:
            (issue: [String], event: [String], author: [String], kind: [String], state: [String], at: [Int64]) =
                ([], [], [], [], [], [])
        var duplicates: (issue: [String], of: [String]) = ([], [])
        var located: (area: [String], issue: [String]) = ([], [])
        var photos: (hash: [String], issue: [String]) = ([], [])
        for projection in projections {
            let state = projection.state
            let id = state.id.hex
            for part in state.agencies.values {
                parts.issue.append(id)
                parts.node.append(part.node.hex)
                parts.role.append(part.role.rawValue)
                parts.status.append(part.status.rawValue)
            }
            for answer in projection.answers {
                answers.issue.append(id)
                answers.event.append(answer.event.hex)
                answers.author.append(answer.author.hex)
                answers.kind.append(answer.kind.rawValue)
                answers.state.append(answer.state ?? "")
                answers.at.append(answer.at.secondsSinceEpoch)
            }
            for hash in projection.namedPhotos {
                photos.hash.append(hash)
                photos.issue.append(id)
            }
            if let original = state.duplicateOf {
                duplicates.issue.append(id)
                duplicates.of.append(original.issue.hex)
            }
            if let latitude = state.report?.latitude, let longitude = state.report?.longitude {
                for name in areas.locate(longitude, latitude) {
                    located.area.append(name)
                    located.issue.append(id)
                }
            }
        }
        if !parts.issue.isEmpty {
            try connection.run(
                """
                INSERT INTO agency_part (issue, node, role, status)
                SELECT * FROM unnest(\(parts.issue)::text[], \(parts.node)::text[], \(parts.role)::text[],
                    \(parts.status)::text[])
                """
            )
        }
        if !answers.issue.isEmpty {
            try connection.run(
                """
                INSERT INTO agency_answer (issue, event, author, kind, state, at)
                SELECT issue, event, author, kind, NULLIF(state, ''), at
                FROM unnest(\(answers.issue)::text[], \(answers.event)::text[], \(answers.author)::text[],
                    \(answers.kind)::text[], \(answers.state)::text[], \(answers.at)::int8[])
                    AS answer (issue, event, author, kind, state, at)
                """
            )
        }
        if !duplicates.issue.isEmpty {
            try connection.run(
                "INSERT INTO issue_duplicate (issue, of) SELECT * FROM unnest(\(duplicates.issue)::text[], \(duplicates.of)::text[])"
            )
        }
        if !photos.issue.isEmpty {
            try connection.run(
                "INSERT INTO issue_photo (hash, issue) SELECT * FROM unnest(\(photos.hash)::text[], \(photos.issue)::text[])"
            )
        }
        if !located.issue.isEmpty {
            try connection.run(
                """
                INSERT INTO issue_area (area, issue) SELECT * FROM unnest(\(located.area)::text[], \(located.issue)::text[])
                ON CONFLICT DO NOTHING
                """
            )
        }
    }
}

/// The words a search matches, as the pages promise (`IssueQuery.text`): split at
/// anything not a letter or digit, without case or diacritics — the same for the
/// text kept and the words asked, so PostgreSQL's own parser and dictionaries
/// take no part and search means what it means in SQLite (FTS5's unicode61).
enum SearchWords {
    /// Longer words are not kept (PostgreSQL keeps lexemes under 2 KiB; nobody searches them).
    static let longest = 200

    static func split(_ text: String) -> [String] {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .filter { $0.count <= longest }
            .map(String.init)
    }

    /// The distinct words of an issue's texts.
    static func document(_ texts: String...) -> [String] {
        Array(Set(texts.flatMap(split))).sorted()
    }

    /// A `tsquery` matching every word of `text`, the last as a prefix (people search as they
    /// type); nil if it has none. Words hold only letters and digits, so quoting needs no escapes.
    static func query(_ text: String) -> String? {
        let words = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).prefix(16)
            .flatMap { split(String($0)) }
        guard !words.isEmpty else { return nil }
        return words.enumerated().map { index, word in
            index == words.count - 1 ? "'\(word)':*" : "'\(word)'"
        }.joined(separator: " & ")
    }
}
