import CIXStore
import GRDB

extension SQLiteStore {
    /// The schema, as named migrations. A released migration is never edited;
    /// changes come as new ones. `Tests/CIXStoreTests/schema.sql` is its golden copy.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-event-log") { db in
            try db.execute(
                sql: """
                    -- The append-only log. seq is this node's local order (the pull cursor);
                    -- bytes are the canonical event, without its body once redacted.
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
                    CREATE INDEX event_by_issue ON event(issue, depth, id);

                    -- Events whose parents are not yet held; applied when they arrive.
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

                    -- Signed key statements and node descriptors, as received.
                    CREATE TABLE key_statement (
                        hash TEXT PRIMARY KEY,
                        node TEXT NOT NULL,
                        record BLOB NOT NULL
                    );
                    CREATE INDEX key_statement_by_node ON key_statement(node);
                    CREATE TABLE node (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        url TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        descriptor BLOB NOT NULL
                    );

                    -- Projections: derived from the log, rebuilt at will.
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
                        offers INTEGER NOT NULL,
                        state BLOB NOT NULL
                    );
                    CREATE INDEX issue_by_status ON issue(status, updated_at);
                    CREATE INDEX issue_by_category ON issue(category, updated_at);
                    CREATE TABLE agency_part (
                        issue TEXT NOT NULL REFERENCES issue(id) ON DELETE CASCADE,
                        node TEXT NOT NULL,
                        role TEXT NOT NULL,
                        status TEXT NOT NULL,
                        PRIMARY KEY (issue, node)
                    );
                    CREATE INDEX agency_part_by_node ON agency_part(node, status);
                    CREATE VIRTUAL TABLE issue_text USING fts5(
                        issue UNINDEXED, title, description, comments, tokenize = 'unicode61 remove_diacritics 2'
                    );

                    -- Residents' contact details. Private to this node: nothing exports,
                    -- federates or shows this table.
                    CREATE TABLE reporter_contact (
                        issue TEXT PRIMARY KEY,
                        reporter TEXT NOT NULL,
                        name TEXT,
                        email TEXT,
                        phone TEXT,
                        given_at INTEGER NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v2-peers") { db in
            try db.execute(
                sql: """
                    -- Nodes this node exchanges events with. key is the peer's key pinned
                    -- when it was added; ca_pem the certificate or CA trusted for its TLS.
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
                    );
                    """
            )
        }
        migrator.registerMigration("v3-push-cursor") { db in
            try db.execute(
                sql: """
                    -- The log is the outbox: each peer has been sent every event up to pushed_through.
                    ALTER TABLE peer ADD COLUMN pushed_through INTEGER NOT NULL DEFAULT 0;
                    """
            )
        }
        migrator.registerMigration("v4-open311") { db in
            try db.execute(
                sql: """
                    -- Open311 API keys: only a SHA-256 of each key is kept.
                    CREATE TABLE api_key (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL,
                        hash TEXT NOT NULL UNIQUE,
                        created_at INTEGER NOT NULL,
                        revoked_at INTEGER
                    );
                    -- Private to this node: which key posted what, with the client's extra fields.
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
                    CREATE UNIQUE INDEX open311_update_once ON open311_log(key_id, client_update_id)
                        WHERE client_update_id IS NOT NULL;
                    """
            )
        }
        migrator.registerMigration("v5-web") { db in
            try db.execute(
                sql: """
                    -- Orders and areas the public pages list by.
                    CREATE INDEX issue_by_updated ON issue(updated_at);
                    CREATE INDEX issue_by_reported ON issue(reported_at);
                    CREATE INDEX issue_by_confirmations ON issue(confirmations, updated_at);
                    CREATE INDEX issue_by_place ON issue(lat, lon);
                    -- Each issue's folded state, apart from the list columns so that lists,
                    -- sorts and searches read narrow rows.
                    CREATE TABLE issue_state (
                        id TEXT PRIMARY KEY REFERENCES issue(id) ON DELETE CASCADE,
                        state BLOB NOT NULL
                    );
                    INSERT INTO issue_state (id, state) SELECT id, state FROM issue;
                    ALTER TABLE issue DROP COLUMN state;
                    -- Photos, re-encoded without metadata, by the SHA-256 of these bytes.
                    CREATE TABLE attachment (
                        hash TEXT PRIMARY KEY CHECK (length(hash) = 64),
                        type TEXT NOT NULL,
                        bytes BLOB NOT NULL,
                        stored_at INTEGER NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v6-pending-by-source") { db in
            try db.execute(
                sql: """
                    -- What each source has waiting for parents, for its cap, and the oldest, for expiry.
                    CREATE INDEX pending_event_by_source ON pending_event(source, first_seen);
                    CREATE INDEX pending_event_by_age ON pending_event(first_seen);
                    """
            )
        }
        migrator.registerMigration("v7-staff") { db in
            try db.execute(
                sql: """
                    -- Staff accounts. Private to this node: bcrypt password hash, TOTP secret,
                    -- grants as JSON ([{"role","categories"}]), sign-in throttling.
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
                    );
                    -- Single-use recovery codes, by SHA-256.
                    CREATE TABLE staff_recovery_code (
                        account INTEGER NOT NULL REFERENCES staff_account(id) ON DELETE CASCADE,
                        hash TEXT NOT NULL,
                        used_at INTEGER,
                        PRIMARY KEY (account, hash)
                    );
                    -- Signed-in browsers: id is the SHA-256 of the cookie's secret.
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
                    CREATE INDEX staff_session_by_account ON staff_session(account, revoked_at);
                    -- Internal notes on cases: local, never signed or federated.
                    CREATE TABLE case_note (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        issue TEXT NOT NULL,
                        author TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        text TEXT NOT NULL
                    );
                    CREATE INDEX case_note_by_issue ON case_note(issue, seq);
                    -- Who works each case: local, never signed or federated.
                    CREATE TABLE case_assignment (
                        issue TEXT PRIMARY KEY,
                        login TEXT NOT NULL,
                        assigned_by TEXT NOT NULL,
                        at INTEGER NOT NULL
                    );
                    CREATE INDEX case_assignment_by_login ON case_assignment(login);
                    -- Reports held for a moderator: never signed, sent or shown until approved.
                    -- fields is the resident's submission as JSON (contact details included).
                    CREATE TABLE held_report (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        received_at INTEGER NOT NULL,
                        fields TEXT NOT NULL
                    );
                    -- Their photos, already re-encoded without metadata.
                    CREATE TABLE held_photo (
                        report INTEGER NOT NULL REFERENCES held_report(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        type TEXT NOT NULL,
                        bytes BLOB NOT NULL,
                        PRIMARY KEY (report, position)
                    );
                    -- Response templates: the text a member of staff starts a public note from.
                    CREATE TABLE response_template (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL UNIQUE,
                        text TEXT NOT NULL,
                        updated_by TEXT NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    -- The audit trail: append-only, each hash chained to the previous entry's.
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
                    -- Projection: each agency's applied answers (accept, decline, status with its
                    -- state), for the bodies' figures. Derived from the log, rebuilt at will.
                    CREATE TABLE agency_answer (
                        issue TEXT NOT NULL REFERENCES issue(id) ON DELETE CASCADE,
                        event TEXT NOT NULL,
                        author TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        state TEXT,
                        at INTEGER NOT NULL,
                        PRIMARY KEY (issue, event)
                    );
                    CREATE INDEX agency_answer_by_author ON agency_answer(author, at);
                    -- A body's parts by role and status, covering: the staff inbox counts and lists from it.
                    CREATE INDEX agency_part_by_node_role ON agency_part(node, role, status, issue);
                    CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
                        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                    CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
                        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                    """
            )
        }
        migrator.registerMigration("v8-staff-openid") { db in
            try db.execute(
                sql: """
                    -- Accounts that sign in through the organisation's OpenID provider, linked by
                    -- (issuer, subject); they have no password hash or TOTP secret ('').
                    ALTER TABLE staff_account ADD COLUMN openid_issuer TEXT;
                    ALTER TABLE staff_account ADD COLUMN openid_subject TEXT;
                    CREATE UNIQUE INDEX staff_account_by_openid ON staff_account(openid_issuer, openid_subject)
                        WHERE openid_issuer IS NOT NULL;
                    """
            )
        }
        migrator.registerMigration("v9-resident-flags") { db in
            try db.execute(
                sql: """
                    -- Residents' "report this" on published reports and contributions, until a
                    -- moderator removes the item or dismisses the flags (the rows are then deleted).
                    CREATE TABLE resident_flag (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        issue TEXT NOT NULL,
                        event TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        note TEXT NOT NULL,
                        at INTEGER NOT NULL
                    );
                    CREATE INDEX resident_flag_by_event ON resident_flag(event);
                    """
            )
        }
        migrator.registerMigration("v10-case-markers") { db in
            try db.execute(
                sql: """
                    -- A body's markers on its cases (need-to-know restriction, safeguarding): local only.
                    CREATE TABLE case_marker (
                        issue TEXT NOT NULL,
                        marker TEXT NOT NULL,
                        set_by TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        PRIMARY KEY (issue, marker)
                    ) WITHOUT ROWID;
                    CREATE INDEX case_marker_by_marker ON case_marker(marker, issue);
                    """
            )
        }
        migrator.registerMigration("v11-staff-work-and-residents") { db in
            try db.execute(
                sql: """
                    -- The team a member of staff works in (the inbox's "my team"): local only.
                    ALTER TABLE staff_account ADD COLUMN team TEXT;
                    -- How urgent a body judges its case: local only.
                    CREATE TABLE case_priority (
                        issue TEXT PRIMARY KEY,
                        priority TEXT NOT NULL,
                        set_by TEXT NOT NULL,
                        at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX case_priority_by_priority ON case_priority(priority, issue);
                    -- What staff removed, kept for moderators until keep_until, then deleted.
                    CREATE TABLE redacted_original (
                        event TEXT PRIMARY KEY,
                        issue TEXT NOT NULL,
                        content TEXT NOT NULL,
                        redacted_by TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        keep_until INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX redacted_original_by_issue ON redacted_original(issue);
                    CREATE INDEX redacted_original_by_expiry ON redacted_original(keep_until);
                    -- The named areas ([staff] areas_file) each issue lies in: a projection of the
                    -- issue's place, worked out again whenever the areas' fingerprint changes.
                    CREATE TABLE issue_area (
                        area TEXT NOT NULL,
                        issue TEXT NOT NULL,
                        PRIMARY KEY (area, issue)
                    ) WITHOUT ROWID;
                    CREATE INDEX issue_area_by_issue ON issue_area(issue);
                    -- Which browsers (the SHA-256 of their form cookie) confirmed which issue here:
                    -- one confirmation per resident. Local only.
                    CREATE TABLE resident_confirmation (
                        issue TEXT NOT NULL,
                        browser TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        PRIMARY KEY (issue, browser)
                    ) WITHOUT ROWID;
                    -- Which issue each issue was marked a duplicate of (the fold's duplicate_of), so
                    -- that an issue can list the reports marked as its duplicates.
                    CREATE TABLE issue_duplicate (
                        issue TEXT PRIMARY KEY,
                        of TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX issue_duplicate_by_of ON issue_duplicate(of);
                    CREATE TABLE area_fingerprint (
                        only INTEGER PRIMARY KEY CHECK (only = 1),
                        fingerprint TEXT NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v12-mail") { db in
            try db.execute(
                sql: """
                    -- Residents who asked for mail about an issue (a report's own reporter, or
                    -- anyone who follows it) or about new reports in a named area. Private to
                    -- this node. token is the secret of its confirm and unsubscribe links;
                    -- confirmed_at is set once the address answered (double opt-in).
                    CREATE TABLE mail_follow (
                        id INTEGER PRIMARY KEY,
                        email TEXT NOT NULL,
                        issue TEXT,
                        area TEXT,
                        reporter INTEGER NOT NULL DEFAULT 0 CHECK (reporter IN (0, 1)),
                        token TEXT NOT NULL UNIQUE,
                        created_at INTEGER NOT NULL,
                        confirmed_at INTEGER,
                        CHECK ((issue IS NULL) != (area IS NULL))
                    );
                    CREATE UNIQUE INDEX mail_follow_once ON mail_follow(email, coalesce(issue, ''), coalesce(area, ''));
                    CREATE INDEX mail_follow_by_issue ON mail_follow(issue) WHERE issue IS NOT NULL;
                    CREATE INDEX mail_follow_by_area ON mail_follow(area) WHERE area IS NOT NULL;
                    -- Mail to send, and what was sent (its text emptied). key names what a mail is
                    -- about (an event and a follow, or a confirmation), so none is queued twice.
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
                    CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
                    CREATE INDEX mail_outbox_by_recipient ON mail_outbox(recipient, sent_at);
                    -- How far the mail notifier has read the log (event.seq). It starts at the
                    -- end of the log, so that an upgraded node does not mail about its past.
                    CREATE TABLE mail_cursor (
                        only INTEGER PRIMARY KEY CHECK (only = 1),
                        seq INTEGER NOT NULL
                    );
                    INSERT INTO mail_cursor (only, seq) VALUES (1, (SELECT coalesce(max(seq), 0) FROM event));
                    """
            )
        }
        migrator.registerMigration("v13-gazetteer") { db in
            try db.execute(
                sql: """
                    -- The streets and places of the node's area (`cix gazetteer import`), for the
                    -- report form's place search. Local: never published or federated.
                    CREATE VIRTUAL TABLE gazetteer USING fts5(
                        name, kind UNINDEXED, lat UNINDEXED, lon UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
                    );
                    """
            )
        }
        migrator.registerMigration("v14-mail-language") { db in
            // The language a resident asked in, so that their mails are in it too.
            try db.execute(sql: "ALTER TABLE mail_follow ADD COLUMN language TEXT NOT NULL DEFAULT 'en'")
        }
        migrator.registerMigration("v15-blocked-node") { db in
            try db.execute(
                sql: """
                    -- Nodes this node blocks (`cix block`): their events are refused, and those held
                    -- are kept but neither folded, served nor counted. Published on the directory page.
                    CREATE TABLE blocked_node (
                        node TEXT PRIMARY KEY CHECK (length(node) = 64),
                        reason TEXT NOT NULL,
                        since INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    """
            )
        }
        migrator.registerMigration("v16-blocked-issue") { db in
            // The issues reported through a blocked node, kept as blocks change so that hiding them
            // costs a key lookup, not a scan of the log (the log has no index by author). It only
            // changes with the block list: a blocked node's new reports are refused.
            try db.execute(
                sql: """
                    CREATE TABLE blocked_issue (
                        issue TEXT PRIMARY KEY,
                        node TEXT NOT NULL REFERENCES blocked_node(node) ON DELETE CASCADE
                    ) WITHOUT ROWID;
                    INSERT INTO blocked_issue (issue, node)
                        SELECT event.id, event.author FROM event JOIN blocked_node ON blocked_node.node = event.author
                        WHERE event.kind = 'issue.report';
                    """
            )
        }
        migrator.registerMigration("v17-event-ids") { db in
            // Repair lists every public event id in id order: with this index that is a walk of one
            // range of it, and the partner-only events are the other range. Without it, each id costs
            // a read of its row to learn whether it is public, which on a store larger than memory (a
            // million events, 2 GB) is a random read per event, and the partner-only list a full scan.
            try db.execute(sql: "CREATE INDEX event_by_audience ON event(is_public, id)")
        }
        migrator.registerMigration("v18-contact-sharing") { db in
            try db.execute(
                sql: """
                    -- The resident agreed that the bodies handling the report may contact them: their
                    -- details are sealed to each such body (a `contact` event). `shared_through` is the
                    -- last event of the issue (event.seq) after which the bodies were last looked at.
                    ALTER TABLE reporter_contact ADD COLUMN may_share INTEGER NOT NULL DEFAULT 0 CHECK (may_share IN (0, 1));
                    ALTER TABLE reporter_contact ADD COLUMN shared_through INTEGER NOT NULL DEFAULT 0;
                    CREATE INDEX reporter_contact_sharing ON reporter_contact(issue) WHERE may_share = 1;
                    """
            )
        }
        migrator.registerMigration("v19-bridges") { db in
            try db.execute(
                sql: """
                    -- Bodies not on CIX that a node relays for, from the `relays` of held descriptors.
                    CREATE TABLE relay (
                        id TEXT PRIMARY KEY,
                        relayed_by TEXT NOT NULL,
                        name TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        via TEXT NOT NULL
                    );
                    CREATE INDEX relay_by_node ON relay(relayed_by);
                    -- Reports this node sends to bodies not on CIX (`[[external]]`): the outbox.
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
                    CREATE INDEX bridge_delivery_due ON bridge_delivery(next_attempt_at) WHERE state = 'waiting';
                    CREATE INDEX bridge_delivery_by_reference ON bridge_delivery(relay, reference);
                    -- How far each body's answers were read, and which were relayed (so none twice).
                    CREATE TABLE bridge_poll (relay TEXT PRIMARY KEY, polled_to INTEGER NOT NULL);
                    CREATE TABLE bridge_answer (
                        relay TEXT NOT NULL,
                        answer TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        PRIMARY KEY (relay, answer)
                    );
                    """
            )
        }
        migrator.registerMigration("v20-event-public-by-author") { db in
            // Repair between a mirror and a body compares the body's own events (`federation.md`,
            // Repair, `authors`): one author's public ids in id order are one range of this index.
            try db.execute(sql: "CREATE INDEX event_public_by_author ON event(author, id) WHERE is_public = 1")
        }
        migrator.registerMigration("v21-scrub-owed") { db in
            // Residents' data deleted for retention or an erasure is no event, so the scrub that must
            // follow it is counted here, in the deleting transaction: a scrub that fails or never runs
            // (the command died, a long read held the WAL) is owed until one finishes (`ScrubWatch`).
            try db.execute(
                sql: """
                    CREATE TABLE scrub_state (
                        single INTEGER PRIMARY KEY CHECK (single = 1),
                        owed INTEGER NOT NULL,
                        scrubbed_owed INTEGER NOT NULL
                    );
                    INSERT INTO scrub_state VALUES (1, 0, 0);
                    """
            )
        }
        return migrator
    }

    /// The schema as SQLite reports it, for the golden-file test.
    package func schemaSQL() throws(StoreError) -> String {
        try read("reading the schema") { db in
            try String.fetchAll(
                db,
                sql:
                    "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' AND name NOT LIKE 'issue_text_%' ORDER BY type DESC, name"
            ).joined(separator: ";\n") + ";\n"
        }
    }
}
