import Logging
import PostgresNIO

/// The PostgreSQL schema, in versioned steps like SQLite's: each applied once,
/// in order, in its own transaction, recorded in `cix_migration`. Daemons that
/// start together take an advisory lock, so one applies and the others wait;
/// a step interrupted (a `kill -9`) rolls back and is applied again next time.
enum PostgresSchema {
    static let lock: Int64 = 0x4349_5802

    static let steps: [(version: String, sql: [String])] = [
        (
            "v1-event-log",
            [
                """
                CREATE TABLE event (
                    seq bigserial PRIMARY KEY,
                    id text NOT NULL UNIQUE CHECK (length(id) = 64),
                    issue text NOT NULL CHECK (length(issue) = 64),
                    kind text NOT NULL,
                    author text NOT NULL,
                    depth integer NOT NULL CHECK (depth >= 1),
                    is_public boolean NOT NULL,
                    first_seen bigint NOT NULL,
                    source text NOT NULL,
                    bytes bytea NOT NULL
                )
                """,
                "CREATE INDEX event_by_issue ON event (issue, depth, id)",
                "CREATE INDEX event_by_author ON event (author)",
                """
                CREATE TABLE pending_event (
                    id text PRIMARY KEY,
                    missing text[] NOT NULL,
                    first_seen bigint NOT NULL,
                    source text NOT NULL,
                    bytes bytea NOT NULL
                )
                """,
                "CREATE INDEX pending_by_parent ON pending_event USING gin (missing)",
                "CREATE INDEX pending_by_source ON pending_event (source)",
                "CREATE TABLE key_statement (hash text PRIMARY KEY, node text NOT NULL, record bytea NOT NULL)",
                "CREATE INDEX key_statement_by_node ON key_statement (node)",
                """
                CREATE TABLE issue (
                    id text PRIMARY KEY,
                    origin text NOT NULL,
                    status text NOT NULL,
                    reported_at bigint NOT NULL,
                    updated_at bigint NOT NULL,
                    state bytea NOT NULL
                )
                """,
                "CREATE INDEX issue_by_status ON issue (status, updated_at)",
            ]
        ),
        (
            projectionsVersion,
            [
                "DELETE FROM issue",
                """
                ALTER TABLE issue ADD COLUMN category text, ADD COLUMN title text,
                    ADD COLUMN lat double precision, ADD COLUMN lon double precision,
                    ADD COLUMN routed boolean NOT NULL DEFAULT false,
                    ADD COLUMN confirmations integer NOT NULL DEFAULT 0, ADD COLUMN comments integer NOT NULL DEFAULT 0,
                    ADD COLUMN solutions integer NOT NULL DEFAULT 0, ADD COLUMN offers integer NOT NULL DEFAULT 0,
                    ADD COLUMN words tsvector NOT NULL DEFAULT ''::tsvector
                """,
                "DROP INDEX issue_by_status",
                "CREATE INDEX issue_by_updated ON issue (updated_at DESC, id)",
                "CREATE INDEX issue_by_reported ON issue (reported_at DESC, id)",
                "CREATE INDEX issue_by_confirmations ON issue (confirmations DESC, updated_at DESC, id)",
                "CREATE INDEX issue_by_status ON issue (status, updated_at DESC)",
                "CREATE INDEX issue_by_category ON issue (category, updated_at DESC)",
                "CREATE INDEX issue_by_place ON issue (lat, lon) WHERE lat IS NOT NULL",
                "CREATE INDEX issue_by_origin ON issue (origin) WHERE NOT routed",
                "CREATE INDEX issue_words ON issue USING gin (words)",
                "CREATE INDEX event_by_kind_seen ON event (kind, first_seen)",
                "CREATE INDEX event_by_audience ON event (is_public, id)",
                """
                CREATE TABLE agency_part (
                    issue text NOT NULL, node text NOT NULL, role text NOT NULL, status text NOT NULL,
                    PRIMARY KEY (issue, node)
                )
                """,
                "CREATE INDEX agency_part_by_node ON agency_part (node, role, status)",
                """
                CREATE TABLE agency_answer (
                    issue text NOT NULL, event text PRIMARY KEY, author text NOT NULL, kind text NOT NULL,
                    state text, at bigint NOT NULL
                )
                """,
                "CREATE INDEX agency_answer_by_author ON agency_answer (author, at)",
                "CREATE INDEX agency_answer_by_issue ON agency_answer (issue)",
                "CREATE TABLE issue_duplicate (issue text PRIMARY KEY, of text NOT NULL)",
                "CREATE INDEX issue_duplicate_by_original ON issue_duplicate (of)",
                "CREATE TABLE issue_area (area text NOT NULL, issue text NOT NULL, PRIMARY KEY (area, issue))",
                "CREATE INDEX issue_area_by_issue ON issue_area (issue)",
                "CREATE TABLE area_fingerprint (only_row integer PRIMARY KEY CHECK (only_row = 1), fingerprint text NOT NULL)",
                """
                CREATE TABLE node (
                    id text PRIMARY KEY, name text NOT NULL, kind text NOT NULL, url text NOT NULL,
                    version bigint NOT NULL, descriptor bytea NOT NULL
                )
                """,
                """
                CREATE TABLE relay (
                    id text NOT NULL, relayed_by text NOT NULL, name text NOT NULL, kind text NOT NULL,
                    via text NOT NULL, PRIMARY KEY (id, relayed_by)
                )
                """,
                "CREATE INDEX relay_by_node ON relay (relayed_by)",
                """
                CREATE TABLE peer (
                    node text PRIMARY KEY, url text NOT NULL, name text NOT NULL, kind text NOT NULL,
                    key text NOT NULL, ca_pem text, added_at bigint NOT NULL, cursor bigint NOT NULL DEFAULT 0,
                    last_contact bigint, last_error text, pushed_through bigint NOT NULL DEFAULT 0
                )
                """,
                """
                CREATE TABLE attachment (
                    hash text PRIMARY KEY, type text NOT NULL, bytes bytea NOT NULL, stored_at bigint NOT NULL
                )
                """,
                "CREATE TABLE blocked_node (node text PRIMARY KEY, reason text NOT NULL, since bigint NOT NULL)",
                "CREATE TABLE blocked_issue (issue text PRIMARY KEY, node text NOT NULL)",
                "CREATE INDEX blocked_issue_by_node ON blocked_issue (node)",
            ]
        ),
    ]

    /// The step that adds the projections (lists, search, places, agency parts): when it is
    /// applied to a store that holds events, every issue is projected once.
    static let projectionsVersion = "v2-projections"

    /// The steps this version has that the store has not applied (a replica cannot apply them).
    static func missing(_ connection: PostgresConnection) throws -> [String] {
        let exists =
            try connection.value("SELECT to_regclass('cix_migration') IS NOT NULL", as: Bool.self) ?? false
        let applied = exists ? Set(try connection.rows("SELECT version FROM cix_migration", as: String.self)) : []
        return steps.map(\.version).filter { !applied.contains($0) }
    }

    /// Applies the steps not applied yet, under the migration lock; returns those it applied.
    static func migrate(_ connection: PostgresConnection) throws -> [String] {
        try connection.run("SELECT pg_advisory_lock(\(lock))")
        defer { _ = try? connection.run("SELECT pg_advisory_unlock(\(lock))") }
        try connection.run(
            "CREATE TABLE IF NOT EXISTS cix_migration (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        let applied = Set(try connection.rows("SELECT version FROM cix_migration", as: String.self))
        var now: [String] = []
        for step in steps where !applied.contains(step.version) {
            try connection.run("BEGIN")
            do {
                for statement in step.sql { try connection.run(PostgresQuery(unsafeSQL: statement)) }
                try connection.run("INSERT INTO cix_migration (version) VALUES (\(step.version))")
                try connection.run("COMMIT")
            } catch {
                _ = try? connection.run("ROLLBACK")
                throw error
            }
            now.append(step.version)
        }
        return now
    }
}
