import CIXCore
import CIXSQLite
import CIXStore
import CIXTesting
import Foundation
import GRDB
import Testing

/// A scrub empties the WAL, where old frames keep what a redaction or an erasure removed;
/// a reader that holds the WAL past the connection's busy timeout keeps it from being emptied.
@Suite("SQLite scrub")
struct SQLiteScrubTests {
    /// Before this, a command's scrub returned as if it had finished, so `cix subject erase`
    /// said `"scrubbed": true` while the WAL still held the erased text. A row that stays (an API
    /// key's name) shows where the WAL's frames are: in the WAL until it is emptied, then only in
    /// the database.
    @Test func aScrubThatAReaderHoldsUpSaysSoAndTheDaemonsNextRoundFinishesIt() async throws {
        let folder = TemporaryDirectory("sqlite-scrub")
        defer { folder.remove() }
        let path = folder.file("store.sqlite").path
        // As the daemon opens it: its checkpoints (and scrubs) on a connection of their own, which
        // waits 5 s for readers.
        let store = try SQLiteStore(path: path, backgroundCheckpoints: true)
        let canary = "Scrub-Reader-Canary"
        _ = try store.addAPIKey(name: canary, hash: String(repeating: "a", count: 64), at: .now())
        #expect(try Canary.filesHolding(canary, under: folder.url) == ["store.sqlite-wal"])

        // Another process's long read: a transaction open on a snapshot that uses the WAL.
        var settings = Configuration()
        settings.allowsUnsafeTransactions = true
        let reader = try DatabaseQueue(path: path, configuration: settings)
        try reader.inDatabase { db in
            try db.beginTransaction(.deferred)
            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM api_key")
        }

        let failure = #expect(throws: StoreError.self) { try store.scrub() }
        #expect(failure?.code == .unavailable)
        #expect(failure?.message.contains("kept its WAL from being emptied") == true, "\(String(describing: failure))")
        #expect(try Canary.filesHolding(canary, under: folder.url).contains("store.sqlite-wal"))
        // The daemon's round does not throw while the reader holds on; the scrub stays owed.
        #expect(try !store.scrubIfOwed())

        try reader.inDatabase { db in try db.commit() }
        #expect(try store.scrubIfOwed(), "the owed scrub finishes once the reader is gone")
        // The key is still held, in the database itself; the WAL is empty.
        #expect(try Canary.filesHolding(canary, under: folder.url) == ["store.sqlite"])
        #expect((try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) == 0)
        #expect(try !store.scrubIfOwed(), "nothing is owed after it")
    }
}
