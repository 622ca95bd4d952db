import CIXSQLite
import CIXStaff
import CIXStore
import CIXTesting
import Foundation
import GRDB
import Testing

/// The audit trail's chain finds an entry altered, removed or moved, even by
/// someone with the database file who first drops the append-only triggers.
@Suite("Audit trail")
struct AuditTrailTests {
    let folder = TemporaryDirectory("audit-trail")

    func filledStore() throws -> SQLiteStore {
        let store = try SQLiteStore(path: folder.file("store.sqlite").path)
        for index in 1...6 {
            try store.appendAudit(
                actor: "olive",
                action: index % 2 == 0 ? "accept" : "view-contact",
                subject: String(repeating: "ab", count: 32),
                address: "127.0.0.1",
                event: index % 2 == 0 ? String(repeating: "c", count: 64) : nil,
                detail: "entry \(index)",
                at: 1_900_000_000 + Int64(index)
            )
        }
        return store
    }

    /// Tampers with the file as an intruder would: triggers dropped, then `sql`.
    func tamper(_ sql: String) throws {
        let queue = try DatabaseQueue(path: folder.file("store.sqlite").path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete")
            try db.execute(sql: sql)
        }
    }

    @Test func anUntouchedTrailIsSound() throws {
        defer { folder.remove() }
        let store = try filledStore()
        let report = try AuditTrail.verify(store, batch: 4)
        #expect(report.sound)
        #expect(report.entries == 6)
        #expect(report.head == (try store.auditEntries(after: 5, limit: 1)).first?.hash)
    }

    @Test func theTriggersRefuseChanges() throws {
        defer { folder.remove() }
        _ = try filledStore()
        let queue = try DatabaseQueue(path: folder.file("store.sqlite").path)
        #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "UPDATE audit SET actor = 'x'") } }
        #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "DELETE FROM audit WHERE seq = 2") } }
    }

    @Test(arguments: [
        (
            "UPDATE audit SET detail = 'nothing to see' WHERE seq = 3",
            "entry 3 (view-contact by olive) does not match its hash: it was altered, or an entry before it was"
        ),
        ("DELETE FROM audit WHERE seq = 4", "entry 4 is missing (the next entry is 5)"),
        (
            // Two entries swap places (contents and hashes moved together).
            """
            UPDATE audit SET seq = 100 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3;
            UPDATE audit SET seq = 3 WHERE seq = 100
            """,
            "entry 2 (view-contact by olive) does not match its hash: it was altered, or an entry before it was"
        ),
        (
            "UPDATE audit SET at = at + 3600 WHERE seq = 6",
            "entry 6 (accept by olive) does not match its hash: it was altered, or an entry before it was"
        ),
    ])
    func tamperingIsFound(_ sql: String, _ fault: String) throws {
        defer { folder.remove() }
        let store = try filledStore()
        try tamper(sql)
        let report = try AuditTrail.verify(store)
        #expect(report.fault == fault)
    }
}
