import CIXCanonicalJSON
import CIXCore
import CIXPostgres
import CIXSQLite
import CIXStore
import CIXTesting
import Foundation
import Testing

/// The whole public store (`NodeStore`) on PostgreSQL against the same calls on
/// SQLite: a real PostgreSQL 15 cluster and a real SQLite file given the same
/// events and records must answer every question alike — lists, counts,
/// search, places, a body's parts, the log, reconciliation, known nodes,
/// peers, photos, blocks — so pages and federation need not know which one
/// they read.
@Suite("PostgreSQL store against SQLite", .serialized)
struct PostgresStoreTests {
    /// A town's issues, one issue with every kind of event (redactions and duplicates among them),
    /// and a few reports with accents, odd words and places across the antimeridian.
    static func events() -> [Event] {
        var events: [Event] = []
        Workload(issues: 240, eventsPerIssue: 6, seed: 5).generate { events.append($0) }
        events += RandomIssue.events(count: 400, seed: 11)
        var factory = EventFactory()
        events += [
            factory.report(
                by: FixedKeys.police,
                title: "Café sign fallen",
                category: "graffiti",
                lat: 51.5,
                lon: -0.12
            ),
            factory.report(
                by: FixedKeys.volunteers,
                title: "Ferry ramp broken",
                category: "pothole",
                lat: -16.5,
                lon: 179.9,
                description: "Résumé of the damage: the east ramp's hinges"
            ),
            factory.report(by: FixedKeys.volunteers, title: "Dateline buoy adrift", lat: -16.6, lon: -179.8),
            factory.report(by: FixedKeys.council, title: "No place given", category: "graffiti"),
        ]
        // Partner-only reports: some shared with the police, some with the volunteers only.
        for number in 0..<30 {
            let partner = number % 3 == 0 ? FixedKeys.volunteers.id : FixedKeys.police.id
            events.append(
                factory.report(by: FixedKeys.council, title: "Shared note \(number)", audience: .partners([partner]))
            )
        }
        return events
    }

    /// Both stores, given the same events in the same batches at the same moment.
    func withBoth(
        _ label: String,
        _ body: (PostgresStore, SQLiteStore, PostgresServer) async throws -> Void
    ) async throws {
        let folder = TemporaryDirectory(label)
        defer { folder.remove() }
        try await PostgresServer.with(in: folder) { server in
            let postgres = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            let sqlite = try SQLiteStore(path: folder.file("store.sqlite").path)
            let events = Self.events()
            let now = Timestamp(secondsSinceEpoch: 1_800_000_000)
            // Many synchronous calls: on a thread of their own, not one every test's tasks share.
            try await onOwnThread {
                for start in stride(from: 0, to: events.count, by: 97) {
                    let batch = Array(events[start..<min(start + 97, events.count)])
                    let one = try sqlite.ingestNow(batch, source: "peer", now: now)
                    let other = try postgres.ingestNow(batch, source: "peer", now: now)
                    #expect(one.map(\.result) == other.map(\.result))
                }
            }
            try await body(postgres, sqlite, server)
            postgres.close()
        }
    }

    /// The count and the ids `visitReconcilableIDs` gives for a range, read seven ids a query.
    static func sevenAQuery(
        _ store: any EventLog,
        _ lower: String?,
        _ upper: String?,
        sharedWith peer: NodeID?,
        holder: NodeID,
        authors: [NodeID]? = nil
    ) throws -> (count: Int, ids: [String]) {
        var counted = -1
        var ids: [String] = []
        try store.visitReconcilableIDs(
            from: lower,
            below: upper,
            sharedWith: peer,
            holder: holder,
            authors: authors,
            pageSize: 7,
            counted: { counted = $0 },
            visit: { ids.append($0) }
        )
        return (counted, ids)
    }

    static func rows(_ events: [StoredEvent]) -> [String] {
        events.map {
            "\($0.id) \($0.issue) \($0.author) \($0.firstSeen) \($0.source) \($0.isPublic) \(Hex.encode($0.bytes))"
        }
    }

    /// Queries a public list, a body's inbox and the API make, with every filter alone and some together.
    static func queries(_ sqlite: SQLiteStore) throws -> [IssueQuery] {
        let sample = try sqlite.issues(IssueQuery(limit: 500))
        #expect(sample.count > 200)
        var queries: [IssueQuery] = []
        for order in IssueQuery.Order.allCases {
            for offset in [0, 37, 240] { queries.append(IssueQuery(order: order, limit: 25, offset: offset)) }
        }
        for status in Set(sample.map(\.status)).sorted() { queries.append(IssueQuery(status: status, limit: 100)) }
        for category in Set(sample.compactMap(\.category)).sorted() {
            queries.append(IssueQuery(category: category, order: .reported, limit: 100))
        }
        // Whole words, a word and the start of the next, words from descriptions, accents either way,
        // search syntax that must mean nothing, and words that match nothing.
        for text in [
            "pothole", "Mill", "street lig", "Pothole on Mill La", "cafe", "CAFÉ sign", "resume dam", "rubble",
            "\"pothole\" OR", "mill*", "-graffiti", "nothing-like-this", "a", "#12", "", "  ",
        ] {
            queries.append(IssueQuery(text: text, limit: 50))
            queries.append(IssueQuery(category: "pothole", text: text, order: .confirmations, limit: 10))
        }
        // Pages deep into a search, in each order.
        for order in IssueQuery.Order.allCases {
            queries.append(IssueQuery(text: "pothole", order: order, limit: 20, offset: 30))
            queries.append(IssueQuery(text: "street lig", order: order, limit: 7, offset: 3))
        }
        var oldest = IssueQuery(text: "Mill", limit: 15, offset: 10)
        oldest.oldestFirst = true
        queries.append(oldest)
        let boxes = [
            BoundingBox(west: 0.11, south: 52.19, east: 0.13, north: 52.21),
            BoundingBox(west: 179.0, south: -17.0, east: -179.0, north: -16.0),
            BoundingBox(west: -1, south: 51, east: 1, north: 53),
        ]
        for box in boxes { queries.append(IssueQuery(area: box, limit: 200)) }
        for agency in [FixedKeys.council.id.hex, FixedKeys.police.id.hex, FixedKeys.stranger.id.hex] {
            queries.append(IssueQuery(agency: agency, limit: 300))
            var inbox = IssueQuery(agency: agency, limit: 300)
            inbox.agencyRoles = ["routed", "accepted"]
            inbox.agencyStatuses = ["received", "investigating", "in_progress"]
            queries.append(inbox)
            queries.append(IssueQuery(unroutedFrom: agency, limit: 100))
        }
        queries.append(IssueQuery(reportedFrom: sample[40].reportedAt, reportedTo: sample[10].reportedAt, limit: 100))
        queries.append(IssueQuery(issue: sample[3].id))
        var duplicates = IssueQuery(limit: 10)
        duplicates.duplicatesOf = String(repeating: "d", count: 64)
        queries.append(duplicates)
        return queries
    }

    @Test func everyListCountAndSearchAnswersAsInSQLite() async throws {
        try await withBoth("pg-index") { postgres, sqlite, server in
            for query in try Self.queries(sqlite) {
                let label = "\(query.text ?? "") \(query.category ?? "") \(query.status ?? "") \(query.offset)"
                let expected = try sqlite.issues(query)
                #expect(try postgres.issues(query) == expected, "\(label)")
                #expect(try postgres.issueCount(query) == sqlite.issueCount(query), "\(label)")
                #expect(try postgres.issueCount(query, upTo: 5) == sqlite.issueCount(query, upTo: 5), "\(label)")
            }
            // A search reads its page from the latest issues first and only then through the words'
            // index: with windows of 3 and 40 issues both ways are taken, and answer alike.
            for window in [3, 40] {
                let narrow = try PostgresStore.open(
                    url: server.url,
                    passwordFile: server.passwordFile,
                    searchWindow: window
                )
                defer { narrow.close() }
                for query in try Self.queries(sqlite) where query.text != nil {
                    let label = "window \(window): \(query.text ?? "") \(query.category ?? "") \(query.offset)"
                    #expect(try narrow.issues(query) == sqlite.issues(query), "\(label)")
                    #expect(try narrow.issueCount(query, upTo: 5) == sqlite.issueCount(query, upTo: 5), "\(label)")
                    #expect(try narrow.issueCount(query, upTo: 100) == sqlite.issueCount(query, upTo: 100), "\(label)")
                }
            }
            // The searches do find things (the comparison above is not of two empty lists).
            #expect(try postgres.issues(IssueQuery(text: "street lig", limit: 500)).count > 10)
            #expect(try postgres.issues(IssueQuery(text: "cafe", limit: 5)).map(\.title) == ["Café sign fallen"])
            #expect(try postgres.issues(IssueQuery(text: "resume dam", limit: 5)).map(\.title) == ["Ferry ramp broken"])
            let dateline = try #require(BoundingBox(west: 179.0, south: -17.0, east: -179.0, north: -16.0))
            #expect(try postgres.issueCount(IssueQuery(area: dateline)) == 2)
            for agency in [FixedKeys.council, FixedKeys.police, FixedKeys.volunteers] {
                #expect(
                    try postgres.agencyParts(node: agency.id.hex).sorted { $0.issue < $1.issue }
                        == sqlite.agencyParts(node: agency.id.hex).sorted { $0.issue < $1.issue }
                )
                let answers = { (rows: [AgencyAnswer]) in
                    rows.map { "\($0.issue) \($0.kind) \($0.state ?? "") \($0.at)" }.sorted()
                }
                #expect(
                    answers(try postgres.agencyAnswers(author: agency.id.hex, from: 0, to: .max))
                        == answers(try sqlite.agencyAnswers(author: agency.id.hex, from: 0, to: .max))
                )
            }
            #expect(try postgres.projectedStates() == sqlite.projectedStates())
            let some = try #require(try sqlite.issues(IssueQuery(limit: 1)).first)
            #expect(try postgres.resolveIssue(String(some.id.prefix(8))) == EventID(some.id))
            #expect(try postgres.resolveIssue("zzzzzz") == nil)
            let issue = try #require(EventID(some.id))
            #expect(try postgres.issueState(issue)?.canonicalBytes() == sqlite.issueState(issue)?.canonicalBytes())
        }
    }

    @Test func theLogReconciliationAndWaitingEventsAnswerAsInSQLite() async throws {
        try await withBoth("pg-log") { postgres, sqlite, _ in
            #expect(
                Self.rows(try postgres.events(after: 0, limit: 5_000))
                    == Self.rows(try sqlite.events(after: 0, limit: 5_000))
            )
            #expect(try postgres.lastSequence() == sqlite.lastSequence())
            #expect(try postgres.counts() == sqlite.counts())
            let all = try sqlite.events(after: 0, limit: 5_000)
            // Redacted bodies stripped alike (RandomIssue redacts), so every stored byte agrees.
            for stored in all.prefix(50) + all.suffix(450) {
                let id = try #require(EventID(stored.id))
                #expect(Self.rows([try #require(try postgres.event(id))]) == Self.rows([stored]))
            }
            for issue in Set(all.map(\.issue)).sorted().prefix(30) {
                let id = try #require(EventID(issue))
                #expect(Self.rows(try postgres.events(ofIssue: id)) == Self.rows(try sqlite.events(ofIssue: id)))
            }
            let window = (Timestamp(secondsSinceEpoch: 0), Timestamp(secondsSinceEpoch: 2_000_000_000))
            #expect(
                Self.rows(
                    try postgres.events(kinds: [.status, .comment], seenFrom: window.0, to: window.1, limit: 300)
                )
                    == Self.rows(
                        try sqlite.events(kinds: [.status, .comment], seenFrom: window.0, to: window.1, limit: 300)
                    )
            )
            let holder = FixedKeys.council.id
            #expect(
                try postgres.reconcilableIDs(sharedWith: nil, holder: holder)
                    == sqlite.reconcilableIDs(sharedWith: nil, holder: holder)
            )
            #expect(
                try postgres.reconcilableIDs(sharedWith: FixedKeys.police.id, holder: holder)
                    == sqlite.reconcilableIDs(sharedWith: FixedKeys.police.id, holder: holder)
            )
            // Any range, read seven ids a query (partner-only ids joining the pages midway): the
            // count and the ids the whole list holds in it, from either store; and narrowed to the
            // events of some authors, those of theirs.
            let narrowings: [[NodeID]?] = [nil, [FixedKeys.police.id], [FixedKeys.council.id, FixedKeys.police.id]]
            for peer in [nil, FixedKeys.police.id] {
                let whole = try sqlite.reconcilableIDs(sharedWith: peer, holder: holder)
                var authorOf: [String: String] = [:]
                for id in whole { authorOf[id] = try sqlite.event(#require(EventID(id)))?.author }
                #expect(Set(authorOf.values).count > 2, "events of several authors")
                let bounds = [whole[0], whole[9], whole[whole.count / 2], whole[whole.count - 1]]
                let ranges: [(String?, String?)] =
                    [(nil, nil), (nil, bounds[1]), (bounds[1], bounds[2]), (bounds[2], nil), (bounds[2], bounds[1])]
                    + [(bounds[3], nil), (bounds[0], bounds[0]), (String(repeating: "f", count: 64), nil)]
                for authors in narrowings {
                    for (lower, upper) in ranges {
                        let named = authors.map { Set($0.map(\.hex)) }
                        let expected = whole.filter { id in
                            let inRange = lower.map { id >= $0 } ?? true && upper.map { id < $0 } ?? true
                            return inRange && named.map { $0.contains(authorOf[id] ?? "") } ?? true
                        }
                        for store in [postgres, sqlite] as [any EventLog] {
                            let (counted, ids) = try Self.sevenAQuery(
                                store,
                                lower,
                                upper,
                                sharedWith: peer,
                                holder: holder,
                                authors: authors
                            )
                            #expect(
                                ids == expected && counted == expected.count,
                                "\(type(of: store)) \(lower ?? "-") \(upper ?? "-") \(authors ?? [])"
                            )
                        }
                    }
                }
            }
            #expect(try postgres.resolveEvent(String(all[5].id.prefix(10))) == EventID(all[5].id))
            // Orphans: children whose parents never came wait, are listed by missing parent, and expire.
            var factory = EventFactory()
            let parent = factory.report(by: FixedKeys.council, title: "Never sent")
            let children = (0..<3).map { number in
                factory.event(
                    .comment,
                    by: FixedKeys.police,
                    on: parent.id,
                    after: [parent],
                    body: Bodies.text("c\(number)")
                )
            }
            let late = Timestamp(secondsSinceEpoch: 1_800_000_100)
            #expect(
                try postgres.ingestNow(children, source: "far", now: late).map(\.result)
                    == sqlite.ingestNow(children, source: "far", now: late).map(\.result)
            )
            let wanted = try postgres.missingParents(limit: 10)
            #expect(wanted.map(\.parent) == [parent.id] && wanted.map(\.source) == ["far"])
            #expect(wanted.map(\.parent) == (try sqlite.missingParents(limit: 10)).map(\.parent))
            #expect(try postgres.counts().pending == 3)
            #expect(try postgres.expirePending(before: Timestamp(secondsSinceEpoch: 1_800_000_101)).count == 3)
            #expect(try postgres.counts().pending == 0)
        }
    }

    @Test func nodesPeersPhotosAndBlocksAnswerAsInSQLite() async throws {
        try await withBoth("pg-nodes") { postgres, sqlite, _ in
            let stores: [any NodeStore] = [sqlite, postgres]
            let at = Timestamp(secondsSinceEpoch: 1_800_000_000)
            let relay = Relay(node: FixedKeys.stranger.id, name: "County Roads", kind: .county, via: .open311)
            for version in [2, 1] {
                let descriptor = try NodeDescriptor.make(
                    node: FixedKeys.council.id,
                    name: "Greenfield Council v\(version)",
                    kind: .council,
                    url: "https://council.example",
                    version: version,
                    at: at,
                    categories: ["pothole"],
                    relays: [relay],
                    signer: FixedKeys.council.key
                )
                let kept = try stores.map { try $0.saveDescriptor(descriptor) }
                #expect(kept == [version == 2, version == 2])
            }
            let forged = try NodeDescriptor.make(
                node: FixedKeys.police.id,
                name: "Forged",
                kind: .police,
                url: "https://p.example",
                version: 1,
                at: at,
                signer: FixedKeys.stranger.key
            )
            for store in stores { #expect(throws: StoreError.self) { try store.saveDescriptor(forged) } }
            #expect(try postgres.descriptors().map(\.name) == ["Greenfield Council v2"])
            #expect(try postgres.descriptor(of: FixedKeys.council.id)?.version == 2)
            #expect(try postgres.nodeNames() == sqlite.nodeNames())
            #expect(try postgres.relays() == sqlite.relays())
            #expect(try postgres.relays()[FixedKeys.stranger.id.hex]?.name == "County Roads")

            let peer = Peer(
                node: FixedKeys.police.id,
                url: "https://police.example",
                name: "Police",
                kind: "police",
                key: FixedKeys.police.key.publicKey.hex,
                caPEM: nil,
                addedAt: at
            )
            for store in stores {
                try store.savePeer(peer)
                try store.recordContact(with: peer.node, cursor: 42, at: at)
                try store.recordPushed(to: peer.node, through: 17, at: at)
                try store.recordPushed(to: peer.node, through: 9, at: at)
                try store.recordError(with: peer.node, "timed out")
                try store.recordContact(with: peer.node, cursor: nil, at: at)
            }
            #expect(try postgres.peers() == sqlite.peers())
            #expect(try postgres.peer(peer.node)?.cursor == 42 && postgres.peer(peer.node)?.pushedThrough == 17)

            let photo = Data((0..<5_000).map { UInt8($0 % 251) })
            let saved = try stores.map { try $0.saveAttachment(photo, type: "image/jpeg", at: at) }
            #expect(saved[0] == saved[1])
            #expect(try postgres.attachment(saved[1].hash) == sqlite.attachment(saved[0].hash))

            // A block hides the volunteers' events and the issues they reported, alike.
            let (police, council) = (FixedKeys.police.id, FixedKeys.council.id)
            let beforeBlock = try sqlite.reconcilableIDs(sharedWith: police, holder: council)
            for store in stores { try store.block(FixedKeys.volunteers.id, reason: "spam", at: at) }
            #expect(try postgres.hiddenEvents() == sqlite.hiddenEvents())
            // Reconciliation leaves them out too, read whole or a few ids a query.
            let shown = try postgres.reconcilableIDs(sharedWith: police, holder: council)
            #expect(shown == (try sqlite.reconcilableIDs(sharedWith: police, holder: council)))
            #expect(shown.count < beforeBlock.count && Set(shown).isSubset(of: beforeBlock))
            #expect(try Self.sevenAQuery(postgres, nil, nil, sharedWith: police, holder: council).ids == shown)
            #expect(try postgres.blockedNodes() == sqlite.blockedNodes())
            #expect(try postgres.issues(IssueQuery(limit: 500)) == sqlite.issues(IssueQuery(limit: 500)))
            #expect(try postgres.projectedStates() == sqlite.projectedStates())
            #expect(try postgres.issues(IssueQuery(text: "ferry")).isEmpty)
            let unblocked = try stores.map { try $0.unblock(FixedKeys.volunteers.id) }
            #expect(unblocked == [true, true])
            #expect(try postgres.reconcilableIDs(sharedWith: police, holder: council) == beforeBlock)
            #expect(try postgres.peer(peer.node)?.cursor == 0)
            #expect(try postgres.projectedStates() == sqlite.projectedStates())
            #expect(try postgres.issues(IssueQuery(text: "ferry")).count == 1)
            #expect(try postgres.removePeer(peer.node) && !(try postgres.removePeer(peer.node)))
        }
    }

    /// The number of issues `counts()` gives (and `/metrics` shows) is kept by the store, not
    /// counted by a pass: it stays the list's as issues are added, changed (an upsert's updated
    /// rows are not new ones), hidden by a block and shown again, rebuilt and emptied; a store
    /// that had issues before the count was kept gets it filled; damage is found and mended.
    @Test func theCountOfIssuesIsKeptAsIssuesComeAndGo() async throws {
        try await withBoth("pg-issue-count") { postgres, sqlite, server in
            func expectKept(_ label: String) throws {
                let listed = try postgres.integers("SELECT count(*) FROM issue")
                #expect(try [Int64(postgres.counts().issues)] == listed, "\(label)")
            }
            // Batches of 97 events change issues earlier batches listed.
            #expect(try postgres.counts().issues == sqlite.counts().issues)
            let counted = try sqlite.counts()
            #expect(counted.issues >= 240, "\(counted)")
            try expectKept("ingested")
            let now = Timestamp(secondsSinceEpoch: 1_800_000_100)
            try postgres.block(FixedKeys.volunteers.id, reason: "spam", at: now)
            try sqlite.block(FixedKeys.volunteers.id, reason: "spam", at: now)
            #expect(try postgres.counts().issues == sqlite.counts().issues)
            try expectKept("blocked")
            #expect(try postgres.unblock(FixedKeys.volunteers.id) && sqlite.unblock(FixedKeys.volunteers.id))
            #expect(try postgres.counts().issues == sqlite.counts().issues)
            try postgres.rebuildProjections()
            try expectKept("rebuilt")

            // A store whose list was there before the count gets it from the migration.
            for statement in [
                "DROP TABLE issue_count",
                "DROP FUNCTION cix_issues_added, cix_issues_removed, cix_issues_emptied CASCADE",
                "DELETE FROM cix_migration WHERE version = 'v10-issue-count'",
            ] {
                try postgres.execute(statement)
            }
            let reopened = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            defer { reopened.close() }
            #expect(try reopened.counts().issues == sqlite.counts().issues)

            // Damaged behind the store's back: found, and mended by the repair.
            try postgres.execute("UPDATE issue_count SET count = count + 3")
            let damage = try postgres.checkStorage()
            #expect(damage.map(\.object) == ["issue_count"] && damage.allSatisfy(\.isRepairable), "\(damage)")
            let listed = try sqlite.counts().issues
            #expect(
                damage.first?.detail == "the kept count of issues (\(listed + 3)) disagrees with the list (\(listed))"
            )
            try postgres.rebuildProjections()
            #expect(try postgres.checkStorage() == [])
            try expectKept("mended")
            try postgres.execute("TRUNCATE issue CASCADE")
            #expect(try postgres.counts().issues == 0)
        }
    }

    /// A redaction that strips a body's photo deletes the photo's bytes unless another body the
    /// store holds names them: PostgreSQL asks its kept list of the photos states name
    /// (`issue_photo`), SQLite reads the states, and both keep and delete alike. The migration
    /// fills the list from the states already there.
    @Test func aRedactedBodysPhotoGoesUnlessAnotherBodyStillNamesIt() async throws {
        try await withBoth("pg-photos") { postgres, sqlite, server in
            let stores: [any NodeStore] = [postgres, sqlite]
            let at = Timestamp(secondsSinceEpoch: 1_800_000_200)
            let bytes = Data((0..<3_000).map { UInt8($0 % 239) })
            let saved = try stores.map { try $0.saveAttachment(bytes, type: "image/jpeg", at: at) }
            let photo = Attachment(hash: saved[0].hash, type: "image/jpeg", size: Int64(bytes.count))
            var factory = EventFactory()
            let first = factory.report(by: FixedKeys.council, title: "Wall down", attachments: [photo])
            let second = factory.report(by: FixedKeys.council, title: "Same wall, from the road")
            let comment = factory.event(
                .comment(TextBody(text: "Here it is", attachments: [photo])),
                by: FixedKeys.council,
                on: second.id,
                after: [second]
            )
            for store in stores { _ = try store.ingestNow([first, second, comment], source: "peer", now: at) }
            let named = try postgres.texts("SELECT hash || ' ' || issue FROM issue_photo ORDER BY 1")
            #expect(named == [photo.hash + " " + first.id.hex, photo.hash + " " + second.id.hex].sorted())

            // Filled from the states by the migration, as the projection writes it.
            for statement in [
                "DROP TABLE issue_photo", "DELETE FROM cix_migration WHERE version = 'v11-issue-photos'",
            ] {
                try postgres.execute(statement)
            }
            let reopened = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            reopened.close()
            #expect(try postgres.texts("SELECT hash || ' ' || issue FROM issue_photo ORDER BY 1") == named)
            // A row lost behind the store's back is found by the check and put back by the repair.
            try postgres.execute("DELETE FROM issue_photo WHERE issue = '\(first.id.hex)'")
            let damage = try postgres.checkStorage()
            #expect(damage.map(\.object) == ["issue_photo"] && damage.allSatisfy(\.isRepairable), "\(damage)")
            #expect(damage.first?.detail.hasSuffix("differs from their states by 1 row") == true, "\(damage)")
            try postgres.rebuildProjections()
            #expect(try postgres.checkStorage() == [])
            #expect(try postgres.texts("SELECT hash || ' ' || issue FROM issue_photo ORDER BY 1") == named)

            func redact(_ target: Event, on issue: Event) throws {
                let redaction = factory.event(
                    .redact,
                    by: FixedKeys.council,
                    on: issue.id,
                    after: [target],
                    body: Bodies.redact(target.id)
                )
                for store in stores { _ = try store.ingestNow([redaction], source: "peer", now: at) }
            }
            // The report's photo is still the comment's: kept.
            try redact(first, on: first)
            for store in stores { #expect(try store.attachment(photo.hash)?.bytes == bytes) }
            #expect(try postgres.texts("SELECT issue FROM issue_photo") == [second.id.hex])
            // Nothing names it any more: gone from both.
            try redact(comment, on: second)
            for store in stores { #expect(try store.attachment(photo.hash) == nil) }
            #expect(try postgres.texts("SELECT issue FROM issue_photo") == [])
            try postgres.rebuildProjections()
            #expect(try postgres.texts("SELECT issue FROM issue_photo") == [])
        }
    }

    @Test func aDamagedProjectionIsFoundAndRebuiltFromTheLog() async throws {
        try await withBoth("pg-check") { postgres, sqlite, _ in
            #expect(try postgres.checkStorage() == [])
            let before = try postgres.projectedStates()
            try postgres.execute("DELETE FROM issue WHERE id IN (SELECT id FROM issue ORDER BY id LIMIT 3)")
            let damage = try postgres.checkStorage()
            #expect(damage.count == 1 && damage.allSatisfy { $0.part == .derived && $0.isRepairable })
            #expect(damage.first?.detail.contains("3 reported issues have no projection") == true)
            try postgres.rebuildProjections()
            #expect(try postgres.checkStorage() == [])
            #expect(try postgres.projectedStates() == before)
            #expect(try postgres.issues(IssueQuery(limit: 500)) == sqlite.issues(IssueQuery(limit: 500)))
        }
    }
}
