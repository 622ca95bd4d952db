import CIXCore
import CIXFederation
import CIXPostgres
import CIXStore
import CIXTesting
import Foundation
import Testing

/// The sums a PostgreSQL store keeps for `sum` fingerprints (`reconcile_bucket`) against a pass
/// over the same store's ids: for any range, with partner-only events and blocks, after appends and
/// after the migration fills them from a log already there, the count, the sum and the ids found
/// by index are those the pass gives, and an answerer using them answers every request of an
/// exchange byte for byte as one reading every id.
@Suite("PostgreSQL kept sums for reconciliation", .serialized)
struct PostgresReconcileSumsTests {
    static let holder = FixedKeys.council.id

    /// The ids of `whole` from `lower` below `upper`.
    static func slice(_ whole: [String], _ lower: String?, _ upper: String?) -> [String] {
        whole.filter { id in lower.map { id >= $0 } ?? true && upper.map { id < $0 } ?? true }
    }

    static func sum(_ ids: [String]) -> IDSum {
        var sum = IDSum()
        for id in ids { sum.add(id: id) }
        return sum
    }

    /// Every range kind a cut by prefixes meets: the whole set, prefix-aligned bounds, bounds inside
    /// one prefix and in neighbouring ones, ids as bounds, nothing, backwards.
    static func ranges(_ whole: [String]) -> [(String?, String?)] {
        let zeros = String(repeating: "0", count: 60)
        let aligned = ["0000", "4000", "8000", "8001", "ffff"].map { $0 + zeros }
        let middle = whole[whole.count / 2]
        let samePrefix = String(middle.prefix(4)) + "8" + String(repeating: "0", count: 59)
        var ranges: [(String?, String?)] = [(nil, nil), (nil, aligned[2]), (aligned[2], nil), (aligned[1], aligned[3])]
        ranges += [(aligned[2], aligned[3]), (aligned[4], nil), (whole[3], whole[whole.count - 4]), (middle, nil)]
        ranges += [(nil, middle), (String(middle.prefix(4)) + zeros, samePrefix), (middle, samePrefix)]
        ranges += [(whole[10], whole[11]), (whole[20], whole[10]), (whole[5], whole[5]), (aligned[0], aligned[0])]
        return ranges
    }

    func expectKeptSumsAgreeWithAPass(_ store: PostgresStore, _ label: String) throws {
        // The log's size is read from the same kept counts (and the few events not public).
        let counted = try store.integers("SELECT count(*) FROM event")
        #expect(try [Int64(store.counts().events)] == counted, "\(label)")
        #expect(try store.integers("SELECT count(*) FROM event WHERE NOT is_public") != [0], "\(label)")
        for peer in [nil, FixedKeys.police.id] {
            let whole = try store.reconcilableIDs(sharedWith: peer, holder: Self.holder)
            #expect(whole.count > 1_000, "\(label)")
            for (lower, upper) in Self.ranges(whole) {
                let expected = Self.slice(whole, lower, upper)
                let kept = try #require(
                    try store.reconcilableSums(
                        of: [(lower, upper)],
                        sharedWith: peer,
                        holder: Self.holder,
                        authors: nil
                    )
                )
                #expect(
                    kept.count == 1 && kept[0].count == expected.count && kept[0].sum == Self.sum(expected),
                    "\(label): \(lower ?? "-") \(upper ?? "-") for \(peer?.hex.prefix(8) ?? "anyone")"
                )
                guard expected.count > 2 else { continue }
                let indexes = [0, 1, expected.count / 3, expected.count - 1]
                let found = try store.reconcilableIDs(
                    at: indexes,
                    from: lower,
                    below: upper,
                    sharedWith: peer,
                    holder: Self.holder
                )
                // Found by index wherever nothing is added to the public ids or taken from them.
                if peer == nil && label != "blocked" { #expect(found != nil, "\(label)") }
                if let found { #expect(found == indexes.map { expected[$0] }, "\(label)") }
            }
            // Sixteen consecutive parts at once, bounded by ids.
            let bounds = [nil] + (1..<16).map { Optional(whole[whole.count * $0 / 16]) } + [nil]
            let parts = (0..<16).map { (bounds[$0], bounds[$0 + 1]) }
            let kept = try #require(
                try store.reconcilableSums(of: parts, sharedWith: peer, holder: Self.holder, authors: nil)
            )
            for (part, sums) in zip(parts, kept) {
                let expected = Self.slice(whole, part.0, part.1)
                #expect(sums.count == expected.count && sums.sum == Self.sum(expected), "\(label)")
            }
            // Narrowed to some authors: the whole set's count and sum from the rows kept per author;
            // other ranges are left to a pass.
            for authors in [[FixedKeys.police.id], [FixedKeys.council.id, FixedKeys.volunteers.id]] {
                var narrowed: [String] = []
                try store.visitReconcilableIDs(
                    from: nil,
                    below: nil,
                    sharedWith: peer,
                    holder: Self.holder,
                    authors: authors,
                    counted: { _ in },
                    visit: { narrowed.append($0) }
                )
                #expect(!narrowed.isEmpty && narrowed.count < whole.count, "\(label)")
                let byAuthor = try store.reconcilableSums(
                    of: [(nil, nil)],
                    sharedWith: peer,
                    holder: Self.holder,
                    authors: authors
                )
                #expect(
                    byAuthor?.first?.count == narrowed.count && byAuthor?.first?.sum == Self.sum(narrowed),
                    "\(label): \(authors.map(\.short)) for \(peer?.hex.prefix(8) ?? "anyone")"
                )
                let part = try store.reconcilableSums(
                    of: [(nil, whole[whole.count / 2])],
                    sharedWith: peer,
                    holder: Self.holder,
                    authors: authors
                )
                #expect(part == nil)
            }
        }
    }

    /// An asker lacking some of the store's ids and holding others; the store answers by kept sums
    /// (splitting above 40 ids, so that a small store splits by them too) and by a pass.
    func expectAnExchangeAnswersAsAPass(_ store: PostgresStore, _ label: String) throws {
        let whole = try store.reconcilableIDs(sharedWith: nil, holder: Self.holder)
        let extra = (0..<25).map { SHA256Hex.hash(Array("only the asker \($0)".utf8)) }
        let ours = (whole.enumerated().filter { $0.offset % 97 != 5 }.map(\.element) + extra).sorted()
        let answerer = StoredReconcilableSet(store, sharedWith: nil, holder: Self.holder)
        let passing = Reconciliation.SortedIDs(whole)
        var asker = Reconciliation.Asker(holding: ours, scheme: .sum)
        var rounds = 0
        while let asked = asker.nextRequest() {
            rounds += 1
            let byKept = try Reconciliation.answer(asked, in: answerer, scheme: .sum, passUpTo: 40)
            let byPass = Reconciliation.answer(asked, in: passing, scheme: .sum)
            #expect(
                try Reconciliation.response(byKept).canonicalBytes()
                    == Reconciliation.response(byPass).canonicalBytes(),
                "\(label): round \(rounds)"
            )
            asker.take(byKept)
            #expect(rounds < 50)
        }
        #expect(Set(asker.missingHere) == Set(whole).subtracting(ours), "\(label)")
        #expect(Set(asker.missingThere) == Set(extra), "\(label)")
    }

    @Test func keptSumsGiveWhatAPassOverTheIDsGives() async throws {
        let folder = TemporaryDirectory("pg-sums")
        defer { folder.remove() }
        try await PostgresServer.with(in: folder) { server in
            // Given a store that took a town's events (partner-only ones among them) in batches,
            var store = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            let events = PostgresStoreTests.events()
            let now = Timestamp(secondsSinceEpoch: 1_800_000_000)
            for start in stride(from: 0, to: events.count, by: 97) {
                _ = try store.ingestNow(Array(events[start..<min(start + 97, events.count)]), source: "peer", now: now)
            }
            // then its kept sums agree with a pass, and an exchange is answered alike;
            try expectKeptSumsAgreeWithAPass(store, "appended")
            try expectAnExchangeAnswersAsAPass(store, "appended")

            // with a block in force, hidden events are taken away from the sums;
            try store.block(FixedKeys.volunteers.id, reason: "spam", at: now)
            try expectKeptSumsAgreeWithAPass(store, "blocked")
            #expect(try store.unblock(FixedKeys.volunteers.id))

            // and a store whose log was there before the kept sums gets them filled by the migration.
            for statement in [
                "DROP TABLE reconcile_bucket, reconcile_author",
                "DROP FUNCTION cix_reconcile_appended, cix_reconcile_removed, cix_reconcile_emptied, cix_event_keeps_id CASCADE",
                "DROP FUNCTION cix_id_limb, cix_id_prefix",
                "DROP INDEX event_partner_only, event_public_by_author",
                "DELETE FROM cix_migration WHERE version IN ('v7-reconcile-sums', 'v8-reconcile-by-author')",
            ] {
                try store.execute(statement)
            }
            store.close()
            store = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            try expectKeptSumsAgreeWithAPass(store, "migrated")
            try expectAnExchangeAnswersAsAPass(store, "migrated")

            // The log's ids and audiences cannot be changed under the sums; rows removed leave them too.
            #expect(throws: StoreError.self) { try store.execute("UPDATE event SET is_public = NOT is_public") }
            #expect(throws: StoreError.self) {
                try store.execute("UPDATE event SET author = '\(FixedKeys.police.id.hex)'")
            }
            try store.execute("DELETE FROM event WHERE seq % 5 = 0 AND kind <> 'issue.report'")
            try expectKeptSumsAgreeWithAPass(store, "deleted")
            #expect(try store.checkStorage() == [])

            // Kept sums damaged behind the store's back are found by the check and worked out again.
            try store.execute(
                "UPDATE reconcile_bucket SET l3 = l3 + 1 WHERE prefix IN (SELECT prefix FROM reconcile_bucket LIMIT 2)"
            )
            try store.execute(
                "UPDATE reconcile_author SET count = count + 1 WHERE author = '\(FixedKeys.police.id.hex)'"
            )
            let damage = try store.checkStorage()
            #expect(
                damage.map(\.object) == ["reconcile_bucket", "reconcile_author"] && damage.allSatisfy(\.isRepairable)
            )
            #expect(damage.first?.detail.contains("kept sums of 2 parts") == true, "\(damage)")
            #expect(damage.last?.detail.contains("kept sums of 1 author's events") == true, "\(damage)")
            try store.rebuildProjections()
            #expect(try store.checkStorage() == [])
            try expectKeptSumsAgreeWithAPass(store, "rebuilt")
            store.close()
        }
    }
}
