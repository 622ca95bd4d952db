import CIXCore
import CIXSQLite
import CIXStore
import CIXTesting
import Foundation
import GRDB
import Testing

/// Single pages of a store overwritten: the check names the table or index,
/// and a repair rebuilds what comes from the log, byte for byte.
@Suite("Damaged pages")
struct StorageRepairTests {
    /// A store of 300 issues with their follow-ups, closed.
    static func makeStore(in folder: TemporaryDirectory) throws -> String {
        let path = folder.file("store.sqlite").path
        let store = try SQLiteStore(path: path)
        _ = try store.ingestNow(
            (1...300).flatMap { RandomIssue.events(count: 6, seed: UInt64($0)) },
            source: "test",
            now: Timestamp("2026-03-01T12:00:00Z")!
        )
        _ = try store.addAPIKey(
            name: "fixmystreet",
            hash: String(repeating: "ab", count: 32),
            at: .init(secondsSinceEpoch: 1)
        )
        return path
    }

    /// Everything a repair must give back unchanged: the log and other held
    /// records, and the projections and search text rebuilt from the log.
    static func snapshot(_ path: String) throws -> [String: [String]] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            var tables: [String: [String]] = [:]
            for (name, sql) in [
                (
                    "event",
                    "SELECT seq, id, issue, kind, author, depth, is_public, first_seen, source, hex(bytes) FROM event NOT INDEXED ORDER BY seq"
                ),
                ("issue", "SELECT * FROM issue NOT INDEXED ORDER BY id"),
                ("issue_state", "SELECT id, hex(state) FROM issue_state NOT INDEXED ORDER BY id"),
                ("agency_part", "SELECT * FROM agency_part NOT INDEXED ORDER BY issue, node"),
                ("issue_text", "SELECT issue, title, description, comments FROM issue_text ORDER BY issue"),
                ("api_key", "SELECT * FROM api_key NOT INDEXED ORDER BY id"),
                ("sqlite_sequence", "SELECT * FROM sqlite_sequence ORDER BY name"),
            ] {
                tables[name] = try Row.fetchAll(db, sql: sql).map { "\($0)" }
            }
            return tables
        }
    }

    @Test(arguments: [
        ("event_by_issue", StorageDamage.Part.index),
        ("issue_text_data", .derived),
        ("issue", .derived),
    ])
    func damageRebuiltFromTheLogIsNamedAndRepaired(object: String, part: StorageDamage.Part) throws {
        let folder = TemporaryDirectory("damage-\(object)")
        defer { folder.remove() }
        let path = try Self.makeStore(in: folder)
        #expect(try SQLiteStore(path: path).checkStorage().isEmpty)
        let before = try Self.snapshot(path)
        #expect(before["event"]?.count == 1_800)

        try PageDamage.damage(object, in: path)
        let damage = try SQLiteStore(path: path).checkStorage()
        #expect(damage.contains { $0.object == object && $0.part == part }, "\(damage)")
        #expect(damage.allSatisfy { $0.isRepairable }, "\(damage)")
        #expect(damage.allSatisfy { $0.part != .structure }, "\(damage)")

        let repair = try SQLiteStore.repair(path: path, keepingDamagedAt: path + ".damaged")
        #expect(repair.copied.first { $0.table == "event" }?.rows == 1_800)
        #expect(FileManager.default.fileExists(atPath: path + ".damaged"))
        #expect(try SQLiteStore(path: path).checkStorage().isEmpty)
        let after = try Self.snapshot(path)
        for table in before.keys.sorted() { #expect(after[table] == before[table], "\(table) differs after repair") }
    }

    @Test func damageToTheLogIsNamedAndRepairLeavesTheFileAlone() throws {
        let folder = TemporaryDirectory("damage-event")
        defer { folder.remove() }
        let path = try Self.makeStore(in: folder)
        try PageDamage.damage("event", in: path)
        let damage = try SQLiteStore(path: path).checkStorage()
        #expect(damage.contains { $0.object == "event" && $0.part == .held && !$0.isRepairable }, "\(damage)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            _ = try SQLiteStore.repair(path: path, keepingDamagedAt: path + ".damaged")
            Issue.record("a repair over a damaged log succeeded")
        } catch {
            #expect(error.description.contains("table event cannot be read"), "\(error)")
            #expect(error.description.contains("restore"), "\(error)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        #expect(!FileManager.default.fileExists(atPath: path + ".damaged"))
        #expect(!FileManager.default.fileExists(atPath: path + ".repairing"))
    }
}
