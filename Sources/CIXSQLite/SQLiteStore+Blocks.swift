import CIXCore
import CIXStore
import GRDB

extension SQLiteStore {
    package func block(_ node: NodeID, reason: String, at moment: Timestamp) throws(StoreError) {
        try write("blocking a node") { db in
            try db.execute(
                sql: """
                    INSERT INTO blocked_node (node, reason, since) VALUES (?, ?, ?)
                    ON CONFLICT (node) DO UPDATE SET reason = excluded.reason
                    """,
                arguments: [node.hex, reason, moment.secondsSinceEpoch]
            )
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO blocked_issue (issue, node)
                        SELECT id, author FROM event WHERE author = ? AND kind = 'issue.report'
                    """,
                arguments: [node.hex]
            )
            try refold(touchedBy: node, db: db)
        }
    }

    package func unblock(_ node: NodeID) throws(StoreError) -> Bool {
        try write("unblocking a node") { db in
            try db.execute(sql: "DELETE FROM blocked_issue WHERE node = ?", arguments: [node.hex])
            try db.execute(sql: "DELETE FROM blocked_node WHERE node = ?", arguments: [node.hex])
            guard db.changesCount > 0 else { return false }
            try refold(touchedBy: node, db: db)
            try db.execute(sql: "UPDATE peer SET cursor = 0")
            return true
        }
    }

    package func blockedNodes() throws(StoreError) -> [BlockedNode] {
        try read("listing blocked nodes") { db in
            try Row.fetchAll(db, sql: "SELECT node, reason, since FROM blocked_node ORDER BY since, node").compactMap {
                row in
                NodeID(row["node"] as String).map {
                    BlockedNode(node: $0, reason: row["reason"], since: Timestamp(secondsSinceEpoch: row["since"]))
                }
            }
        }
    }

    package func hiddenEvents() throws(StoreError) -> HiddenEvents {
        try read("reading what blocks hide") { db in
            let authors = try String.fetchAll(db.cachedStatement(sql: "SELECT node FROM blocked_node"))
            guard !authors.isEmpty else { return .none }
            let issues = try String.fetchAll(db.cachedStatement(sql: "SELECT issue FROM blocked_issue"))
            return HiddenEvents(authors: Set(authors), issues: Set(issues))
        }
    }

    /// Folds again every issue `node` wrote an event on, as the block list now says.
    private func refold(touchedBy node: NodeID, db: Database) throws {
        let issues = try String.fetchAll(
            db,
            sql: "SELECT DISTINCT issue FROM event WHERE author = ? ORDER BY issue",
            arguments: [node.hex]
        )
        for issue in issues.compactMap(EventID.init) {
            try SQLiteProjection.refresh(issue: issue, db: db, areas: areas)
        }
    }
}
