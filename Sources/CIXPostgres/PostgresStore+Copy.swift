import CIXCore
import CIXStore
import Foundation
import PostgresNIO

extension PostgresStore {
    package func appendCopied(_ events: [StoredEvent]) throws(StoreError) {
        let decoded = try decoded(events)
        var rows = CopyRows()
        for (event, copied) in zip(decoded, events) {
            rows.integer(copied.seq)
            rows.text(copied.id)
            rows.text(copied.issue)
            rows.text(event.kind.rawValue)
            rows.text(copied.author)
            rows.integer(Int64(event.depth))
            rows.flag(copied.isPublic)
            rows.integer(copied.firstSeen.secondsSinceEpoch)
            rows.text(copied.source)
            rows.bytes(copied.bytes)
            rows.endRow()
        }
        try write("copying \(events.count) events", provesHealth: true) { connection in
            try connection.copy(rows, into: "event", columns: ["seq"] + Self.eventColumns)
            // Numbers given explicitly do not move the sequence: new events follow the copied ones.
            try connection.run(
                "SELECT setval(pg_get_serial_sequence('event', 'seq'), (SELECT max(seq) FROM event))"
            )
        }
    }

    package func attachmentHashes() throws(StoreError) -> [String] {
        try read("listing photos") { connection in
            try connection.rows("SELECT hash FROM attachment ORDER BY hash", as: String.self)
        }
    }
}

extension PostgresStore: VaultCopy {
    package func vaultRows(_ table: VaultTable) throws(StoreError) -> [[VaultValue]] {
        try read("reading \(table.name) to copy") { connection in
            try connection.run(
                PostgresQuery(unsafeSQL: "SELECT \(table.columnList) FROM \(table.name) ORDER BY \(table.key)")
            ).map { row in
                var values: [VaultValue] = []
                for (cell, column) in zip(row.makeRandomAccess(), table.columns) {
                    switch column.kind {
                    case .integer: values.append(try cell.decode(Int64?.self).map(VaultValue.integer) ?? .null)
                    case .real: values.append(try cell.decode(Double?.self).map(VaultValue.real) ?? .null)
                    case .text: values.append(try cell.decode(String?.self).map(VaultValue.text) ?? .null)
                    case .bytes: values.append(try cell.decode(Data?.self).map(VaultValue.bytes) ?? .null)
                    // Kept as SQLite keeps it, so that rows compare alike across backends.
                    case .flag: values.append(try cell.decode(Bool?.self).map { .integer($0 ? 1 : 0) } ?? .null)
                    }
                }
                return values
            }
        }
    }

    package func insertVaultRows(_ rows: [[VaultValue]], into table: VaultTable) throws(StoreError) {
        guard !rows.isEmpty else { return }
        try write("copying \(table.name)") { connection in
            for row in rows {
                var sql = SQLBuilder()
                let placeholders = zip(row, table.columns).map { value, column -> String in
                    switch (value, column.kind) {
                    case (.null, _): "NULL"
                    case (.integer(let integer), .flag): sql.bind(integer != 0)
                    case (.integer(let integer), _): sql.bind(integer)
                    case (.real(let real), _): sql.bind(real)
                    case (.text(let text), _): sql.bind(text)
                    case (.bytes(let bytes), _): sql.bind(ByteBuffer(bytes: bytes))
                    }
                }
                try connection.run(
                    PostgresQuery(
                        unsafeSQL:
                            "INSERT INTO \(table.name) (\(table.columnList)) VALUES (\(placeholders.joined(separator: ", ")))",
                        binds: sql.bindings
                    )
                )
            }
            if let serial = table.serial {
                // Numbers given explicitly do not move the sequence: new rows follow the copied ones.
                try connection.run(
                    PostgresQuery(
                        unsafeSQL:
                            "SELECT setval(pg_get_serial_sequence('\(table.name)', '\(serial)'), (SELECT max(\(serial)) FROM \(table.name)))"
                    )
                )
            }
        }
    }
}
