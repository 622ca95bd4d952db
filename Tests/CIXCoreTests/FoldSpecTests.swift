import CIXCanonicalJSON
import CIXCore
import CIXTesting
import Foundation
import Testing

/// What `Protocol/fold.md` writes down about rejections and events without a
/// body, checked against the fold itself.
@Suite("The fold as specified")
struct FoldSpecTests {
    /// The reason texts in fold.md's "Rejection reasons" table.
    static func specifiedReasons() throws -> Set<String> {
        let text = try String(
            contentsOf: Fixtures.protocolFolder.appendingPathComponent("fold.md"),
            encoding: .utf8
        )
        let section = try #require(text.components(separatedBy: "### Rejection reasons").last)
        let table = section.components(separatedBy: "### ").first ?? section
        return Set(
            table.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| kind ") }.compactMap { row in
                row.split(separator: "|").last.map { $0.trimmingCharacters(in: .whitespaces) }
                    .flatMap { $0.hasPrefix("`") && $0.hasSuffix("`") ? String($0.dropFirst().dropLast()) : nil }
            }
        )
    }

    /// Every rejection the rules can make, by a stranger and by the origin, once each.
    @Test func everyRejectionReasonIsTheOneTheSpecWrites() throws {
        var factory = EventFactory()
        let (council, police, stranger) = (FixedKeys.council, FixedKeys.police, FixedKeys.stranger)
        let report = factory.report(by: council)
        let issue = report.id
        func by(_ node: TestNode, _ content: EventBody) -> Event {
            factory.event(content, by: node, on: issue, after: [report])
        }
        let route = by(council, .route(RouteBody(recipients: [.init(node: police.id, reason: "serves the area")])))
        let events = [
            report, route,
            by(stranger, .edit(EditBody(title: "Not mine"))),
            by(stranger, .route(RouteBody(recipients: [.init(node: stranger.id, reason: "mine now")]))),
            by(stranger, .accept(AcceptBody())),
            by(stranger, .decline(DeclineBody(reason: "no"))),
            by(stranger, .transfer(TransferBody(to: police.id, reason: "theirs"))),
            by(stranger, .status(StatusBody(state: .fixed))),
            by(stranger, .duplicate(DuplicateBody(of: route.id))),
            by(council, .duplicate(DuplicateBody(of: issue))),
            by(stranger, .redact(RedactBody(target: route.id, reason: "mine"))),
            by(council, .redact(RedactBody(target: EventID(SHA256Hex.hash([1, 2, 3])) ?? issue, reason: "gone"))),
        ]
        // A comment in the council's name signed by a key that never spoke for it (no ring says so).
        let borrowed = try EventDraft(
            .comment(TextBody(text: "Signed with someone else's key")),
            issue: issue,
            prev: [route.id],
            depth: route.depth + 1,
            at: report.at,
            audience: .everyone
        ).sign(with: stranger.key, author: council.id, salt: [UInt8](repeating: 7, count: 16))
        let state = try #require(IssueFold.fold(events + [borrowed]))
        let reasons = Set(state.timeline.filter { $0.effect == .rejected }.compactMap(\.reason))
        #expect(state.timeline.filter { $0.effect == .rejected }.count == 11)
        #expect(reasons == (try Self.specifiedReasons()))
    }

    /// An accept whose body its author redacted still makes it an accepted part, with no note.
    @Test func anAcceptWithoutItsBodyStillAccepts() throws {
        var factory = EventFactory()
        let (council, police) = (FixedKeys.council, FixedKeys.police)
        let report = factory.report(by: council)
        let route = factory.event(
            .route(RouteBody(recipients: [.init(node: police.id, reason: "serves the area")])),
            by: council,
            on: report.id,
            after: [report]
        )
        let accept = factory.event(.accept(AcceptBody(note: "Call 0123")), by: police, on: report.id, after: [route])
        let redact = factory.event(
            .redact(RedactBody(target: accept.id, reason: "a phone number")),
            by: police,
            on: report.id,
            after: [accept]
        )
        let state = try #require(IssueFold.fold([report, route, accept, redact]))
        let part = try #require(state.agencies[police.id])
        #expect(part.role == .accepted && part.note == nil && part.lastEvent == accept.id)
        #expect(state.timeline.first { $0.event == accept.id }?.effect == .withoutBody)
        // Rejected and body-less events do not move updated_at; the redaction (applied) does.
        #expect(state.updatedAt == redact.at)
    }
}

/// `Protocol/fold.md`, Redactions first: a redaction's `replacement` stands in for the removed body.
@Suite("Replacing a body")
struct ReplacementFoldTests {
    @Test func aFittingReplacementStandsInAndTheLastOneWins() throws {
        var factory = EventFactory()
        let (council, stranger) = (FixedKeys.council, FixedKeys.stranger)
        let report = factory.report(by: council)
        let comment = factory.event(
            .comment(TextBody(text: "Ring Ann on her mobile")),
            by: stranger,
            on: report.id,
            after: [report]
        )
        func redaction(by node: TestNode, of target: Event, replacement: JSONObject?, after: [Event]) -> Event {
            factory.event(
                .redact(RedactBody(target: target.id, reason: "personal data", replacement: replacement)),
                by: node,
                on: report.id,
                after: after
            )
        }
        let first = redaction(by: council, of: comment, replacement: JSONObject(["text": "Ring her"]), after: [comment])
        let second = redaction(
            by: council,
            of: comment,
            replacement: JSONObject(["text": "Ask at the shop"]),
            after: [first]
        )
        let state = try #require(IssueFold.fold([report, comment, first, second]))
        #expect(state.contributions.first?.content == .comment(TextBody(text: "Ask at the shop")))
        #expect(state.contributions.first?.replacedBy == second.id)
        #expect(state.timeline.first { $0.event == comment.id }?.effect == .applied)

        // A replacement that does not fit the target's kind leaves it without a body; one by a node
        // that may not redact changes nothing.
        let misfit = redaction(
            by: council,
            of: comment,
            replacement: JSONObject(["title": "A title"]),
            after: [comment]
        )
        let unfit = try #require(IssueFold.fold([report, comment, misfit]))
        #expect(unfit.contributions.first?.content == nil && unfit.contributions.first?.replacedBy == nil)
        let outsider = redaction(
            by: FixedKeys.police,
            of: comment,
            replacement: JSONObject(["text": "Mine"]),
            after: [comment]
        )
        let refused = try #require(IssueFold.fold([report, comment, outsider]))
        #expect(refused.contributions.first?.content == .comment(TextBody(text: "Ring Ann on her mobile")))
    }

    @Test func aReplacedReportKeepsItsPlaceAndTakesLaterEdits() throws {
        var factory = EventFactory()
        let council = FixedKeys.council
        let report = factory.report(by: council)
        guard case .report(let original)? = report.content else { throw TestFailure("no report body") }
        var cleaned = original.json
        cleaned["description"] = "Cleaned"
        let replace = factory.event(
            .redact(RedactBody(target: report.id, reason: "personal data", replacement: cleaned)),
            by: council,
            on: report.id,
            after: [report]
        )
        let edit = factory.event(.edit(EditBody(title: "Later title")), by: council, on: report.id, after: [replace])
        let state = try #require(IssueFold.fold([report.withoutBody(), replace, edit]))
        let content = try #require(state.report)
        #expect(content.description == "Cleaned" && content.title == "Later title")
        #expect(content.location == original.location && content.category == original.category)
        #expect(content.replacedBy == replace.id)
        #expect(
            String(decoding: state.canonicalBytes(), as: UTF8.self).contains("\"replaced_by\":\"\(replace.id.hex)\"")
        )
    }
}
