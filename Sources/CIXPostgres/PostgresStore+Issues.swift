import CIXCore
import CIXStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// The columns of a list row (`IssueSummary`), in its order.
    static let summaryColumns = """
        id, origin, status, category, title, lat, lon, reported_at, updated_at,
            confirmations, comments, solutions, offers
        """

    package func issues(_ query: IssueQuery) throws(StoreError) -> [IssueSummary] {
        let order: String =
            switch (query.oldestFirst, query.order) {
            case (true, _): "reported_at, id"
            case (false, .updated): "updated_at DESC, id"
            case (false, .reported): "reported_at DESC, id"
            case (false, .confirmations): "confirmations DESC, updated_at DESC, id"
            }
        let columns = Self.summaryColumns
        guard let text = query.text, let words = SearchWords.query(text) else {
            var sql = Self.filter(query)
            let page = sql.page(of: query)
            let statement = PostgresQuery(
                unsafeSQL: "SELECT \(columns) FROM issue \(sql.sql) ORDER BY \(order) \(page)",
                binds: sql.bindings
            )
            return try read("listing issues") { connection in try Self.summaries(statement, on: connection) }
        }
        // A search is first looked for among the latest issues in the list's order: a common word's
        // page is there, found by walking the order's index. Only when that window holds too few
        // matches are all the matches found through the words' index and ordered, which is cheap
        // exactly then (the words are rare). PostgreSQL's own choice between the two goes by its
        // estimate of the words' frequency, which for the prefix a search ends with is far off
        // both ways (`deploy/SCALE.md`: a rare word walked 2,500,000 rows for 6.7 s). The window
        // grows with the page's depth, so that a later page of a common word is found the same way.
        var recent = Self.filter(query, words: false)
        let window = recent.bind(Int64(searchWindow(for: query)))
        let windowed = recent.bind(words)
        let windowPage = recent.page(of: query)
        let inWindow = PostgresQuery(
            unsafeSQL: """
                SELECT \(columns) FROM (
                    SELECT \(columns), words FROM issue \(recent.sql) ORDER BY \(order) LIMIT \(window)
                ) AS recent
                WHERE words @@ \(windowed)::tsquery ORDER BY \(order) \(windowPage)
                """,
            binds: recent.bindings
        )
        var all = Self.filter(query)
        let allPage = all.page(of: query)
        let everyMatch = PostgresQuery(
            unsafeSQL: """
                WITH matched AS MATERIALIZED (SELECT \(columns) FROM issue \(all.sql))
                SELECT \(columns) FROM matched ORDER BY \(order) \(allPage)
                """,
            binds: all.bindings
        )
        return try read("searching issues") { connection in
            // The window's first matches are the first of all if it holds a whole page of them.
            let found = try Self.summaries(inWindow, on: connection)
            return found.count >= query.limit ? found : try Self.summaries(everyMatch, on: connection)
        }
    }

    /// How many of the latest issues a search's page is looked for in: fifty times the page's
    /// depth (a word in one issue of fifty fills it there), at least `searchWindow` issues and at
    /// most twenty times as many.
    func searchWindow(for query: IssueQuery) -> Int {
        let depth = min(query.offset + query.limit, searchWindow)
        return min(max(searchWindow, depth * 50), searchWindow * 20)
    }

    static func summaries(_ statement: PostgresQuery, on connection: PostgresConnection) throws -> [IssueSummary] {
        try connection.rows(
            statement,
            as: (String, String, String, String?, String?, Double?, Double?, Int64, Int64, Int, Int, Int, Int).self
        ).map {
            IssueSummary(
                id: $0.0,
                origin: $0.1,
                status: $0.2,
                category: $0.3,
                title: $0.4,
                latitude: $0.5,
                longitude: $0.6,
                reportedAt: $0.7,
                updatedAt: $0.8,
                confirmations: $0.9,
                comments: $0.10,
                solutions: $0.11,
                offers: $0.12
            )
        }
    }

    package func issueCount(_ query: IssueQuery) throws(StoreError) -> Int {
        let sql = Self.filter(query)
        return try read("counting issues") { connection in
            try connection.value(
                PostgresQuery(unsafeSQL: "SELECT count(*) FROM issue \(sql.sql)", binds: sql.bindings),
                as: Int.self
            ) ?? 0
        }
    }

    package func issueCount(_ query: IssueQuery, upTo cap: Int) throws(StoreError) -> Int {
        var sql = Self.filter(query)
        let limit = sql.bind(Int64(cap + 1))
        let counting = PostgresQuery(
            unsafeSQL: "SELECT count(*) FROM (SELECT 1 FROM issue \(sql.sql) LIMIT \(limit)) AS matched",
            binds: sql.bindings
        )
        guard let text = query.text, let words = SearchWords.query(text) else {
            return try read("counting issues") { connection in try connection.value(counting, as: Int.self) ?? 0 }
        }
        // More than `cap` matches of a common word are found in the first rows read in any order,
        // sooner than through the words' index, which reads every match's entry first (as above,
        // PostgreSQL's estimate of the words' frequency cannot be trusted to choose).
        var sample = Self.filter(query, words: false)
        let size = sample.bind(Int64(searchWindow * 10))
        let sampled = sample.bind(words)
        let sampleLimit = sample.bind(Int64(cap + 1))
        let inSample = PostgresQuery(
            unsafeSQL: """
                SELECT count(*) FROM (
                    SELECT 1 FROM (SELECT words FROM issue \(sample.sql) LIMIT \(size)) AS sample
                    WHERE words @@ \(sampled)::tsquery LIMIT \(sampleLimit)
                ) AS matched
                """,
            binds: sample.bindings
        )
        return try read("counting issues") { connection in
            let found = try connection.value(inSample, as: Int.self) ?? 0
            return found > cap ? found : try connection.value(counting, as: Int.self) ?? 0
        }
    }

    /// The WHERE clause of a query's filters, each filter that is set adding one condition with its values.
    /// `words: false` leaves out the search's words, for a search that filters by them itself.
    static func filter(_ query: IssueQuery, words: Bool = true) -> SQLBuilder {
        var sql = SQLBuilder()
        var conditions: [String] = []
        if let status = query.status { conditions.append("status = \(sql.bind(status))") }
        if let category = query.category { conditions.append("category = \(sql.bind(category))") }
        if let scopes = query.scopes {
            var alternatives: [String] = []
            for scope in scopes {
                var parts: [String] = []
                if let categories = scope.categories { parts.append("category = ANY(\(sql.bind(categories)))") }
                if let areas = scope.areas {
                    parts.append(
                        "EXISTS (SELECT 1 FROM issue_area WHERE issue_area.issue = issue.id AND area = ANY(\(sql.bind(areas))))"
                    )
                }
                alternatives.append(parts.isEmpty ? "true" : parts.joined(separator: " AND "))
            }
            conditions.append(alternatives.isEmpty ? "false" : "(" + alternatives.joined(separator: " OR ") + ")")
        }
        if let area = query.inArea {
            conditions.append(
                "EXISTS (SELECT 1 FROM issue_area WHERE issue_area.issue = issue.id AND area = \(sql.bind(area)))"
            )
        }
        if let agency = query.agency {
            var part = "agency_part.issue = issue.id AND agency_part.node = \(sql.bind(agency))"
            if let roles = query.agencyRoles { part += " AND agency_part.role = ANY(\(sql.bind(roles)))" }
            if let statuses = query.agencyStatuses { part += " AND agency_part.status = ANY(\(sql.bind(statuses)))" }
            conditions.append("EXISTS (SELECT 1 FROM agency_part WHERE \(part))")
        }
        if let issue = query.issue { conditions.append("id = \(sql.bind(issue))") }
        if let original = query.duplicatesOf {
            conditions.append("id IN (SELECT issue FROM issue_duplicate WHERE of = \(sql.bind(original)))")
        }
        if let logins = query.assignedTo {
            conditions.append("id IN (SELECT issue FROM case_assignment WHERE login = ANY(\(sql.bind(logins))))")
        }
        if let priority = query.priority {
            conditions.append(
                priority == CasePriority.normal.rawValue
                    ? "id NOT IN (SELECT issue FROM case_priority)"
                    : "id IN (SELECT issue FROM case_priority WHERE priority = \(sql.bind(priority)))"
            )
        }
        if query.unassigned { conditions.append("id NOT IN (SELECT issue FROM case_assignment)") }
        if let login = query.needToKnow {
            // Restricted cases are left out, except those assigned to this person.
            conditions.append(
                """
                id NOT IN (SELECT issue FROM case_marker WHERE marker = 'restricted'
                    AND issue NOT IN (SELECT issue FROM case_assignment WHERE login = \(sql.bind(login))))
                """
            )
        }
        if let from = query.reportedFrom { conditions.append("reported_at >= \(sql.bind(from))") }
        if let to = query.reportedTo { conditions.append("reported_at <= \(sql.bind(to))") }
        if let origin = query.unroutedFrom { conditions.append("NOT routed AND origin = \(sql.bind(origin))") }
        if let box = query.area {
            conditions.append("lat >= \(sql.bind(box.south)) AND lat <= \(sql.bind(box.north))")
            // A box across the antimeridian holds the longitudes outside (east, west).
            conditions.append(
                box.crossesAntimeridian
                    ? "(lon >= \(sql.bind(box.west)) OR lon <= \(sql.bind(box.east)))"
                    : "lon >= \(sql.bind(box.west)) AND lon <= \(sql.bind(box.east))"
            )
        }
        if words, let text = query.text, let matching = SearchWords.query(text) {
            conditions.append("words @@ \(sql.bind(matching))::tsquery")
        }
        if !conditions.isEmpty { sql.append("WHERE " + conditions.joined(separator: " AND ")) }
        return sql
    }

    package func agencyParts(node: String) throws(StoreError) -> [AgencyPartRow] {
        let open = AgencyStatus.allCases.filter { !$0.isTerminal }.map(\.rawValue)
        return try read("reading a body's parts") { connection in
            try connection.rows(
                """
                SELECT issue.id, issue.category, issue.reported_at,
                    agency_part.role IN ('routed', 'origin', 'accepted') AND agency_part.status = ANY(\(open)),
                    issue.lat, issue.lon
                FROM agency_part JOIN issue ON issue.id = agency_part.issue
                WHERE agency_part.node = \(node) ORDER BY issue.id
                """,
                as: (String, String?, Int64, Bool, Double?, Double?).self
            ).map {
                AgencyPartRow(
                    issue: $0.0,
                    category: $0.1,
                    reportedAt: $0.2,
                    isOpen: $0.3,
                    latitude: $0.4,
                    longitude: $0.5
                )
            }
        }
    }

    package func agencyAnswers(author: String, from: Int64, to: Int64) throws(StoreError) -> [AgencyAnswer] {
        try read("reading a body's answers") { connection in
            try connection.rows(
                """
                SELECT issue, kind, state, at FROM agency_answer
                WHERE author = \(author) AND at BETWEEN \(from) AND \(to) ORDER BY at, event
                """,
                as: (String, String, String?, Int64).self
            ).map { AgencyAnswer(issue: $0.0, kind: $0.1, state: $0.2, at: $0.3) }
        }
    }

    package func issueState(_ issue: EventID) throws(StoreError) -> IssueState? {
        try read("folding an issue") { connection in
            let events = try connection.rows(
                """
                SELECT bytes FROM event WHERE issue = \(issue.hex) AND author NOT IN (SELECT node FROM blocked_node)
                ORDER BY depth, id
                """,
                as: Data.self
            ).map { bytes in
                do {
                    return try Event.decodeStored(Array(bytes))
                } catch {
                    throw StoreError.corrupt("a stored event of issue \(issue.hex) no longer decodes: \(error)")
                }
            }
            let keys = try Self.rings(for: Set(events.map(\.author)), on: connection)
            return IssueFold.fold(events.filter(\.audience.isPublic), keys: keys)
        }
    }

    package func projectedStates() throws(StoreError) -> [String: [UInt8]] {
        try read("reading projections") { connection in
            var states: [String: [UInt8]] = [:]
            for (id, state) in try connection.rows("SELECT id, state FROM issue", as: (String, Data).self) {
                states[id] = Array(state)
            }
            return states
        }
    }

    package func rebuildProjections() throws(StoreError) {
        try write("rebuilding projections") { connection in
            for table in ["agency_answer", "agency_part", "issue_area", "issue_duplicate", "issue_photo", "issue"] {
                try connection.run(PostgresQuery(unsafeSQL: "DELETE FROM \(table)"))
            }
            let projection = PostgresProjection(connection: connection, areas: areas)
            var after = ""
            while true {
                let issues = try connection.rows(
                    "SELECT DISTINCT issue FROM event WHERE issue > \(after) ORDER BY issue LIMIT 500",
                    as: String.self
                )
                guard let last = issues.last else { break }
                try projection.refresh(issues.compactMap(EventID.init))
                after = last
            }
            // The triggers kept the count through the rebuild; a count damaged before it is set right.
            try connection.run("UPDATE issue_count SET count = (SELECT count(*) FROM issue)")
            try Self.rebuildKeptSums(on: connection)
        }
    }

    package func resolveIssue(_ prefix: String) throws(StoreError) -> EventID? {
        try resolve(prefix, in: "issue")
    }

    /// Works out every issue's named areas again if the areas changed since the store last did.
    func placeIssuesInAreas() throws(StoreError) {
        let fingerprint = try read("reading the areas' fingerprint") { connection in
            try connection.value("SELECT fingerprint FROM area_fingerprint", as: String.self) ?? ""
        }
        guard fingerprint != areas.fingerprint else { return }
        try write("placing issues in the named areas") { connection in
            try connection.run("DELETE FROM issue_area")
            var names: [String] = []
            var issues: [String] = []
            for (id, latitude, longitude) in try connection.rows(
                "SELECT id, lat, lon FROM issue WHERE lat IS NOT NULL AND lon IS NOT NULL",
                as: (String, Double, Double).self
            ) {
                for name in areas.locate(longitude, latitude) {
                    names.append(name)
                    issues.append(id)
                }
            }
            if !names.isEmpty {
                try connection.run(
                    "INSERT INTO issue_area (area, issue) SELECT * FROM unnest(\(names)::text[], \(issues)::text[])"
                )
            }
            try connection.run(
                """
                INSERT INTO area_fingerprint (only_row, fingerprint) VALUES (1, \(areas.fingerprint))
                ON CONFLICT (only_row) DO UPDATE SET fingerprint = excluded.fingerprint
                """
            )
        }
    }
}

extension SQLBuilder {
    /// The `LIMIT … OFFSET …` of a query's page, bound.
    mutating func page(of query: IssueQuery) -> String {
        "LIMIT \(bind(Int64(query.limit))) OFFSET \(bind(Int64(query.offset)))"
    }
}
