import CIXCore
import CIXNode
import CIXPhoto
import CIXTesting
import Foundation
import Testing

/// A redacted report is gone: from every answer at once (no cached page keeps
/// it), its photo from every node, and its text and photo bytes from every
/// file on disk once the scrub the daemon runs each second has run.
@Suite("Redaction removes everywhere", .serialized)
struct RedactionTests {
    static let canary = "Canary-Q7XZ-2291"

    /// Every file under a node's data directory, as bytes.
    func files(of node: LiveNode) throws -> [(String, [UInt8])] {
        try Canary.files(under: node.node.directory.root).map { ($0.path, $0.bytes) }
    }

    func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool { Canary.contains(haystack, needle) }

    /// The files of `node` holding any of `needles`, by name.
    func traces(on node: LiveNode, _ needles: [[UInt8]]) throws -> [String] {
        try files(of: node).filter { _, bytes in needles.contains { contains(bytes, $0) } }.map(\.0)
    }

    @Test func aRedactedReportLeavesNoTraceOnAnyNode() async throws {
        let folder = TemporaryDirectory("redaction")
        defer { folder.remove() }
        let (council, _) = try await LiveNode.greenfieldCouncil(in: folder)
        let mirror = try await LiveNode.start("mirror", kind: .mirror, in: folder)
        let late = try await LiveNode.start("late-mirror", kind: .mirror, in: folder)
        do {
            try await check(council: council, mirror: mirror, late: late)
        } catch {
            for node in [council, mirror, late] { await node.stop() }
            throw error
        }
        for node in [council, mirror, late] { await node.stop() }
    }

    /// A moderator cleans rather than removes: the report keeps its place, category, the photo not
    /// left out and its history; the name goes from every answer and every file of both nodes.
    @Test func aCleanedReportKeepsEverythingButWhatWasTakenOut() async throws {
        let folder = TemporaryDirectory("cleaning")
        defer { folder.remove() }
        let (council, _) = try await LiveNode.greenfieldCouncil(in: folder)
        let mirror = try await LiveNode.start("mirror", kind: .mirror, in: folder)
        do {
            try await mirror.peer(with: [council])
            let receipt = try council.node.intake.report(
                ReportSubmission(
                    title: "Fly-tipping behind the garages",
                    description: "Dumped by \(Self.canary) from number 3; mattresses and a fridge.",
                    category: "fly_tipping",
                    latitude: 52.205,
                    longitude: 0.125,
                    photos: [try PhotoSamples.jpegWithGPS(), try PhotoSamples.pngWithText()]
                ),
                now: .now()
            )
            let id = receipt.id
            let comment = try council.node.intake.contribute(
                ContributionSubmission(.comment, text: "I saw \(Self.canary) do it again on Sunday."),
                on: id,
                now: .now()
            )
            try await mirror.pullFromPeers()
            let before = try #require(try council.node.store.issueState(id)?.report)
            #expect(before.attachments.count == 2)
            let (kept, dropped) = (before.attachments[0].hash, before.attachments[1].hash)

            // The second photo shows the resident's house: left out with the name; the first shows their
            // car's plate in its top-left quarter: blacked out, as a new file.
            let keptBytes = try #require(try council.node.store.attachment(kept)).bytes
            let original = Array(keptBytes)
            // From the end of the image data: the header (tables) is the same in every JPEG this node encodes.
            let photoNeedle = Array(original[(original.count - 80)..<(original.count - 16)])
            #expect(try traces(on: mirror, [photoNeedle]) != [], "the mirror holds the photo before")
            let cleanedReport = try council.node.replacement(
                for: id,
                on: id,
                cleaning: Cleaning(
                    texts: ["description": "Mattresses and a fridge dumped behind the garages."],
                    droppedPhotos: [dropped],
                    maskedPhotos: [kept: [try #require(MaskedArea("0,0,50,50"))]]
                )
            )
            _ = try council.node.redact(
                id,
                on: id,
                reason: "names a resident",
                replacement: cleanedReport,
                by: "test",
                now: .now()
            )
            let cleanedComment = try council.node.replacement(
                for: comment.id,
                on: id,
                cleaning: Cleaning(texts: ["text": "I saw it happen again on Sunday."])
            )
            _ = try council.node.redact(
                comment.id,
                on: id,
                reason: "names a resident",
                replacement: cleanedComment,
                by: "test",
                now: .now()
            )
            try await mirror.pullFromPeers()

            for node in [council, mirror] {
                let state = try #require(try node.node.store.issueState(id))
                let report = try #require(state.report)
                #expect(report.title == before.title && report.category == "fly_tipping")
                #expect(report.latitude == before.latitude && report.longitude == before.longitude)
                #expect(report.description == "Mattresses and a fridge dumped behind the garages.")
                let masked = try #require(report.attachments.first?.hash)
                #expect(report.attachments.count == 1 && masked != kept)
                #expect(report.replacedBy != nil)
                #expect(state.contributions.first?.content?.texts == ["I saw it happen again on Sunday."])
                let page = try await WebClient(node: node).get("/issues/\(id.hex)")
                #expect(
                    page.text.contains("Mattresses and a fridge dumped") && page.text.contains("I saw it happen again")
                )
                #expect(page.text.contains("Edited by a moderator"))
                #expect(!page.text.contains(Self.canary))
                #expect(
                    try await WebClient(node: node).get("/attachments/\(masked)").status == 200,
                    "fetched by the mirror"
                )
                #expect(try await WebClient(node: node).get("/attachments/\(kept)").status == 404)
                #expect(try await WebClient(node: node).get("/attachments/\(dropped)").status == 404)
                try node.node.backend.checkpoint()
                let needles = [Array(Self.canary.utf8), photoNeedle]
                #expect(try traces(on: node, needles) == [], "on \(node.id)")
                #expect(try await StoreVerifier(store: node.node.store).verify().isSound)
            }
            #expect(
                try council.node.store.issueState(id)?.canonicalBytes()
                    == mirror.node.store.issueState(id)?.canonicalBytes()
            )
        } catch {
            for node in [council, mirror] { await node.stop() }
            throw error
        }
        for node in [council, mirror] { await node.stop() }
    }

    func check(council: LiveNode, mirror: LiveNode, late: LiveNode) async throws {
        try await mirror.peer(with: [council])
        try await late.peer(with: [council])
        // Given a report whose text and photo must go…
        let receipt = try council.node.intake.report(
            ReportSubmission(
                title: "Abandoned car, \(Self.canary)",
                description: "Outside number 14; the owner is \(Self.canary) and parks it there.",
                category: "litter",
                latitude: 52.205,
                longitude: 0.125,
                photos: [try PhotoSamples.jpegWithGPS()]
            ),
            now: .now()
        )
        let id = receipt.id
        try await mirror.pullFromPeers()
        let hash = try #require(try council.node.store.issueState(id)?.report?.attachments.first?.hash)
        let photo = try #require(try council.node.store.attachment(hash)).bytes
        #expect(try mirror.node.store.attachment(hash)?.bytes == photo)
        let needles = [Array(Self.canary.utf8), Array(photo[200..<264])]
        let addresses = [
            "/issues/\(id.hex)", "/api/v1/issues/\(id.hex)", "/issues?q=\(Self.canary)", "/feeds/issues.atom",
            "/api/v1/issues.csv",
        ]
        // …read on both nodes, so that every page cache holds it…
        for node in [council, mirror] {
            let client = WebClient(node: node)
            for address in addresses {
                let answer = try await client.get(address)
                #expect(answer.status == 200, "\(address)")
                #expect(String(decoding: answer.body, as: UTF8.self).contains(Self.canary), "\(address) on \(node.id)")
            }
            #expect(try await client.get("/attachments/\(hash)").status == 200)
            #expect(try traces(on: node, needles).contains { $0.hasPrefix("store.sqlite") })
        }
        // …when the council redacts it and the mirror pulls the redaction,
        _ = try council.node.act(.redact(RedactBody(target: id, reason: "personal data")), on: id, now: .now())
        try await mirror.pullFromPeers()
        // then no answer on either node holds it any more, at once (no waiting out a cache),
        for node in [council, mirror] {
            let client = WebClient(node: node)
            for address in addresses {
                let text = String(decoding: try await client.get(address).body, as: UTF8.self)
                // The search page says what was searched for; it must no longer find the issue.
                let gone = address.contains("?q=") ? !text.contains(id.hex) : !text.contains(Self.canary)
                #expect(gone, "\(address) on \(node.id)")
            }
            #expect(try await client.get("/attachments/\(hash)").status == 404)
            #expect(try node.node.store.attachment(hash) == nil)
        }
        // and once the scrub has run (the daemon's checkpoint loop runs it every second), no file of
        // either node holds the text or the photo's bytes: not the database, its WAL, nor the search index.
        for node in [council, mirror] {
            try node.node.backend.checkpoint()
            #expect(try traces(on: node, needles) == [], "on \(node.id)")
            #expect(try await StoreVerifier(store: node.node.store).verify().isSound)
        }
        // A mirror that was away during the redaction catches up without ever holding either.
        try await late.pullFromPeers()
        try late.node.backend.checkpoint()
        #expect(try late.node.store.issueState(id) != nil)
        #expect(try late.node.store.attachment(hash) == nil)
        #expect(try traces(on: late, needles) == [])
    }
}
