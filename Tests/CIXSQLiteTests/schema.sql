CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TABLE agency_answer (
    issue TEXT NOT NULL REFERENCES issue(id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    author TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT,
    at INTEGER NOT NULL,
    PRIMARY KEY (issue, event)
);
CREATE TABLE agency_part (
    issue TEXT NOT NULL REFERENCES issue(id) ON DELETE CASCADE,
    node TEXT NOT NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (issue, node)
);
CREATE TABLE api_key (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE TABLE area_fingerprint (
    only INTEGER PRIMARY KEY CHECK (only = 1),
    fingerprint TEXT NOT NULL
);
CREATE TABLE attachment (
    hash TEXT PRIMARY KEY CHECK (length(hash) = 64),
    type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    stored_at INTEGER NOT NULL
);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    address TEXT NOT NULL,
    event TEXT,
    detail TEXT NOT NULL,
    hash TEXT NOT NULL CHECK (length(hash) = 64)
);
CREATE TABLE blocked_issue (
    issue TEXT PRIMARY KEY,
    node TEXT NOT NULL REFERENCES blocked_node(node) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE blocked_node (
    node TEXT PRIMARY KEY CHECK (length(node) = 64),
    reason TEXT NOT NULL,
    since INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE bridge_answer (
    relay TEXT NOT NULL,
    answer TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (relay, answer)
);
CREATE TABLE bridge_delivery (
    issue TEXT NOT NULL,
    relay TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('waiting', 'sent', 'failed')),
    attempts INTEGER NOT NULL,
    queued_at INTEGER NOT NULL,
    next_attempt_at INTEGER,
    sent_at INTEGER,
    reference TEXT,
    last_error TEXT,
    PRIMARY KEY (issue, relay)
);
CREATE TABLE bridge_poll (relay TEXT PRIMARY KEY, polled_to INTEGER NOT NULL);
CREATE TABLE case_assignment (
    issue TEXT PRIMARY KEY,
    login TEXT NOT NULL,
    assigned_by TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE TABLE case_marker (
    issue TEXT NOT NULL,
    marker TEXT NOT NULL,
    set_by TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (issue, marker)
) WITHOUT ROWID;
CREATE TABLE case_note (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    issue TEXT NOT NULL,
    author TEXT NOT NULL,
    at INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE case_priority (
    issue TEXT PRIMARY KEY,
    priority TEXT NOT NULL,
    set_by TEXT NOT NULL,
    at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE event (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE CHECK (length(id) = 64),
    issue TEXT NOT NULL CHECK (length(issue) = 64),
    kind TEXT NOT NULL,
    author TEXT NOT NULL,
    depth INTEGER NOT NULL CHECK (depth >= 1),
    is_public INTEGER NOT NULL CHECK (is_public IN (0, 1)),
    first_seen INTEGER NOT NULL,
    source TEXT NOT NULL,
    bytes BLOB NOT NULL
);
CREATE VIRTUAL TABLE gazetteer USING fts5(
    name, kind UNINDEXED, lat UNINDEXED, lon UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE 'gazetteer_config'(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE 'gazetteer_content'(id INTEGER PRIMARY KEY, c0, c1, c2, c3);
CREATE TABLE 'gazetteer_data'(id INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE 'gazetteer_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE 'gazetteer_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE held_photo (
    report INTEGER NOT NULL REFERENCES held_report(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (report, position)
);
CREATE TABLE held_report (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at INTEGER NOT NULL,
    fields TEXT NOT NULL
);
CREATE TABLE issue (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    status TEXT NOT NULL,
    category TEXT,
    title TEXT,
    lat REAL,
    lon REAL,
    reported_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    routed INTEGER NOT NULL,
    confirmations INTEGER NOT NULL,
    comments INTEGER NOT NULL,
    solutions INTEGER NOT NULL,
    offers INTEGER NOT NULL);
CREATE TABLE issue_area (
    area TEXT NOT NULL,
    issue TEXT NOT NULL,
    PRIMARY KEY (area, issue)
) WITHOUT ROWID;
CREATE TABLE issue_duplicate (
    issue TEXT PRIMARY KEY,
    of TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE issue_state (
    id TEXT PRIMARY KEY REFERENCES issue(id) ON DELETE CASCADE,
    state BLOB NOT NULL
);
CREATE VIRTUAL TABLE issue_text USING fts5(
    issue UNINDEXED, title, description, comments, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE key_statement (
    hash TEXT PRIMARY KEY,
    node TEXT NOT NULL,
    record BLOB NOT NULL
);
CREATE TABLE mail_cursor (
    only INTEGER PRIMARY KEY CHECK (only = 1),
    seq INTEGER NOT NULL
);
CREATE TABLE mail_follow (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    issue TEXT,
    area TEXT,
    reporter INTEGER NOT NULL DEFAULT 0 CHECK (reporter IN (0, 1)),
    token TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    confirmed_at INTEGER, language TEXT NOT NULL DEFAULT 'en',
    CHECK ((issue IS NULL) != (area IS NULL))
);
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    unsubscribe TEXT,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at INTEGER,
    failed_at INTEGER,
    last_error TEXT
);
CREATE TABLE node (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    version INTEGER NOT NULL,
    descriptor BLOB NOT NULL
);
CREATE TABLE open311_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key_id INTEGER NOT NULL REFERENCES api_key(id),
    at INTEGER NOT NULL,
    action TEXT NOT NULL,
    issue TEXT,
    event TEXT,
    client_update_id TEXT,
    details TEXT NOT NULL
);
CREATE TABLE peer (
    node TEXT PRIMARY KEY CHECK (length(node) = 64),
    url TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    ca_pem TEXT,
    added_at INTEGER NOT NULL,
    cursor INTEGER NOT NULL DEFAULT 0,
    last_contact INTEGER,
    last_error TEXT
, pushed_through INTEGER NOT NULL DEFAULT 0);
CREATE TABLE pending_event (
    id TEXT PRIMARY KEY,
    missing TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    source TEXT NOT NULL,
    bytes BLOB NOT NULL
);
CREATE TABLE pending_parent (
    parent TEXT NOT NULL,
    child TEXT NOT NULL REFERENCES pending_event(id) ON DELETE CASCADE,
    PRIMARY KEY (parent, child)
);
CREATE TABLE redacted_original (
    event TEXT PRIMARY KEY,
    issue TEXT NOT NULL,
    content TEXT NOT NULL,
    redacted_by TEXT NOT NULL,
    at INTEGER NOT NULL,
    keep_until INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE relay (
    id TEXT PRIMARY KEY,
    relayed_by TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    via TEXT NOT NULL
);
CREATE TABLE reporter_contact (
    issue TEXT PRIMARY KEY,
    reporter TEXT NOT NULL,
    name TEXT,
    email TEXT,
    phone TEXT,
    given_at INTEGER NOT NULL
, may_share INTEGER NOT NULL DEFAULT 0 CHECK (may_share IN (0, 1)), shared_through INTEGER NOT NULL DEFAULT 0);
CREATE TABLE resident_confirmation (
    issue TEXT NOT NULL,
    browser TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (issue, browser)
) WITHOUT ROWID;
CREATE TABLE resident_flag (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    issue TEXT NOT NULL,
    event TEXT NOT NULL,
    reason TEXT NOT NULL,
    note TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE TABLE response_template (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE scrub_state (
    single INTEGER PRIMARY KEY CHECK (single = 1),
    owed INTEGER NOT NULL,
    scrubbed_owed INTEGER NOT NULL
);
CREATE TABLE staff_account (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    totp_secret TEXT NOT NULL,
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    grants TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    disabled_at INTEGER
, openid_issuer TEXT, openid_subject TEXT, team TEXT);
CREATE TABLE staff_recovery_code (
    account INTEGER NOT NULL REFERENCES staff_account(id) ON DELETE CASCADE,
    hash TEXT NOT NULL,
    used_at INTEGER,
    PRIMARY KEY (account, hash)
);
CREATE TABLE staff_session (
    id TEXT PRIMARY KEY,
    account INTEGER NOT NULL REFERENCES staff_account(id),
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    authenticated_at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    address TEXT NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX agency_answer_by_author ON agency_answer(author, at);
CREATE INDEX agency_part_by_node ON agency_part(node, status);
CREATE INDEX agency_part_by_node_role ON agency_part(node, role, status, issue);
CREATE INDEX bridge_delivery_by_reference ON bridge_delivery(relay, reference);
CREATE INDEX bridge_delivery_due ON bridge_delivery(next_attempt_at) WHERE state = 'waiting';
CREATE INDEX case_assignment_by_login ON case_assignment(login);
CREATE INDEX case_marker_by_marker ON case_marker(marker, issue);
CREATE INDEX case_note_by_issue ON case_note(issue, seq);
CREATE INDEX case_priority_by_priority ON case_priority(priority, issue);
CREATE INDEX event_by_audience ON event(is_public, id);
CREATE INDEX event_by_issue ON event(issue, depth, id);
CREATE INDEX event_public_by_author ON event(author, id) WHERE is_public = 1;
CREATE INDEX issue_area_by_issue ON issue_area(issue);
CREATE INDEX issue_by_category ON issue(category, updated_at);
CREATE INDEX issue_by_confirmations ON issue(confirmations, updated_at);
CREATE INDEX issue_by_place ON issue(lat, lon);
CREATE INDEX issue_by_reported ON issue(reported_at);
CREATE INDEX issue_by_status ON issue(status, updated_at);
CREATE INDEX issue_by_updated ON issue(updated_at);
CREATE INDEX issue_duplicate_by_of ON issue_duplicate(of);
CREATE INDEX key_statement_by_node ON key_statement(node);
CREATE INDEX mail_follow_by_area ON mail_follow(area) WHERE area IS NOT NULL;
CREATE INDEX mail_follow_by_issue ON mail_follow(issue) WHERE issue IS NOT NULL;
CREATE UNIQUE INDEX mail_follow_once ON mail_follow(email, coalesce(issue, ''), coalesce(area, ''));
CREATE INDEX mail_outbox_by_recipient ON mail_outbox(recipient, sent_at);
CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE UNIQUE INDEX open311_update_once ON open311_log(key_id, client_update_id)
    WHERE client_update_id IS NOT NULL;
CREATE INDEX pending_event_by_age ON pending_event(first_seen);
CREATE INDEX pending_event_by_source ON pending_event(source, first_seen);
CREATE INDEX redacted_original_by_expiry ON redacted_original(keep_until);
CREATE INDEX redacted_original_by_issue ON redacted_original(issue);
CREATE INDEX relay_by_node ON relay(relayed_by);
CREATE INDEX reporter_contact_sharing ON reporter_contact(issue) WHERE may_share = 1;
CREATE INDEX resident_flag_by_event ON resident_flag(event);
CREATE UNIQUE INDEX staff_account_by_openid ON staff_account(openid_issuer, openid_subject)
    WHERE openid_issuer IS NOT NULL;
CREATE INDEX staff_session_by_account ON staff_session(account, revoked_at);
