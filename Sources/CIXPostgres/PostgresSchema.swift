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
        (
            "v3-private",
            [
                // What only the node may see, for a body's node: residents' contact details, API keys and
                // the Open311 log, staff accounts and cases, held reports, residents' mail, bridges and
                // the gazetteer. Nothing here is exported, federated or shown on a public page.
                """
                CREATE TABLE reporter_contact (
                    issue text PRIMARY KEY, reporter text NOT NULL, name text, email text, phone text,
                    given_at bigint NOT NULL, may_share boolean NOT NULL DEFAULT false,
                    shared_through bigint NOT NULL DEFAULT 0
                )
                """,
                "CREATE INDEX reporter_contact_sharing ON reporter_contact (issue) WHERE may_share",
                """
                CREATE TABLE api_key (
                    id bigserial PRIMARY KEY, name text NOT NULL, hash text NOT NULL UNIQUE,
                    created_at bigint NOT NULL, revoked_at bigint
                )
                """,
                """
                CREATE TABLE open311_log (
                    seq bigserial PRIMARY KEY, key_id bigint NOT NULL REFERENCES api_key (id), at bigint NOT NULL,
                    action text NOT NULL, issue text, event text, client_update_id text, details text NOT NULL
                )
                """,
                """
                CREATE UNIQUE INDEX open311_update_once ON open311_log (key_id, client_update_id)
                    WHERE client_update_id IS NOT NULL
                """,
                "CREATE INDEX open311_log_by_event ON open311_log (event) WHERE action = 'update'",
                """
                CREATE TABLE staff_account (
                    id bigserial PRIMARY KEY, login text NOT NULL UNIQUE, display_name text NOT NULL,
                    password_hash text NOT NULL, totp_secret text NOT NULL, totp_last_step bigint NOT NULL DEFAULT 0,
                    grants text NOT NULL, failed_attempts integer NOT NULL DEFAULT 0,
                    locked_until bigint NOT NULL DEFAULT 0, created_at bigint NOT NULL, disabled_at bigint,
                    openid_issuer text, openid_subject text, team text
                )
                """,
                """
                CREATE UNIQUE INDEX staff_account_by_openid ON staff_account (openid_issuer, openid_subject)
                    WHERE openid_issuer IS NOT NULL
                """,
                """
                CREATE TABLE staff_recovery_code (
                    account bigint NOT NULL REFERENCES staff_account (id) ON DELETE CASCADE, hash text NOT NULL,
                    used_at bigint, PRIMARY KEY (account, hash)
                )
                """,
                """
                CREATE TABLE staff_session (
                    id text PRIMARY KEY, account bigint NOT NULL REFERENCES staff_account (id), csrf text NOT NULL,
                    created_at bigint NOT NULL, authenticated_at bigint NOT NULL, last_seen bigint NOT NULL,
                    address text NOT NULL, revoked_at bigint
                )
                """,
                "CREATE INDEX staff_session_by_account ON staff_session (account, revoked_at)",
                """
                CREATE TABLE case_note (
                    seq bigserial PRIMARY KEY, issue text NOT NULL, author text NOT NULL, at bigint NOT NULL,
                    text text NOT NULL
                )
                """,
                "CREATE INDEX case_note_by_issue ON case_note (issue, seq)",
                """
                CREATE TABLE case_assignment (
                    issue text PRIMARY KEY, login text NOT NULL, assigned_by text NOT NULL, at bigint NOT NULL
                )
                """,
                "CREATE INDEX case_assignment_by_login ON case_assignment (login)",
                """
                CREATE TABLE case_marker (
                    issue text NOT NULL, marker text NOT NULL, set_by text NOT NULL, at bigint NOT NULL,
                    PRIMARY KEY (issue, marker)
                )
                """,
                "CREATE INDEX case_marker_by_marker ON case_marker (marker, issue)",
                """
                CREATE TABLE case_priority (
                    issue text PRIMARY KEY, priority text NOT NULL, set_by text NOT NULL, at bigint NOT NULL
                )
                """,
                "CREATE INDEX case_priority_by_priority ON case_priority (priority, issue)",
                """
                CREATE TABLE held_report (id bigserial PRIMARY KEY, received_at bigint NOT NULL, fields text NOT NULL)
                """,
                """
                CREATE TABLE held_photo (
                    report bigint NOT NULL REFERENCES held_report (id) ON DELETE CASCADE, position integer NOT NULL,
                    type text NOT NULL, bytes bytea NOT NULL, PRIMARY KEY (report, position)
                )
                """,
                """
                CREATE TABLE response_template (
                    id bigserial PRIMARY KEY, name text NOT NULL UNIQUE, text text NOT NULL,
                    updated_by text NOT NULL, updated_at bigint NOT NULL
                )
                """,
                """
                CREATE TABLE audit (
                    seq bigint PRIMARY KEY, at bigint NOT NULL, actor text NOT NULL, action text NOT NULL,
                    subject text NOT NULL, address text NOT NULL, event text, detail text NOT NULL,
                    hash text NOT NULL CHECK (length(hash) = 64)
                )
                """,
                // The audit trail is append-only: the server refuses to change or delete an entry.
                """
                CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$
                """,
                """
                CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()
                """,
                """
                CREATE TABLE resident_flag (
                    id bigserial PRIMARY KEY, issue text NOT NULL, event text NOT NULL, reason text NOT NULL,
                    note text NOT NULL, at bigint NOT NULL
                )
                """,
                "CREATE INDEX resident_flag_by_event ON resident_flag (event)",
                """
                CREATE TABLE redacted_original (
                    event text PRIMARY KEY, issue text NOT NULL, content text NOT NULL, redacted_by text NOT NULL,
                    at bigint NOT NULL, keep_until bigint NOT NULL
                )
                """,
                "CREATE INDEX redacted_original_by_issue ON redacted_original (issue)",
                "CREATE INDEX redacted_original_by_expiry ON redacted_original (keep_until)",
                """
                CREATE TABLE resident_confirmation (
                    issue text NOT NULL, browser text NOT NULL, at bigint NOT NULL, PRIMARY KEY (issue, browser)
                )
                """,
                "CREATE INDEX resident_confirmation_by_browser ON resident_confirmation (browser)",
                """
                CREATE TABLE mail_follow (
                    id bigserial PRIMARY KEY, email text NOT NULL, issue text, area text,
                    reporter boolean NOT NULL DEFAULT false, token text NOT NULL UNIQUE, created_at bigint NOT NULL,
                    confirmed_at bigint, language text NOT NULL DEFAULT 'en',
                    CHECK ((issue IS NULL) <> (area IS NULL))
                )
                """,
                "CREATE UNIQUE INDEX mail_follow_once ON mail_follow (email, coalesce(issue, ''), coalesce(area, ''))",
                "CREATE INDEX mail_follow_by_issue ON mail_follow (issue) WHERE issue IS NOT NULL",
                "CREATE INDEX mail_follow_by_area ON mail_follow (area) WHERE area IS NOT NULL",
                """
                CREATE TABLE mail_outbox (
                    id bigserial PRIMARY KEY, key text NOT NULL UNIQUE, recipient text NOT NULL, subject text NOT NULL,
                    body text NOT NULL, unsubscribe text, created_at bigint NOT NULL,
                    attempts integer NOT NULL DEFAULT 0, next_attempt_at bigint NOT NULL, sent_at bigint,
                    failed_at bigint, last_error text
                )
                """,
                """
                CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at)
                    WHERE sent_at IS NULL AND failed_at IS NULL
                """,
                "CREATE INDEX mail_outbox_by_recipient ON mail_outbox (recipient, sent_at)",
                // How far the mail notifier has read the log: from its end, so that a node does not mail about its past.
                "CREATE TABLE mail_cursor (only_row integer PRIMARY KEY CHECK (only_row = 1), seq bigint NOT NULL)",
                "INSERT INTO mail_cursor (only_row, seq) VALUES (1, (SELECT coalesce(max(seq), 0) FROM event))",
                """
                CREATE TABLE bridge_delivery (
                    issue text NOT NULL, relay text NOT NULL,
                    state text NOT NULL CHECK (state IN ('waiting', 'sent', 'failed')), attempts integer NOT NULL,
                    queued_at bigint NOT NULL, next_attempt_at bigint, sent_at bigint, reference text, last_error text,
                    PRIMARY KEY (issue, relay)
                )
                """,
                "CREATE INDEX bridge_delivery_due ON bridge_delivery (next_attempt_at) WHERE state = 'waiting'",
                "CREATE INDEX bridge_delivery_by_reference ON bridge_delivery (relay, reference)",
                "CREATE TABLE bridge_poll (relay text PRIMARY KEY, polled_to bigint NOT NULL)",
                """
                CREATE TABLE bridge_answer (
                    relay text NOT NULL, answer text NOT NULL, at bigint NOT NULL, PRIMARY KEY (relay, answer)
                )
                """,
                // Words split by `SearchWords`, as the issues' are, so the place search means what SQLite's does.
                """
                CREATE TABLE gazetteer (
                    id bigserial PRIMARY KEY, name text NOT NULL, kind text NOT NULL, lat double precision NOT NULL,
                    lon double precision NOT NULL, words tsvector NOT NULL
                )
                """,
                "CREATE INDEX gazetteer_words ON gazetteer USING gin (words)",
            ]
        ),
        (
            "v4-nonces",
            [
                // Nonces of signed requests, shared by every daemon of the node: a request captured on
                // its way to one daemon is refused by all of them until its signature expires.
                "CREATE TABLE seen_nonce (nonce text PRIMARY KEY, expires bigint NOT NULL)",
                "CREATE INDEX seen_nonce_by_expiry ON seen_nonce (expires)",
            ]
        ),
        (
            "v5-scrub",
            [
                // Redactions found at once in a log of any length, for the scrub that follows them.
                "CREATE INDEX event_redactions ON event (seq) WHERE kind = 'redact'",
                // How far into the log redactions have been scrubbed from disk (`PostgresStore+Scrub`).
                """
                CREATE TABLE scrub_state (
                    single boolean PRIMARY KEY DEFAULT true CHECK (single), scrubbed_through bigint NOT NULL
                )
                """,
                "INSERT INTO scrub_state (scrubbed_through) VALUES (0)",
            ]
        ),
        (
            "v6-reconcile",
            [
                // Set reconciliation reads the public ids of any range in byte order, a page at a time.
                "CREATE INDEX event_reconcilable ON event (id COLLATE \"C\") WHERE is_public"
            ]
        ),
        (
            "v7-reconcile-sums",
            [
                // Kept sums for `sum` fingerprints (`PostgresStore+ReconcileSums`): per two-byte prefix of
                // the id space, the count of public events and the sums of their ids' 32-bit limbs (each
                // below 2^32, so a prefix's sum fits 64 bits up to 2^31 events), kept as events are appended.
                """
                CREATE FUNCTION cix_id_limb(id text, limb integer) RETURNS bigint
                IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
                RETURN ('x' || lpad(substr(id, 8 * limb + 1, 8), 16, '0'))::bit(64)::bigint
                """,
                """
                CREATE FUNCTION cix_id_prefix(id text) RETURNS integer
                IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
                RETURN ('x' || substr(id, 1, 4))::bit(16)::integer
                """,
                """
                CREATE TABLE reconcile_bucket (
                    prefix integer PRIMARY KEY CHECK (prefix BETWEEN 0 AND 65535),
                    count bigint NOT NULL,
                    l0 bigint NOT NULL, l1 bigint NOT NULL, l2 bigint NOT NULL, l3 bigint NOT NULL,
                    l4 bigint NOT NULL, l5 bigint NOT NULL, l6 bigint NOT NULL, l7 bigint NOT NULL
                )
                """,
                """
                INSERT INTO reconcile_bucket (prefix, count, l0, l1, l2, l3, l4, l5, l6, l7)
                SELECT cix_id_prefix(id), count(*),
                    sum(cix_id_limb(id, 0)), sum(cix_id_limb(id, 1)), sum(cix_id_limb(id, 2)), sum(cix_id_limb(id, 3)),
                    sum(cix_id_limb(id, 4)), sum(cix_id_limb(id, 5)), sum(cix_id_limb(id, 6)), sum(cix_id_limb(id, 7))
                FROM event WHERE is_public GROUP BY 1
                """,
                // Statement-level, over the rows a statement (or a COPY) appended: one upsert per prefix touched.
                """
                CREATE FUNCTION cix_reconcile_appended() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO reconcile_bucket AS kept (prefix, count, l0, l1, l2, l3, l4, l5, l6, l7)
                    SELECT cix_id_prefix(id), count(*),
                        sum(cix_id_limb(id, 0)), sum(cix_id_limb(id, 1)), sum(cix_id_limb(id, 2)), sum(cix_id_limb(id, 3)),
                        sum(cix_id_limb(id, 4)), sum(cix_id_limb(id, 5)), sum(cix_id_limb(id, 6)), sum(cix_id_limb(id, 7))
                    FROM appended WHERE is_public GROUP BY 1
                    ON CONFLICT (prefix) DO UPDATE SET count = kept.count + excluded.count,
                        l0 = kept.l0 + excluded.l0, l1 = kept.l1 + excluded.l1, l2 = kept.l2 + excluded.l2,
                        l3 = kept.l3 + excluded.l3, l4 = kept.l4 + excluded.l4, l5 = kept.l5 + excluded.l5,
                        l6 = kept.l6 + excluded.l6, l7 = kept.l7 + excluded.l7;
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE TRIGGER event_reconcile_sums AFTER INSERT ON event
                REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION cix_reconcile_appended()
                """,
                // Rows removed (a benchmark's TRUNCATE, an operator's DELETE) leave the sums too.
                """
                CREATE FUNCTION cix_reconcile_removed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE reconcile_bucket AS kept SET count = kept.count - gone.count,
                        l0 = kept.l0 - gone.l0, l1 = kept.l1 - gone.l1, l2 = kept.l2 - gone.l2,
                        l3 = kept.l3 - gone.l3, l4 = kept.l4 - gone.l4, l5 = kept.l5 - gone.l5,
                        l6 = kept.l6 - gone.l6, l7 = kept.l7 - gone.l7
                    FROM (
                        SELECT cix_id_prefix(id) AS prefix, count(*) AS count,
                            sum(cix_id_limb(id, 0)) AS l0, sum(cix_id_limb(id, 1)) AS l1,
                            sum(cix_id_limb(id, 2)) AS l2, sum(cix_id_limb(id, 3)) AS l3,
                            sum(cix_id_limb(id, 4)) AS l4, sum(cix_id_limb(id, 5)) AS l5,
                            sum(cix_id_limb(id, 6)) AS l6, sum(cix_id_limb(id, 7)) AS l7
                        FROM removed WHERE is_public GROUP BY 1
                    ) AS gone
                    WHERE kept.prefix = gone.prefix;
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE TRIGGER event_reconcile_removed AFTER DELETE ON event
                REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION cix_reconcile_removed()
                """,
                """
                CREATE FUNCTION cix_reconcile_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM reconcile_bucket;
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE TRIGGER event_reconcile_emptied AFTER TRUNCATE ON event
                FOR EACH STATEMENT EXECUTE FUNCTION cix_reconcile_emptied()
                """,
                // An event's id and audience never change (a redaction rewrites its bytes only).
                """
                CREATE FUNCTION cix_event_keeps_id() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'an event''s id and audience never change';
                END
                $$
                """,
                """
                CREATE TRIGGER event_keeps_id BEFORE UPDATE OF id, is_public ON event
                FOR EACH STATEMENT EXECUTE FUNCTION cix_event_keeps_id()
                """,
                // Partner-only events of a range, read beside the kept sums.
                "CREATE INDEX event_partner_only ON event (id COLLATE \"C\") WHERE NOT is_public",
            ]
        ),
        (
            "v8-reconcile-by-author",
            [
                // Repair between a mirror and a body compares the body's own events (`federation.md`,
                // Repair, `authors`): one author's public ids in byte order are one range of this index,
                "CREATE INDEX event_public_by_author ON event (author, id COLLATE \"C\") WHERE is_public",
                // and the count and limb sums of each author's public events are kept beside those of
                // each prefix, so that such a set's whole fingerprint costs a row per author named.
                """
                CREATE TABLE reconcile_author (
                    author text PRIMARY KEY,
                    count bigint NOT NULL,
                    l0 bigint NOT NULL, l1 bigint NOT NULL, l2 bigint NOT NULL, l3 bigint NOT NULL,
                    l4 bigint NOT NULL, l5 bigint NOT NULL, l6 bigint NOT NULL, l7 bigint NOT NULL
                )
                """,
                """
                INSERT INTO reconcile_author (author, count, l0, l1, l2, l3, l4, l5, l6, l7)
                SELECT author, count(*),
                    sum(cix_id_limb(id, 0)), sum(cix_id_limb(id, 1)), sum(cix_id_limb(id, 2)), sum(cix_id_limb(id, 3)),
                    sum(cix_id_limb(id, 4)), sum(cix_id_limb(id, 5)), sum(cix_id_limb(id, 6)), sum(cix_id_limb(id, 7))
                FROM event WHERE is_public GROUP BY 1
                """,
                """
                CREATE OR REPLACE FUNCTION cix_reconcile_appended() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO reconcile_bucket AS kept (prefix, count, l0, l1, l2, l3, l4, l5, l6, l7)
                    SELECT cix_id_prefix(id), count(*),
                        sum(cix_id_limb(id, 0)), sum(cix_id_limb(id, 1)), sum(cix_id_limb(id, 2)), sum(cix_id_limb(id, 3)),
                    sum(cix_id_limb(id, 4)), sum(cix_id_limb(id, 5)), sum(cix_id_limb(id, 6)), sum(cix_id_limb(id, 7))
                    FROM appended WHERE is_public GROUP BY 1
                    ON CONFLICT (prefix) DO UPDATE SET count = kept.count + excluded.count,
                        l0 = kept.l0 + excluded.l0, l1 = kept.l1 + excluded.l1, l2 = kept.l2 + excluded.l2,
                        l3 = kept.l3 + excluded.l3, l4 = kept.l4 + excluded.l4, l5 = kept.l5 + excluded.l5,
                        l6 = kept.l6 + excluded.l6, l7 = kept.l7 + excluded.l7;
                    INSERT INTO reconcile_author AS kept (author, count, l0, l1, l2, l3, l4, l5, l6, l7)
                    SELECT author, count(*),
                        sum(cix_id_limb(id, 0)), sum(cix_id_limb(id, 1)), sum(cix_id_limb(id, 2)), sum(cix_id_limb(id, 3)),
                    sum(cix_id_limb(id, 4)), sum(cix_id_limb(id, 5)), sum(cix_id_limb(id, 6)), sum(cix_id_limb(id, 7))
                    FROM appended WHERE is_public GROUP BY 1
                    ON CONFLICT (author) DO UPDATE SET count = kept.count + excluded.count,
                        l0 = kept.l0 + excluded.l0, l1 = kept.l1 + excluded.l1, l2 = kept.l2 + excluded.l2,
                        l3 = kept.l3 + excluded.l3, l4 = kept.l4 + excluded.l4, l5 = kept.l5 + excluded.l5,
                        l6 = kept.l6 + excluded.l6, l7 = kept.l7 + excluded.l7;
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE OR REPLACE FUNCTION cix_reconcile_removed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE reconcile_bucket AS kept SET count = kept.count - gone.count,
                        l0 = kept.l0 - gone.l0, l1 = kept.l1 - gone.l1, l2 = kept.l2 - gone.l2,
                        l3 = kept.l3 - gone.l3, l4 = kept.l4 - gone.l4, l5 = kept.l5 - gone.l5,
                        l6 = kept.l6 - gone.l6, l7 = kept.l7 - gone.l7
                    FROM (
                        SELECT cix_id_prefix(id) AS prefix, count(*) AS count,
                            sum(cix_id_limb(id, 0)) AS l0, sum(cix_id_limb(id, 1)) AS l1,
                            sum(cix_id_limb(id, 2)) AS l2, sum(cix_id_limb(id, 3)) AS l3,
                            sum(cix_id_limb(id, 4)) AS l4, sum(cix_id_limb(id, 5)) AS l5,
                            sum(cix_id_limb(id, 6)) AS l6, sum(cix_id_limb(id, 7)) AS l7
                        FROM removed WHERE is_public GROUP BY 1
                    ) AS gone
                    WHERE kept.prefix = gone.prefix;
                    UPDATE reconcile_author AS kept SET count = kept.count - gone.count,
                        l0 = kept.l0 - gone.l0, l1 = kept.l1 - gone.l1, l2 = kept.l2 - gone.l2,
                        l3 = kept.l3 - gone.l3, l4 = kept.l4 - gone.l4, l5 = kept.l5 - gone.l5,
                        l6 = kept.l6 - gone.l6, l7 = kept.l7 - gone.l7
                    FROM (
                        SELECT author, count(*) AS count,
                            sum(cix_id_limb(id, 0)) AS l0, sum(cix_id_limb(id, 1)) AS l1,
                            sum(cix_id_limb(id, 2)) AS l2, sum(cix_id_limb(id, 3)) AS l3,
                            sum(cix_id_limb(id, 4)) AS l4, sum(cix_id_limb(id, 5)) AS l5,
                            sum(cix_id_limb(id, 6)) AS l6, sum(cix_id_limb(id, 7)) AS l7
                        FROM removed WHERE is_public GROUP BY 1
                    ) AS gone
                    WHERE kept.author = gone.author;
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE OR REPLACE FUNCTION cix_reconcile_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM reconcile_bucket;
                    DELETE FROM reconcile_author;
                    RETURN NULL;
                END
                $$
                """,
                // An event's author never changes either.
                """
                CREATE OR REPLACE FUNCTION cix_event_keeps_id() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'an event''s id, audience and author never change';
                END
                $$
                """,
                """
                CREATE OR REPLACE TRIGGER event_keeps_id BEFORE UPDATE OF id, is_public, author ON event
                FOR EACH STATEMENT EXECUTE FUNCTION cix_event_keeps_id()
                """,
            ]
        ),
        (
            "v9-scrub-owed",
            [
                // Residents' data deleted for retention or an erasure is no event, so the scrub that must
                // follow it is counted here, in the deleting transaction: a scrub that fails or never runs
                // (the command died) is owed until one finishes (`PostgresStore+Scrub`).
                """
                ALTER TABLE scrub_state ADD COLUMN owed bigint NOT NULL DEFAULT 0,
                    ADD COLUMN scrubbed_owed bigint NOT NULL DEFAULT 0
                """
            ]
        ),
        (
            "v10-issue-count",
            [
                // The number of issues, kept as rows come and go: `/metrics` asks for it at every scrape,
                // and a pass over a national mirror's list (tens of millions of rows) takes seconds.
                // Statement-level, over the rows a statement inserted (an upsert's updated rows are not
                // among them) or deleted: one update of this row per statement.
                """
                CREATE TABLE issue_count (
                    only_row integer PRIMARY KEY CHECK (only_row = 1),
                    count bigint NOT NULL
                )
                """,
                "INSERT INTO issue_count (only_row, count) SELECT 1, count(*) FROM issue",
                """
                CREATE FUNCTION cix_issues_added() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE issue_count SET count = count + (SELECT count(*) FROM added);
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE TRIGGER issue_counted AFTER INSERT ON issue
                REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION cix_issues_added()
                """,
                """
                CREATE FUNCTION cix_issues_removed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE issue_count SET count = count - (SELECT count(*) FROM removed);
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE TRIGGER issue_uncounted AFTER DELETE ON issue
                REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION cix_issues_removed()
                """,
                """
                CREATE FUNCTION cix_issues_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE issue_count SET count = 0;
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE TRIGGER issue_emptied AFTER TRUNCATE ON issue
                FOR EACH STATEMENT EXECUTE FUNCTION cix_issues_emptied()
                """,
            ]
        ),
        (
            "v11-issue-photos",
            [
                // The photos each issue's state names, so that a redaction that strips a body's photos
                // asks whether any other issue still names them by index, not by a pass over every
                // state in the writer's transaction (seconds on a national mirror).
                "CREATE TABLE issue_photo (hash text NOT NULL, issue text NOT NULL, PRIMARY KEY (hash, issue))",
                "CREATE INDEX issue_photo_by_issue ON issue_photo (issue)",
                "INSERT INTO issue_photo (hash, issue) " + namedPhotos,
            ]
        ),
    ]

    /// Each photo an issue's state names, read from the states' canonical JSON (the report's and
    /// the contributions' bodies' `attachments`, `IssueState+JSON.swift`): what `issue_photo` holds.
    static let namedPhotos = """
        SELECT DISTINCT named.hash #>> '{}' AS hash, issue.id AS issue
        FROM issue, LATERAL (
            SELECT jsonb_path_query(convert_from(state, 'UTF8')::jsonb, '$.report.attachments[*].hash')
            UNION ALL
            SELECT jsonb_path_query(convert_from(state, 'UTF8')::jsonb, '$.contributions[*].body.attachments[*].hash')
        ) AS named (hash)
        """

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
