import CIXCanonicalJSON
import CIXCore
import CIXPostgres
import CIXSQLite
import CIXStore
import CIXTesting
import Foundation
import Testing

/// The store's rules — idempotent appends, events waiting for parents, a bad event never
/// poisoning its batch, keys, projections rebuilt and independent of arrival order,
/// redaction, search, orphan caps, far-future times — on both backends: a SQLite file,
/// and a PostgreSQL cluster each test starts on loopback. SQLite's own duties (sync
/// mode, schema) are tested on SQLite alone.
@Suite("Store", .serialized)
struct StoreTests {
    let now = Timestamp("2026-03-01T12:00:00Z")!

    /// The backends the store's tests run on: a SQLite file, and a PostgreSQL cluster of the test's own.
    enum Backend: String, CaseIterable, Sendable {
        case sqlite
        case postgres
    }

    func withStore(
        _ backend: Backend = .sqlite,
        _ body: (any NodeStore, TemporaryDirectory) throws -> Void
    ) async throws {
        let folder = TemporaryDirectory("store")
        defer { folder.remove() }
        switch backend {
        case .sqlite:
            try body(try SQLiteStore(path: folder.file("store.sqlite").path), folder)
        case .postgres:
            try await PostgresServer.with(in: folder) { server in
                let store = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
                defer { store.close() }
                try body(store, folder)
            }
        }
    }

    func snapshot(_ store: any NodeStore) throws -> (Int, [String: [UInt8]]) {
        (try store.counts().events, try store.projectedStates())
    }

    @Test(arguments: [false, true])
    func theWriterSyncsEveryCommit(backgroundCheckpoints: Bool) throws {
        let folder = TemporaryDirectory("store-sync")
        defer { folder.remove() }
        let path = folder.file("store.sqlite").path
        // GRDB's WAL set-up would leave the writer on NORMAL: both a new and a reopened store must run FULL.
        #expect(try SQLiteStore(path: path, backgroundCheckpoints: backgroundCheckpoints).synchronousMode() == "full")
        #expect(try SQLiteStore(path: path, backgroundCheckpoints: backgroundCheckpoints).synchronousMode() == "full")
    }

    @Test(arguments: Backend.allCases)
    func appendIsIdempotentByID(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            var factory = EventFactory()
            let report = factory.report(by: FixedKeys.council)
            let first = try store.ingestNow([report], source: "test", now: now)
            let again = try store.ingestNow([report], source: "test", now: now)
            #expect(first[0].isStored)
            guard case .duplicate = again[0].result else {
                Issue.record("expected duplicate")
                return
            }
            #expect(try store.counts().events == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func eventsWaitForMissingParentsAndApplyWhenTheyArrive(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            var factory = EventFactory()
            let report = factory.report(by: FixedKeys.council)
            let comment = factory.event(
                .comment,
                by: FixedKeys.police,
                on: report.id,
                after: [report],
                body: Bodies.text("a")
            )
            let status = factory.event(
                .status,
                by: FixedKeys.council,
                on: report.id,
                after: [comment],
                body: Bodies.status(.fixed)
            )
            let outcomes = try store.ingestNow([status, comment], source: "test", now: now)
            guard case .pending(let missing) = outcomes[0].result, case .pending = outcomes[1].result else {
                Issue.record("expected both to wait")
                return
            }
            #expect(missing == [comment.id])
            #expect(try store.counts() == (0, 0, 2))
            _ = try store.ingestNow([report], source: "test", now: now)
            #expect(try store.counts() == (3, 1, 0))
            #expect(try store.issueState(report.id)?.overall == .fixed)
        }
    }

    @Test(arguments: Backend.allCases)
    func aBadEventNeverPoisonsItsBatch(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            var factory = EventFactory()
            let report = factory.report(by: FixedKeys.council)
            let other = factory.report(by: FixedKeys.police)
            // A parent from another issue, and a wrong depth: both refused; the good ones land.
            let foreign = factory.event(
                .comment,
                by: FixedKeys.police,
                on: report.id,
                after: [other],
                body: Bodies.text("x")
            )
            let draft = EventDraft(
                .comment(TextBody(text: "y")),
                issue: report.id,
                prev: [report.id],
                depth: 5,
                at: now
            )
            let deep = try draft.sign(
                with: FixedKeys.police.key,
                author: FixedKeys.police.id,
                salt: Array(repeating: 7, count: 16)
            )
            let good = factory.event(
                .comment,
                by: FixedKeys.police,
                on: report.id,
                after: [report],
                body: Bodies.text("z")
            )
            let outcomes = try store.ingestNow([report, other, foreign, deep, good], source: "test", now: now)
            let codes = outcomes.map { outcome -> String in
                switch outcome.result {
                case .stored: "stored"
                case .rejected(let error): error.code.rawValue
                default: "other"
                }
            }
            #expect(codes == ["stored", "stored", "foreign_parent", "wrong_depth", "stored"])
            #expect(try store.counts().events == 3)
        }
    }

    @Test(arguments: Backend.allCases)
    func keysThatDoNotSpeakForTheAuthorAreRefused(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            // An event claiming the council as author but signed with the stranger's key.
            let draft = EventDraft(
                .report(
                    ReportBody(
                        title: "t",
                        category: "litter",
                        location: Location(latitude: 1, longitude: 2),
                        reporter: "r-1"
                    )
                ),
                issue: nil,
                prev: [],
                depth: 1,
                at: now
            )
            let forged = try draft.sign(
                with: FixedKeys.stranger.key,
                author: FixedKeys.council.id,
                salt: Array(repeating: 1, count: 16)
            )
            let before = try snapshot(store)
            let outcome = try store.ingestNow([forged], source: "test", now: now)
            guard case .rejected(let error) = outcome[0].result else {
                Issue.record("expected rejection")
                return
            }
            #expect(error.code == .keyNotAuthorised)
            #expect(try snapshot(store) == before)
        }
    }

    @Test(arguments: Backend.allCases)
    func rotatedKeysAreAcceptedOnceTheStatementIsHeld(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let newKey = FixedKeys.key(0x90)
            let statement = try KeyStatement.make(
                .add,
                node: FixedKeys.council.id,
                key: newKey.publicKey,
                from: Timestamp("2026-02-01T00:00:00Z")!,
                signer: FixedKeys.council.key
            )
            let draft = EventDraft(
                .report(
                    ReportBody(
                        title: "t",
                        category: "litter",
                        location: Location(latitude: 1, longitude: 2),
                        reporter: "r-1"
                    )
                ),
                issue: nil,
                prev: [],
                depth: 1,
                at: now
            )
            let event = try draft.sign(with: newKey, author: FixedKeys.council.id, salt: Array(repeating: 2, count: 16))
            guard case .rejected = try store.ingestNow([event], source: "t", now: now)[0].result else {
                Issue.record("unknown key accepted")
                return
            }
            try store.addKeyStatement(statement)
            #expect(try store.ingestNow([event], source: "t", now: now)[0].isStored)
        }
    }

    @Test(arguments: Backend.allCases)
    func projectionsRebuiltFromTheLogAreIdentical(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            for seed in UInt64(1)...5 {
                _ = try store.ingestNow(RandomIssue.events(count: 30, seed: seed), source: "test", now: now)
            }
            let before = try store.projectedStates()
            #expect(before.count == 5)
            try store.rebuildProjections()
            #expect(try store.projectedStates() == before)
            for (id, bytes) in before {
                let issue = try #require(EventID(id))
                let fresh = try #require(try store.issueState(issue))
                #expect(fresh.canonicalBytes() == bytes)
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func arrivalOrderDoesNotChangeTheProjection(backend: Backend) async throws {
        let events = RandomIssue.events(count: 40, seed: 77)
        var results: [[String: [UInt8]]] = []
        for seed in UInt64(1)...3 {
            try await withStore(backend) { store, _ in
                var random = SeededGenerator(seed: seed)
                for chunk in events.shuffled(using: &random).chunked(7) {
                    _ = try store.ingestNow(chunk, source: "test", now: now)
                }
                #expect(try store.counts().pending == 0)
                results.append(try store.projectedStates())
            }
        }
        #expect(results.count == 3)
        #expect(Set(results.map { $0.values.first ?? [] }).count == 1)
    }

    @Test(arguments: Backend.allCases)
    func redactionRemovesTheBodyFromTheLogAndStillVerifies(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            var factory = EventFactory()
            let report = factory.report(by: FixedKeys.council)
            let comment = factory.event(
                .comment,
                by: FixedKeys.police,
                on: report.id,
                after: [report],
                body: Bodies.text("call me on 07700 900123")
            )
            let redact = factory.event(
                .redact,
                by: FixedKeys.police,
                on: report.id,
                after: [comment],
                body: Bodies.redact(comment.id)
            )
            _ = try store.ingestNow([report, comment, redact], source: "test", now: now)
            let stored = try #require(try store.event(comment.id))
            #expect(!String(decoding: stored.bytes, as: UTF8.self).contains("07700"))
            let decoded = try Event.decode(stored.bytes)
            #expect(decoded.id == comment.id && decoded.body == nil)
            #expect(try store.issues(IssueQuery(text: "07700")).isEmpty)
        }
    }

    @Test(arguments: Backend.allCases)
    func fullTextSearchFindsTitlesDescriptionsAndComments(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            var factory = EventFactory()
            let lamp = factory.report(
                by: FixedKeys.council,
                title: "Street lamp flickering",
                category: "street_lighting",
                description: "Outside number 12"
            )
            let bins = factory.report(by: FixedKeys.council, title: "Bins not collected", category: "bins")
            let comment = factory.event(
                .comment,
                by: FixedKeys.police,
                on: bins.id,
                after: [bins],
                body: Bodies.text("foxes have scattered rubbish")
            )
            _ = try store.ingestNow([lamp, bins, comment], source: "test", now: now)
            #expect(try store.issues(IssueQuery(text: "lamp")).map(\.id) == [lamp.id.hex])
            #expect(try store.issues(IssueQuery(text: "number")).map(\.id) == [lamp.id.hex])
            #expect(try store.issues(IssueQuery(text: "fox")).map(\.id) == [bins.id.hex])
            #expect(try store.issues(IssueQuery(text: "\"unbalanced OR")).isEmpty)
            #expect(try store.issues(IssueQuery(category: "bins")).map(\.id) == [bins.id.hex])
            #expect(try store.issues(IssueQuery(status: "open")).count == 2)
        }
    }

    @Test(arguments: Backend.allCases)
    func searchesMatchingManyIssuesKeepTheirOrder(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            // 2,400 issues: "on" and "the" are in every one, more than the 2,000 matches above
            // which the order's index is walked; "graffiti shelter" matches a few hundred.
            var events: [Event] = []
            Workload(issues: 2_400, eventsPerIssue: 2, seed: 3).generate { events.append($0) }
            for batch in stride(from: 0, to: events.count, by: 2_000) {
                _ = try store.ingestNow(
                    Array(events[batch..<min(batch + 2_000, events.count)]),
                    source: "test",
                    now: now
                )
            }
            for order in IssueQuery.Order.allCases {
                for (text, page) in [("on", 0), ("on", 3), ("the", 1), ("graffiti shelter", 0)] {
                    let walked = try store.issues(IssueQuery(text: text, order: order, limit: 25, offset: page * 25))
                    // Any second filter keeps SQLite's own plan (sort every match); reported_at ≥ 0 filters nothing.
                    let sorted = try store.issues(
                        IssueQuery(text: text, reportedFrom: 0, order: order, limit: 25, offset: page * 25)
                    )
                    #expect(walked.count == 25)
                    #expect(walked == sorted, "\(text) by \(order)")
                }
            }
            // A capped count stops one past its cap; under the cap it is exact.
            #expect(try store.issueCount(IssueQuery(), upTo: 1_000) == 1_001)
            let few = IssueQuery(text: "graffiti shelter")
            #expect(try store.issueCount(few, upTo: 10_000) == store.issueCount(few))
        }
    }

    /// A comment on an issue whose report this node never receives.
    static func orphan(_ index: Int) -> Event {
        let missing = EventID(SHA256Hex.hash(Array("never sent \(index)".utf8)))!
        return try! EventDraft(
            .comment(TextBody(text: "?")),
            issue: missing,
            prev: [missing],
            depth: 2,
            at: .fixed("2026-03-01T11:00:00Z")
        )
        .sign(
            with: FixedKeys.police.key,
            author: FixedKeys.police.id,
            salt: Array(repeating: UInt8(index % 251), count: 16)
        )
    }

    @Test(arguments: Backend.allCases)
    func tenThousandOrphansFromOnePeerStayUnderItsCapAndExpire(backend: Backend) async throws {
        // Ten thousand comments, each on a report the peer never sends, signed on every core.
        let orphans = await withTaskGroup(of: [Event].self) { group in
            for part in 0..<4 { group.addTask { stride(from: part, to: 10_000, by: 4).map(Self.orphan) } }
            return await group.reduce(into: []) { $0 += $1 }
        }
        try await withStore(backend) { store, _ in
            var factory = EventFactory()
            var refused = 0
            // In batches, as pushes would bring them.
            for batch in stride(from: 0, to: orphans.count, by: 1_000) {
                let outcomes = try store.ingestNow(Array(orphans[batch..<batch + 1_000]), source: "peer-a", now: now)
                for outcome in outcomes {
                    if case .rejected(let error) = outcome.result, error.code == .pendingLimit { refused += 1 }
                }
            }
            let limits = PendingLimits()
            #expect(try store.counts().pending == limits.rows)
            #expect(refused == 10_000 - limits.rows)
            // Another source still has its own share.
            let other = factory.report(by: FixedKeys.council, title: "Also never sent")
            let child = factory.event(
                .confirm,
                by: FixedKeys.volunteers,
                on: other.id,
                after: [other],
                body: JSONObject()
            )
            guard case .pending = try store.ingestNow([child], source: "peer-b", now: now)[0].result else {
                Issue.record("another peer's orphan was refused")
                return
            }
            // A week later they have all waited too long.
            let later = Timestamp(secondsSinceEpoch: now.secondsSinceEpoch + limits.maxAgeSeconds + 1)
            #expect(try store.expirePending(before: later).count == limits.rows + 1)
            #expect(try store.counts().pending == 0)
        }
    }

    @Test(arguments: Backend.allCases)
    func aFarFutureTimeDoesNotTopTheList(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            // An issue whose report claims to be from ten years on, received at noon…
            let claimed = Timestamp(secondsSinceEpoch: now.secondsSinceEpoch + 10 * 365 * 86_400)
            let future = try EventDraft(
                .report(
                    ReportBody(
                        title: "From the future",
                        category: "litter",
                        location: Location(latitude: 1, longitude: 2),
                        reporter: "r-f"
                    )
                ),
                issue: nil,
                prev: [],
                depth: 1,
                at: claimed
            ).sign(with: FixedKeys.police.key, author: FixedKeys.police.id, salt: Array(repeating: 4, count: 16))
            _ = try store.ingestNow([future], source: "peer", now: now)
            // …and an honest one reported and received ten minutes later.
            let later = Timestamp(secondsSinceEpoch: now.secondsSinceEpoch + 600)
            let honest = try EventDraft(
                .report(
                    ReportBody(
                        title: "Honest",
                        category: "litter",
                        location: Location(latitude: 1, longitude: 2),
                        reporter: "r-h"
                    )
                ),
                issue: nil,
                prev: [],
                depth: 1,
                at: later
            ).sign(with: FixedKeys.council.key, author: FixedKeys.council.id, salt: Array(repeating: 5, count: 16))
            _ = try store.ingestNow([honest], source: "local", now: later)
            // The list by recent change puts the honest one first; the future one counts as seen plus five minutes.
            let listed = try store.issues(IssueQuery(order: .updated, limit: 10))
            #expect(listed.map(\.title) == ["Honest", "From the future"])
            #expect(listed.last?.updatedAt == now.secondsSinceEpoch + 300)
            // The folded state keeps what the event says.
            #expect(try store.issueState(future.id)?.reportedAt == claimed)
        }
    }

    @Test func schemaMatchesItsGoldenCopy() throws {
        let folder = TemporaryDirectory("store-schema")
        defer { folder.remove() }
        let store = try SQLiteStore(path: folder.file("store.sqlite").path)
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("schema.sql")
        let actual = try store.schemaSQL()
        if ProcessInfo.processInfo.environment["CIX_UPDATE_GOLDEN"] == "1" {
            try Data(actual.utf8).write(to: golden)
        }
        #expect(actual == (try String(contentsOf: golden, encoding: .utf8)))
    }
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
