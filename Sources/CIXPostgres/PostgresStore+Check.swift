import CIXStore
import PostgresNIO

extension PostgresStore {
    /// PostgreSQL keeps its own pages and indexes whole (write-ahead log, checksums if the cluster
    /// has them); what it cannot know is whether the projections agree with the log. Each issue
    /// publicly reported by a node not blocked must have its list row (a partner-only report has
    /// none: `Protocol/events.md`, Audience), and no list row may lack its report; the sums kept for
    /// reconciliation must be the log's, the kept count of issues the list's, and the kept list of
    /// photos the issues name the states'.
    package func checkStorage() throws(StoreError) -> [StorageDamage] {
        try read("checking the projections") { connection in
            let (unlisted, orphaned) =
                try connection.rows(
                    """
                    SELECT
                        (SELECT count(*) FROM event WHERE kind = 'issue.report' AND is_public
                            AND author NOT IN (SELECT node FROM blocked_node)
                            AND NOT EXISTS (SELECT 1 FROM issue WHERE issue.id = event.id)),
                        (SELECT count(*) FROM issue WHERE NOT EXISTS (
                            SELECT 1 FROM event WHERE event.id = issue.id AND event.kind = 'issue.report'))
                    """,
                    as: (Int, Int).self
                ).first ?? (0, 0)
            var damage: [StorageDamage] = []
            let (keptIssues, listedIssues) =
                try connection.rows(
                    "SELECT (SELECT count FROM issue_count), (SELECT count(*) FROM issue)",
                    as: (Int, Int).self
                ).first ?? (0, 0)
            let unkeptPhotos =
                try connection.value(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT count(*) FROM (\(PostgresSchema.namedPhotos)) AS named
                            FULL JOIN issue_photo AS kept USING (hash, issue)
                            WHERE named.hash IS NULL OR kept.hash IS NULL
                            """
                    ),
                    as: Int.self
                ) ?? 0
            if unkeptPhotos > 0 {
                damage.append(
                    StorageDamage(
                        object: "issue_photo",
                        isIndex: false,
                        part: .derived,
                        detail:
                            "the kept list of the photos issues name differs from their states by \(unkeptPhotos) \(unkeptPhotos == 1 ? "row" : "rows")"
                    )
                )
            }
            if keptIssues != listedIssues {
                damage.append(
                    StorageDamage(
                        object: "issue_count",
                        isIndex: false,
                        part: .derived,
                        detail: "the kept count of issues (\(keptIssues)) disagrees with the list (\(listedIssues))"
                    )
                )
            }
            for kept in KeptSums.allCases {
                let disagreeing = try Self.disagreeingKeptSums(kept, on: connection)
                guard disagreeing > 0 else { continue }
                damage.append(
                    StorageDamage(
                        object: kept.table,
                        isIndex: false,
                        part: .derived,
                        detail: kept == .prefixes
                            ? "the kept sums of \(disagreeing) parts of the id space disagree with the log"
                            : "the kept sums of \(disagreeing == 1 ? "1 author's" : "\(disagreeing) authors'") events disagree with the log"
                    )
                )
            }
            if unlisted > 0 {
                damage.append(
                    StorageDamage(
                        object: "issue",
                        isIndex: false,
                        part: .derived,
                        detail: "\(unlisted) reported issues have no projection"
                    )
                )
            }
            if orphaned > 0 {
                damage.append(
                    StorageDamage(
                        object: "issue",
                        isIndex: false,
                        part: .derived,
                        detail: "\(orphaned) projected issues have no report in the log"
                    )
                )
            }
            return damage
        }
    }
}
