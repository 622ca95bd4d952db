import CIXCore
import CIXStore
import GRDB

extension SQLiteStore {
    /// Issues matching the query, in its order.
    package func issues(_ query: IssueQuery) throws(StoreError) -> [IssueSummary] {
        let (whereClause, conditionCount, filterArguments) = Self.filter(query)
        var arguments = filterArguments
        arguments += [query.limit]
        arguments += [query.offset]
        let columns = """
            SELECT id, origin, status, category, title, lat, lon, reported_at, updated_at,
                confirmations, comments, solutions, offers
            """
        // Oldest first walks issue_by_reported (reported_at, then rowid) and stops at the page.
        let order =
            "ORDER BY \(query.oldestFirst ? "issue.reported_at, issue.rowid" : Self.orderClause(query.order)) LIMIT ? OFFSET ?"
        let pattern = query.text.flatMap(Self.searchPattern)
        let textOnly = conditionCount == 1
        let boundArguments = arguments
        return try read("listing issues") { db in
            // Words alone that match many issues: walk the order's index and stop at
            // the page, rather than sorting every match (SQLite picks the latter).
            // With other filters too, SQLite's own plan stays (they may match few).
            // One person's cases are few: let SQLite start from them rather than walk every issue.
            var table =
                query.oldestFirst && !query.fewCasesDrive ? "issue INDEXED BY issue_by_reported" : "issue"
            if let pattern, textOnly,
                try Int.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT count(*) FROM (SELECT 1 FROM issue_text WHERE issue_text MATCH ? LIMIT ?)"
                    ),
                    arguments: [pattern, Self.manyMatches + 1]
                ) ?? 0 > Self.manyMatches
            {
                table = "issue INDEXED BY \(Self.orderIndex(query.order))"
            }
            let sql = "\(columns) FROM \(table) \(whereClause) \(order)"
            // Columns by position: decoding by name costs more than the query on a hot list.
            return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: boundArguments).map { row in
                IssueSummary(
                    id: row[0],
                    origin: row[1],
                    status: row[2],
                    category: row[3],
                    title: row[4],
                    latitude: row[5],
                    longitude: row[6],
                    reportedAt: row[7],
                    updatedAt: row[8],
                    confirmations: row[9],
                    comments: row[10],
                    solutions: row[11],
                    offers: row[12]
                )
            }
        }
    }

    /// How many issues match the query's filters (its order and page aside).
    package func issueCount(_ query: IssueQuery) throws(StoreError) -> Int {
        var unrestricted = query
        unrestricted.needToKnow = nil
        unrestricted.scopes = nil
        unrestricted.inArea = nil
        if let agency = query.agency, let roles = query.agencyRoles, let statuses = query.agencyStatuses,
            IssueQuery(agency: agency).sameFilters(as: unrestricted), let areas = Self.areasOnly(query)
        {
            // Only a body's parts by role and status (the inbox's counts), maybe in some named areas:
            // read from the covering indexes alone, less the few restricted cases the person may not see.
            guard areas != [] else { return 0 }
            let roleMarks = Array(repeating: "?", count: roles.count).joined(separator: ", ")
            let statusMarks = Array(repeating: "?", count: statuses.count).joined(separator: ", ")
            var parts =
                "agency_part.node = ? AND agency_part.role IN (\(roleMarks)) AND agency_part.status IN (\(statusMarks))"
            var partArguments = StatementArguments([agency] + roles + statuses)
            var from = "agency_part"
            var counted = "count(*)"
            if let areas = areas {
                from += " JOIN issue_area ON issue_area.issue = agency_part.issue"
                parts += " AND issue_area.area IN (\(areas.map { _ in "?" }.joined(separator: ", ")))"
                partArguments += StatementArguments(areas)
                // An issue in two of the areas is one case.
                if areas.count > 1 { counted = "count(DISTINCT agency_part.issue)" }
            }
            let countSQL = "SELECT \(counted) FROM \(from) WHERE \(parts)"
            let restrictedSQL = """
                SELECT \(counted) FROM case_marker, \(from)
                WHERE agency_part.issue = case_marker.issue AND case_marker.marker = 'restricted' AND \(parts)
                    AND case_marker.issue NOT IN (SELECT issue FROM case_assignment WHERE login = ?)
                """
            let arguments = partArguments
            return try read("counting a body's parts") { db in
                var count = try Int.fetchOne(db.cachedStatement(sql: countSQL), arguments: arguments) ?? 0
                if let login = query.needToKnow {
                    count -=
                        try Int.fetchOne(db.cachedStatement(sql: restrictedSQL), arguments: arguments + [login]) ?? 0
                }
                return count
            }
        }
        let (whereClause, _, arguments) = Self.filter(query)
        return try read("counting issues") { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM issue \(whereClause)"), arguments: arguments)
                ?? 0
        }
    }

    package func issueCount(_ query: IssueQuery, upTo cap: Int) throws(StoreError) -> Int {
        let (whereClause, _, arguments) = Self.filter(query)
        let bound = arguments + [cap + 1]
        return try read("counting issues") { db in
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 FROM issue \(whereClause) LIMIT ?)"),
                arguments: bound
            ) ?? 0
        }
    }

    package func agencyParts(node: String) throws(StoreError) -> [AgencyPartRow] {
        let open = AgencyStatus.allCases.filter { !$0.isTerminal }.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return try read("reading a body's parts") { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT issue.id, issue.category, issue.reported_at,
                            agency_part.role IN ('routed', 'origin', 'accepted') AND agency_part.status IN (\(open)),
                            issue.lat, issue.lon
                        FROM agency_part JOIN issue ON issue.id = agency_part.issue
                        WHERE agency_part.node = ?
                        """
                ),
                arguments: [node]
            ).map {
                AgencyPartRow(
                    issue: $0[0],
                    category: $0[1],
                    reportedAt: $0[2],
                    isOpen: $0[3],
                    latitude: $0[4],
                    longitude: $0[5]
                )
            }
        }
    }

    package func agencyAnswers(author: String, from: Int64, to: Int64) throws(StoreError) -> [AgencyAnswer] {
        try read("reading a body's answers") { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT issue, kind, state, at FROM agency_answer WHERE author = ? AND at BETWEEN ? AND ?"
                ),
                arguments: [author, from, to]
            ).map { AgencyAnswer(issue: $0[0], kind: $0[1], state: $0[2], at: $0[3]) }
        }
    }

    /// The WHERE clause of a query's filters: each filter that is set adds one condition with its bound values.
    static func filter(_ query: IssueQuery) -> (clause: String, count: Int, arguments: StatementArguments) {
        func value(_ value: (some DatabaseValueConvertible)?) -> [DatabaseValue]? { value.map { [$0.databaseValue] } }
        func list(_ values: [String]?) -> String {
            "(" + Array(repeating: "?", count: values?.count ?? 0).joined(separator: ", ") + ")"
        }
        // With roles or statuses (the staff inbox), the body's parts are found through
        // agency_part_by_node once, rather than looked up for every issue.
        var part = "EXISTS (SELECT 1 FROM agency_part WHERE agency_part.issue = issue.id AND node = ?)"
        if query.agencyPartsAreMany || query.fewCasesDrive {
            // Most issues walked in order match, or one person's few cases drive the query:
            // look each issue's part up by its key.
            part = "EXISTS (SELECT 1 FROM agency_part WHERE agency_part.issue = issue.id AND node = ?"
            if query.agencyRoles != nil { part += " AND role IN \(list(query.agencyRoles))" }
            if query.agencyStatuses != nil { part += " AND agency_part.status IN \(list(query.agencyStatuses))" }
            part += ")"
        } else if query.agencyRoles != nil || query.agencyStatuses != nil {
            part = "issue.id IN (SELECT agency_part.issue FROM agency_part WHERE node = ?"
            if query.agencyRoles != nil { part += " AND role IN \(list(query.agencyRoles))" }
            if query.agencyStatuses != nil { part += " AND agency_part.status IN \(list(query.agencyStatuses))" }
            part += ")"
        }
        let filters: [(String, [DatabaseValue]?)] = [
            ("issue.status = ?", value(query.status)),
            ("issue.category = ?", value(query.category)),
            query.scopes.map(Self.scopeFilter) ?? ("", nil),
            (
                "EXISTS (SELECT 1 FROM issue_area WHERE issue_area.issue = issue.id AND area = ?)",
                value(query.inArea)
            ),
            (
                part,
                query.agency.map {
                    [$0.databaseValue] + (query.agencyRoles ?? []).map(\.databaseValue)
                        + (query.agencyStatuses ?? []).map(\.databaseValue)
                }
            ),
            ("issue.id = ?", value(query.issue)),
            ("issue.id IN (SELECT issue FROM issue_duplicate WHERE of = ?)", value(query.duplicatesOf)),
            (
                "issue.id IN (SELECT issue FROM case_assignment WHERE login IN \(list(query.assignedTo)))",
                query.assignedTo.map { $0.map(\.databaseValue) }
            ),
            (
                query.priority == CasePriority.normal.rawValue
                    ? "issue.id NOT IN (SELECT issue FROM case_priority)"
                    : "issue.id IN (SELECT issue FROM case_priority WHERE priority = ?)",
                query.priority.map { $0 == CasePriority.normal.rawValue ? [] : [$0.databaseValue] }
            ),
            ("issue.id NOT IN (SELECT issue FROM case_assignment)", query.unassigned ? [] : nil),
            (
                """
                issue.id NOT IN (SELECT issue FROM case_marker WHERE marker = 'restricted'
                    AND issue NOT IN (SELECT issue FROM case_assignment WHERE login = ?))
                """,
                value(query.needToKnow)
            ),
            ("issue.reported_at >= ?", value(query.reportedFrom)),
            ("issue.reported_at <= ?", value(query.reportedTo)),
            ("issue.routed = 0 AND issue.origin = ?", value(query.unroutedFrom)),
            ("issue.lat >= ? AND issue.lat <= ?", query.area.map { [$0.south.databaseValue, $0.north.databaseValue] }),
            // A box across the antimeridian holds the longitudes outside (east, west).
            (
                query.area?.crossesAntimeridian == true
                    ? "(issue.lon >= ? OR issue.lon <= ?)" : "issue.lon >= ? AND issue.lon <= ?",
                query.area.map { [$0.west.databaseValue, $0.east.databaseValue] }
            ),
            (
                "issue.rowid IN (SELECT rowid FROM issue_text WHERE issue_text MATCH ?)",
                value(query.text.flatMap(Self.searchPattern))
            ),
        ]
        var conditions: [String] = []
        var arguments = StatementArguments()
        for case let (condition, values?) in filters {
            conditions.append(condition)
            arguments += StatementArguments(values)
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), conditions.count, arguments)
    }

    /// Cases any of the scopes reaches: each scope's categories and areas (`issue_area`) both hold.
    static func scopeFilter(_ scopes: [CaseScope]) -> (String, [DatabaseValue]?) {
        var alternatives: [String] = []
        var values: [DatabaseValue] = []
        for scope in scopes {
            var conditions: [String] = []
            if let categories = scope.categories {
                conditions.append("issue.category IN (\(categories.map { _ in "?" }.joined(separator: ", ")))")
                values += categories.map(\.databaseValue)
            }
            if let areas = scope.areas {
                // Looked up per issue (issue_area_by_issue): the inbox walks issues in order and stops at a page.
                conditions.append(
                    "EXISTS (SELECT 1 FROM issue_area WHERE issue_area.issue = issue.id AND area IN ("
                        + areas.map { _ in "?" }.joined(separator: ", ") + "))"
                )
                values += areas.map(\.databaseValue)
            }
            alternatives.append(conditions.isEmpty ? "1" : conditions.joined(separator: " AND "))
        }
        return (alternatives.isEmpty ? "0" : "(" + alternatives.joined(separator: " OR ") + ")", values)
    }

    /// Above this many text matches, a search walks the order's index.
    static let manyMatches = 2_000
    /// The index that walks issues in this order.
    static func orderIndex(_ order: IssueQuery.Order) -> String {
        switch order {
        case .updated: "issue_by_updated"
        case .reported: "issue_by_reported"
        case .confirmations: "issue_by_confirmations"
        }
    }

    static func orderClause(_ order: IssueQuery.Order) -> String {
        switch order {
        case .updated: "updated_at DESC, id"
        case .reported: "reported_at DESC, id"
        case .confirmations: "confirmations DESC, updated_at DESC, id"
        }
    }

    /// An FTS5 query that matches every word of `text`: the last as a prefix
    /// (people search as they type), the others whole, which FTS5 answers far
    /// faster. FTS5's own syntax is neutralised by quoting each word.
    static func searchPattern(_ text: String) -> String? {
        let words = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).prefix(16)
        guard !words.isEmpty else { return nil }
        return words.enumerated().map { index, word in
            index == words.count - 1 ? "\"\(word)\"*" : "\"\(word)\""
        }.joined(separator: " ")
    }
}

extension SQLiteStore {
    /// The named areas a query is limited to when areas are its only limit (its scopes name
    /// areas and no categories, and/or it filters by one area): `.some(nil)` for no limit at
    /// all, `.some([])` for a limit nothing meets, nil when categories limit it too, or when
    /// it filters by an area outside its scopes' (an intersection one list cannot say).
    static func areasOnly(_ query: IssueQuery) -> [String]?? {
        var allowed: Set<String>?
        if let scopes = query.scopes {
            guard scopes.allSatisfy({ $0.categories == nil }) else { return nil }
            if scopes.contains(where: { $0.areas == nil }) {
                allowed = nil
            } else {
                allowed = Set(scopes.flatMap { $0.areas ?? [] })
            }
            if scopes.isEmpty { return .some([]) }
        }
        if let chosen = query.inArea {
            if let allowed, !allowed.contains(chosen) { return nil }
            return .some([chosen])
        }
        return .some(allowed.map { $0.sorted() })
    }
}

extension IssueQuery {
    /// Whether a small local set (someone's assigned cases, the cases of a raised priority)
    /// drives the query, rather than the walk of every issue in order.
    var fewCasesDrive: Bool {
        assignedTo != nil || (priority != nil && priority != CasePriority.normal.rawValue)
    }
}
