import CIXCore
import CIXFederation
import CIXNode
import CIXStore
import CIXTesting
import Foundation
import Testing

/// A node's keys change over time: a rotated key is verified by nodes that never
/// met its author, and a revocation dated back to a theft gives every node the
/// same state whatever order the events and the revocation reach it in.
@Suite("Key life cycle")
struct KeyLifeCycleTests {
    static func time(_ text: String) throws -> Timestamp { try #require(Timestamp(text)) }

    @Test func aRotatedKeyIsVerifiedTwoHopsFromItsAuthor() async throws {
        let folder = TemporaryDirectory("key-rotation")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        let police = try await LiveNode.start("police", kind: .police, in: folder)
        let mirror = try await LiveNode.start("mirror", kind: .mirror, in: folder)
        let nodes = [council, police, mirror]
        do {
            try await council.peer(with: [police])
            try await police.peer(with: [council])
            try await mirror.peer(with: [council])
            let issue = try council.node.intake.report(
                ReportSubmission(
                    title: "Broken bus shelter glass",
                    category: "litter",
                    latitude: 52.21,
                    longitude: 0.12
                ),
                now: .now()
            ).id
            try await council.pushToPeers()

            // The police rotate, then comment with the new key and push it, signing the push with it too:
            // the council does not know the key yet, fetches the police's node document, and takes both.
            let (rotated, statement) = try police.node.rotateKey(by: "test", now: .now())
            #expect(rotated.id == police.node.id, "the node keeps its id")
            #expect(rotated.key.publicKey != police.node.key.publicKey)
            let comment = try rotated.intake.contribute(
                ContributionSubmission(.comment, text: "Glass swept up; the shelter is reported to the operator."),
                on: issue,
                now: .now()
            )
            let councilPeer = try #require(try rotated.store.peer(council.id))
            let pushed = try await PeerPush(node: rotated).push(to: councilPeer, now: { .now() })
            #expect(pushed.stored == 1 && pushed.rejected.isEmpty, "\(pushed.rejected)")

            // The mirror never contacts the police: the statement reaches it beside the comment in the council's page.
            let page = try await WebClient(node: council).get("/federation/v1/events?after=0")
            #expect(page.text.contains("\"type\":\"key.add\""), "the page carries the statement")
            #expect(try mirror.node.store.keyRing(for: police.id).knows(statement.key) == false)
            try await mirror.pullFromPeers()
            #expect(try mirror.node.store.keyRing(for: police.id).knows(statement.key))
            let state = try #require(try mirror.node.store.issueState(issue))
            let entry = try #require(state.timeline.first { $0.event == comment.id })
            #expect(entry.effect == .applied)
            #expect(state.counts.comments == 1)
            #expect(
                try mirror.node.store.issueState(issue)?.canonicalBytes()
                    == council.node.store.issueState(issue)?.canonicalBytes()
            )
            // And the police's own daemon, which still signs with the old key it read at start, is still believed.
            try await police.pullFromPeers()

            // A node that gets only a council reply to the comment asks the council for the missing parent:
            // the answer carries the police's statements too, so the comment verifies there as well.
            let late = try await LiveNode.start("late", kind: .mirror, in: folder)
            defer { Task { await late.stop() } }
            try await late.peer(with: [council])
            let reply = try council.node.intake.contribute(
                ContributionSubmission(.comment, text: "Thank you, the operator has been told."),
                on: issue,
                now: .now()
            )
            _ = try late.node.store.ingestNow([reply], source: council.id.hex, now: .now())
            #expect(try late.node.store.counts().pending == 1)
            let chased = try await PeerSync(node: late.node).chaseParents(ParentChase(), now: { .now() })
            #expect(chased.fetched >= 1, "\(chased)")
            #expect(try late.node.store.keyRing(for: police.id).knows(statement.key))
            let lateState = try #require(try late.node.store.issueState(issue))
            #expect(lateState.timeline.first { $0.event == comment.id }?.effect == .applied)
            #expect(lateState.counts.comments == 2)
            #expect(try late.node.store.counts().pending == 0)
        } catch {
            for node in nodes { await node.stop() }
            throw error
        }
        for node in nodes { await node.stop() }
    }

    @Test func aNodeKeepsAtMostSixtyFourStatementsAboutAnother() throws {
        let folder = TemporaryDirectory("key-statement-limit")
        defer { folder.remove() }
        let node = try LocalNode.create(
            in: NodeDirectory(path: folder.file("node").path),
            name: "Mirror",
            kind: .mirror,
            url: "https://127.0.0.1:1",
            listen: nil,
            now: .now()
        )
        let author = FixedKeys.police
        for index in 0..<Limits.maxKeyStatements {
            let statement = try KeyStatement.make(
                .add,
                node: author.id,
                key: FixedKeys.key(UInt8(100 + index)).publicKey,
                from: Timestamp(secondsSinceEpoch: 1_780_000_000 + Int64(index)),
                signer: author.key
            )
            try node.store.addKeyStatement(statement)
        }
        let one = try KeyStatement.make(
            .add,
            node: author.id,
            key: FixedKeys.key(200).publicKey,
            from: Timestamp(secondsSinceEpoch: 1_790_000_000),
            signer: author.key
        )
        #expect {
            try node.store.addKeyStatement(one)
        } throws: {
            "\($0)".contains("already has 64 key statements")
        }
        #expect(node.backend.writeHealth.failure == nil, "a refused record is not a storage failure")
    }

    /// The body's key K1 is stolen on 15 November; the thief comments on the 20th; the body revokes K1 from
    /// the 15th on the 21st. Three nodes receive the events and the statements in every order.
    @Test func aRevocationDatedBackFoldsAlikeInEveryArrivalOrder() async throws {
        let folder = TemporaryDirectory("key-revocation")
        defer { folder.remove() }
        var body = try LocalNode.create(
            in: NodeDirectory(path: folder.file("body").path),
            name: "Town council",
            kind: .council,
            url: "https://127.0.0.1:1",
            listen: nil,
            now: .now()
        )
        let stolen = body.key.publicKey
        let issue = try body.intake.report(
            ReportSubmission(title: "Flooded underpass", category: "flooding", latitude: 52.21, longitude: 0.12),
            now: try Self.time("2026-11-01T09:00:00Z")
        ).id
        let honest = try body.intake.contribute(
            ContributionSubmission(.comment, text: "Pumps are on their way."),
            on: issue,
            now: try Self.time("2026-11-10T09:00:00Z")
        )
        let forged = try body.intake.contribute(
            ContributionSubmission(.comment, text: "Send your bank details to claim a refund."),
            on: issue,
            now: try Self.time("2026-11-20T09:00:00Z")
        )
        let revocation = try body.revokeKey(
            stolen,
            from: try Self.time("2026-11-15T00:00:00Z"),
            reason: "Laptop stolen on 15 November",
            by: "test",
            now: try Self.time("2026-11-21T09:00:00Z")
        )
        body = revocation.node
        #expect(revocation.rotated)
        #expect(revocation.statements.map(\.action) == [.add, .revoke], "the new key re-signed from before the theft")

        // The body's own fold already rejects the forged comment, and keeps the earlier one.
        let own = try #require(try body.store.issueState(issue))
        #expect(own.timeline.first { $0.event == forged.id }?.reason == KeyRings.refusal)
        #expect(own.timeline.first { $0.event == honest.id }?.effect == .applied)
        #expect(own.counts.comments == 1)

        // Split its export into the statements (and descriptor) and the events.
        let export = folder.file("body.ndjson")
        FileManager.default.createFile(atPath: export.path, contents: nil)
        let handle = try FileHandle(forWritingTo: export)
        try EventExporter(store: body.store).export(to: handle, includePartnerOnly: false)
        try handle.close()
        let lines = try String(contentsOf: export, encoding: .utf8).split(separator: "\n").map(String.init)
        let records = lines.filter { $0.contains("\"type\":") }
        let events = lines.filter { !$0.contains("\"type\":") }
        #expect(records.filter { $0.contains("key.revoke") }.count == 1)
        #expect(events.count == 3)
        let recordsFile = folder.file("records.ndjson")
        let eventsFile = folder.file("events.ndjson")
        try (records.joined(separator: "\n") + "\n").write(to: recordsFile, atomically: true, encoding: .utf8)
        try (events.joined(separator: "\n") + "\n").write(to: eventsFile, atomically: true, encoding: .utf8)

        let orders: [(name: String, files: [URL])] = [
            ("events-first", [eventsFile, recordsFile]),
            ("revocation-first", [recordsFile, eventsFile]),
            ("together", [export]),
        ]
        var states: [[UInt8]] = []
        for order in orders {
            let node = try LocalNode.create(
                in: NodeDirectory(path: folder.file(order.name).path),
                name: order.name,
                kind: .council,
                url: "https://127.0.0.1:1",
                listen: nil,
                now: .now()
            )
            for file in order.files {
                let report = try await EventImporter(node: node).importFile(file, source: "import", now: { .now() })
                #expect(report.rejected.isEmpty, "\(order.name): \(report.rejected)")
            }
            let state = try #require(try node.store.issueState(issue))
            #expect(state.timeline.first { $0.event == forged.id }?.effect == .rejected, "\(order.name)")
            #expect(state.counts.comments == 1, "\(order.name)")
            #expect(try node.store.event(forged.id) != nil, "\(order.name): kept in the log")
            states.append(state.canonicalBytes())

            // `cix verify` is content and says why the forged comment counts for nothing; `issue show` agrees.
            let cli = CLI(data: node.directory.root.path)
            let verify = try await cli.runAsync(["verify"])
            #expect(verify.status == 0, "\(order.name): \(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("1 event is signed by a key that did not speak"), "\(verify.stdout)")
            let show = try await cli.runAsync(["issue", "show", issue.hex])
            #expect(show.stdout.contains("[rejected: \(KeyRings.refusal)]"), "\(show.stdout)")
            #expect(show.stdout.contains("1 comments"), "\(show.stdout)")
        }
        #expect(Set(states).count == 1, "every order folds to the same bytes")
        #expect(states.first == own.canonicalBytes(), "and to what the body itself holds")
    }
}
