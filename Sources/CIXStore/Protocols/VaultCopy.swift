import Foundation

/// Copying what only the node may see to another backend (`cix store migrate`): every
/// private table row for row, keys included, so that staff sign in, cases, mail and
/// Open311 clients carry on as before. Both backends name the tables and columns alike.
package protocol VaultCopy: Sendable {
    /// Every row of a private table, in key order, its values in `table.columns`' order.
    func vaultRows(_ table: VaultTable) throws(StoreError) -> [[VaultValue]]
    /// Inserts rows into an empty private table, keys as given.
    func insertVaultRows(_ rows: [[VaultValue]], into table: VaultTable) throws(StoreError)
}

/// One value of a private row, as both backends can hold it.
package enum VaultValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case bytes(Data)
}

/// A private table: its name, columns and their kinds. `flag` columns are booleans
/// (SQLite keeps 0 or 1, PostgreSQL `boolean`).
package struct VaultTable: Sendable {
    package enum Kind: Sendable { case integer, real, text, bytes, flag }

    package let name: String
    package let columns: [(name: String, kind: Kind)]
    /// The columns rows are ordered by (the key).
    package let key: String
    /// The column PostgreSQL numbers itself (`bigserial`), moved past the copied rows afterwards.
    package let serial: String?

    init(_ name: String, key: String, serial: String? = nil, _ columns: [(String, Kind)]) {
        self.name = name
        self.key = key
        self.serial = serial
        self.columns = columns.map { (name: $0.0, kind: $0.1) }
    }

    package var columnList: String { columns.map(\.name).joined(separator: ", ") }

    /// The gazetteer's places (PostgreSQL keeps their words too: copied through `GazetteerStore`).
    package static let gazetteer = VaultTable(
        "gazetteer",
        key: "name, lat, lon",
        [("name", .text), ("kind", .text), ("lat", .real), ("lon", .real)]
    )

    /// Every private table but the gazetteer (copied as places) and the mail cursor (one number),
    /// parents before the tables that refer to them.
    package static let all: [VaultTable] = [
        VaultTable(
            "reporter_contact",
            key: "issue",
            [
                ("issue", .text), ("reporter", .text), ("name", .text), ("email", .text), ("phone", .text),
                ("given_at", .integer), ("may_share", .flag), ("shared_through", .integer),
            ]
        ),
        VaultTable(
            "resident_confirmation",
            key: "issue, browser",
            [("issue", .text), ("browser", .text), ("at", .integer)]
        ),
        VaultTable(
            "api_key",
            key: "id",
            serial: "id",
            [("id", .integer), ("name", .text), ("hash", .text), ("created_at", .integer), ("revoked_at", .integer)]
        ),
        VaultTable(
            "open311_log",
            key: "seq",
            serial: "seq",
            [
                ("seq", .integer), ("key_id", .integer), ("at", .integer), ("action", .text), ("issue", .text),
                ("event", .text), ("client_update_id", .text), ("details", .text),
            ]
        ),
        VaultTable(
            "staff_account",
            key: "id",
            serial: "id",
            [
                ("id", .integer), ("login", .text), ("display_name", .text), ("password_hash", .text),
                ("totp_secret", .text), ("totp_last_step", .integer), ("grants", .text), ("failed_attempts", .integer),
                ("locked_until", .integer), ("created_at", .integer), ("disabled_at", .integer),
                ("openid_issuer", .text), ("openid_subject", .text), ("team", .text),
            ]
        ),
        VaultTable(
            "staff_recovery_code",
            key: "account, hash",
            [("account", .integer), ("hash", .text), ("used_at", .integer)]
        ),
        VaultTable(
            "staff_session",
            key: "id",
            [
                ("id", .text), ("account", .integer), ("csrf", .text), ("created_at", .integer),
                ("authenticated_at", .integer), ("last_seen", .integer), ("address", .text), ("revoked_at", .integer),
            ]
        ),
        VaultTable(
            "case_note",
            key: "seq",
            serial: "seq",
            [("seq", .integer), ("issue", .text), ("author", .text), ("at", .integer), ("text", .text)]
        ),
        VaultTable(
            "case_assignment",
            key: "issue",
            [("issue", .text), ("login", .text), ("assigned_by", .text), ("at", .integer)]
        ),
        VaultTable(
            "case_marker",
            key: "issue, marker",
            [("issue", .text), ("marker", .text), ("set_by", .text), ("at", .integer)]
        ),
        VaultTable(
            "case_priority",
            key: "issue",
            [("issue", .text), ("priority", .text), ("set_by", .text), ("at", .integer)]
        ),
        VaultTable(
            "held_report",
            key: "id",
            serial: "id",
            [("id", .integer), ("received_at", .integer), ("fields", .text)]
        ),
        VaultTable(
            "held_photo",
            key: "report, position",
            [("report", .integer), ("position", .integer), ("type", .text), ("bytes", .bytes)]
        ),
        VaultTable(
            "response_template",
            key: "id",
            serial: "id",
            [("id", .integer), ("name", .text), ("text", .text), ("updated_by", .text), ("updated_at", .integer)]
        ),
        VaultTable(
            "audit",
            key: "seq",
            [
                ("seq", .integer), ("at", .integer), ("actor", .text), ("action", .text), ("subject", .text),
                ("address", .text), ("event", .text), ("detail", .text), ("hash", .text),
            ]
        ),
        VaultTable(
            "resident_flag",
            key: "id",
            serial: "id",
            [
                ("id", .integer), ("issue", .text), ("event", .text), ("reason", .text), ("note", .text),
                ("at", .integer),
            ]
        ),
        VaultTable(
            "redacted_original",
            key: "event",
            [
                ("event", .text), ("issue", .text), ("content", .text), ("redacted_by", .text), ("at", .integer),
                ("keep_until", .integer),
            ]
        ),
        VaultTable(
            "mail_follow",
            key: "id",
            serial: "id",
            [
                ("id", .integer), ("email", .text), ("issue", .text), ("area", .text), ("reporter", .flag),
                ("token", .text), ("created_at", .integer), ("confirmed_at", .integer), ("language", .text),
            ]
        ),
        VaultTable(
            "mail_outbox",
            key: "id",
            serial: "id",
            [
                ("id", .integer), ("key", .text), ("recipient", .text), ("subject", .text), ("body", .text),
                ("unsubscribe", .text), ("created_at", .integer), ("attempts", .integer),
                ("next_attempt_at", .integer), ("sent_at", .integer), ("failed_at", .integer), ("last_error", .text),
            ]
        ),
        VaultTable(
            "bridge_delivery",
            key: "issue, relay",
            [
                ("issue", .text), ("relay", .text), ("state", .text), ("attempts", .integer), ("queued_at", .integer),
                ("next_attempt_at", .integer), ("sent_at", .integer), ("reference", .text), ("last_error", .text),
            ]
        ),
        VaultTable("bridge_poll", key: "relay", [("relay", .text), ("polled_to", .integer)]),
        VaultTable("bridge_answer", key: "relay, answer", [("relay", .text), ("answer", .text), ("at", .integer)]),
    ]
}
