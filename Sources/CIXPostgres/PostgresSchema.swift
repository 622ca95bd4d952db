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
        )
    ]

    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(lock))", logger: logger)
            do {
                try await connection.query(
                    "CREATE TABLE IF NOT EXISTS cix_migration (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                    logger: logger
                )
                var applied = Set<String>()
                for try await version in try await connection.query(
                    "SELECT version FROM cix_migration",
                    logger: logger
                ).decode(String.self) {
                    applied.insert(version)
                }
                for step in steps where !applied.contains(step.version) {
                    try await connection.withTransaction(logger: logger) { transaction in
                        for statement in step.sql {
                            try await transaction.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        try await transaction.query(
                            "INSERT INTO cix_migration (version) VALUES (\(step.version))",
                            logger: logger
                        )
                    }
                }
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(lock))", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(\(lock))", logger: logger)
        }
    }
}
