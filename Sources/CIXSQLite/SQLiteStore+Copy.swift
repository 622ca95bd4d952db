import CIXCore
import CIXStore
import Foundation
import GRDB

extension SQLiteStore {
    package func appendCopied(_ events: [StoredEvent]) throws(StoreError) {
        let rows = Array(zip(events, try decoded(events)))
        try write("copying \(events.count) events", provesHealth: true) { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO event (seq, id, issue, kind, author, depth, is_public, first_seen, source, bytes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            for (stored, event) in rows {
                try insert.execute(
                    arguments: [
                        stored.seq, stored.id, stored.issue, event.kind.rawValue, stored.author, event.depth,
                        stored.isPublic, stored.firstSeen.secondsSinceEpoch, stored.source, Data(stored.bytes),
                    ])
            }
        }
    }

    package func attachmentHashes() throws(StoreError) -> [String] {
        try read("listing photos") { db in try String.fetchAll(db, sql: "SELECT hash FROM attachment ORDER BY hash") }
    }
}

extension SQLiteStore: VaultCopy {
    package func vaultRows(_ table: VaultTable) throws(StoreError) -> [[VaultValue]] {
        try read("reading \(table.name) to copy") { db in
            try Row.fetchAll(db, sql: "SELECT \(table.columnList) FROM \(table.name) ORDER BY \(table.key)").map {
                row in
                table.columns.indices.map { index in
                    let value = row[index] as DatabaseValue
                    switch value.storage {
                    case .null: return .null
                    case .int64(let integer): return .integer(integer)
                    case .double(let real): return .real(real)
                    case .string(let text): return .text(text)
                    case .blob(let bytes): return .bytes(bytes)
                    }
                }
            }
        }
    }

    package func insertVaultRows(_ rows: [[VaultValue]], into table: VaultTable) throws(StoreError) {
        guard !rows.isEmpty else { return }
        try write("copying \(table.name)") { db in
            let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
            let insert = try db.cachedStatement(
                sql: "INSERT INTO \(table.name) (\(table.columnList)) VALUES (\(marks))"
            )
            for row in rows {
                try insert.execute(
                    arguments: StatementArguments(
                        row.map { value -> DatabaseValue in
                            switch value {
                            case .null: .null
                            case .integer(let integer): integer.databaseValue
                            case .real(let real): real.databaseValue
                            case .text(let text): text.databaseValue
                            case .bytes(let bytes): bytes.databaseValue
                            }
                        }
                    )
                )
            }
        }
    }
}
