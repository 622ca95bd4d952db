import CIXCanonicalJSON
import CIXCore
import CIXTesting
import Testing

@Suite("Authority rules")
struct AuthorityTests {
    let council = FixedKeys.council
    let police = FixedKeys.police
    let volunteers = FixedKeys.volunteers
    let stranger = FixedKeys.stranger

    func effect(of event: Event, in state: IssueState) -> IssueState.TimelineEntry? {
        state.timeline.first { $0.event == event.id }
    }

    @Test func untilRoutedTheOriginAnswers() throws {
        var factory = EventFactory()
        let report = factory.report(by: council)
        let status = factory.event(
            .status,
            by: council,
            on: report.id,
            after: [report],
            body: Bodies.status(.investigating)
        )
        let state = try #require(IssueFold.fold([report, status]))
        #expect(state.agencies[council.id]?.role == .origin)
        #expect(state.agencies[council.id]?.status == .investigating)
        #expect(state.overall == .inProgress)
    }

    @Test func onlyTheOriginEdits() throws {
        var factory = EventFactory()
        let report = factory.report(by: council, title: "Old")
        let foreign = factory.event(
            .edit,
            by: police,
            on: report.id,
            after: [report],
            body: JSONObject(["title": "Hijacked"])
        )
        let own = factory.event(.edit, by: council, on: report.id, after: [foreign], body: JSONObject(["title": "New"]))
        let state = try #require(IssueFold.fold([report, foreign, own]))
        #expect(state.report?.title == "New")
        #expect(effect(of: foreign, in: state)?.effect == .rejected)
        #expect(effect(of: own, in: state)?.effect == .applied)
    }

    @Test func anyoneContributes() throws {
        var factory = EventFactory()
        let report = factory.report(by: council)
        let events = [
            factory.event(.comment, by: stranger, on: report.id, after: [report], body: Bodies.text("me too")),
            factory.event(.confirm, by: police, on: report.id, after: [report], body: JSONObject()),
            factory.event(.solution, by: volunteers, on: report.id, after: [report], body: Bodies.text("fill it")),
            factory.event(.offer, by: stranger, on: report.id, after: [report], body: JSONObject(["what": "a lift"])),
        ]
        let state = try #require(IssueFold.fold([report] + events))
        #expect(state.counts == .init(confirmations: 1, comments: 1, solutions: 1, offers: 1))
        #expect(state.timeline.allSatisfy { $0.effect == .applied })
    }

    @Test func routingMakesAgenciesAndEndsTheOriginsInterimRole() throws {
        var factory = EventFactory()
        let report = factory.report(by: council)
        let route = factory.event(
            .route,
            by: council,
            on: report.id,
            after: [report],
            body: Bodies.route([police.id, volunteers.id])
        )
        let state = try #require(IssueFold.fold([report, route]))
        #expect(Set(state.agencies.keys) == [police.id, volunteers.id])
        #expect(state.agencies[police.id]?.routedBy == council.id)
        #expect(state.routed)
    }

    @Test func strangersCannotRouteOrAnswer() throws {
        var factory = EventFactory()
        let report = factory.report(by: council)
        let route = factory.event(.route, by: stranger, on: report.id, after: [report], body: Bodies.route([police.id]))
        let status = factory.event(.status, by: stranger, on: report.id, after: [report], body: Bodies.status(.fixed))
        let accept = factory.event(.accept, by: stranger, on: report.id, after: [report], body: JSONObject())
        let decline = factory.event(.decline, by: stranger, on: report.id, after: [report], body: Bodies.decline("no"))
        let state = try #require(IssueFold.fold([report, route, status, accept, decline]))
        for event in [route, status, accept, decline] {
            #expect(effect(of: event, in: state)?.effect == .rejected)
        }
        #expect(state.agencies.keys.sorted() == [council.id])
        #expect(state.overall == .open)
    }

    @Test func eachAgencyAnswersForItselfAndDeclineRefers() throws {
        var factory = EventFactory()
        let report = factory.report(by: council)
        let route = factory.event(
            .route,
            by: council,
            on: report.id,
            after: [report],
            body: Bodies.route([council.id, police.id])
        )
        let accept = factory.event(.accept, by: police, on: report.id, after: [route], body: JSONObject())
        let progress = factory.event(
            .status,
            by: police,
            on: report.id,
            after: [accept],
            body: Bodies.status(.inProgress)
        )
        let decline = factory.event(
            .decline,
            by: council,
            on: report.id,
            after: [route],
            body: Bodies.decline("not ours", refer: volunteers.id)
        )
        let volunteersAccept = factory.event(
            .accept,
            by: volunteers,
            on: report.id,
            after: [decline],
            body: JSONObject()
        )
        let state = try #require(IssueFold.fold([report, route, accept, progress, decline, volunteersAccept]))
        #expect(state.agencies[police.id]?.role == .accepted)
        #expect(state.agencies[police.id]?.status == .inProgress)
        #expect(state.agencies[council.id]?.role == .declined)
        #expect(state.agencies[council.id]?.status == .notOurs)
        #expect(state.agencies[volunteers.id]?.role == .accepted)
        #expect(state.agencies[volunteers.id]?.routedBy == council.id)
        #expect(state.overall == .inProgress)
    }

    @Test func transferHandsThePartOn() throws {
        var factory = EventFactory()
        let report = factory.report(by: council)
        let transfer = factory.event(
            .transfer,
            by: council,
            on: report.id,
            after: [report],
            body: JSONObject(["to": .string(police.id.hex), "reason": "police matter"])
        )
        let state = try #require(IssueFold.fold([report, transfer]))
        #expect(state.agencies[council.id]?.role == .transferred)
        #expect(state.agencies[police.id]?.role == .routed)
    }

    @Test func overallStatusFollowsTheAgencies() throws {
        var factory = EventFactory()
        let report = factory.report(by: council)
        let route = factory.event(
            .route,
            by: council,
            on: report.id,
            after: [report],
            body: Bodies.route([council.id, police.id])
        )
        let councilFixed = factory.event(
            .status,
            by: council,
            on: report.id,
            after: [route],
            body: Bodies.status(.fixed)
        )
        #expect(IssueFold.fold([report, route, councilFixed])?.overall == .open)
        let policeClosed = factory.event(
            .status,
            by: police,
            on: report.id,
            after: [councilFixed],
            body: Bodies.status(.closed)
        )
        #expect(IssueFold.fold([report, route, councilFixed, policeClosed])?.overall == .fixed)
        let declineAll = factory.event(.decline, by: council, on: report.id, after: [route], body: Bodies.decline("no"))
        let declinePolice = factory.event(
            .decline,
            by: police,
            on: report.id,
            after: [route],
            body: Bodies.decline("no")
        )
        #expect(IssueFold.fold([report, route, declineAll, declinePolice])?.overall == .declined)
    }

    @Test func duplicatesByOriginOrAgencyOnly() throws {
        var factory = EventFactory()
        let report = factory.report(by: council)
        let other = JSONObject(["of": .string(String(repeating: "e", count: 64))])
        let byStranger = factory.event(.duplicate, by: stranger, on: report.id, after: [report], body: other)
        #expect(IssueFold.fold([report, byStranger])?.overall == .open)
        let byOrigin = factory.event(.duplicate, by: council, on: report.id, after: [report], body: other)
        #expect(IssueFold.fold([report, byOrigin])?.overall == .duplicate)
    }

    @Test func redactionByAuthorOrOriginRemovesTheBodyOnly() throws {
        var factory = EventFactory()
        let report = factory.report(by: council)
        let comment = factory.event(
            .comment,
            by: stranger,
            on: report.id,
            after: [report],
            body: Bodies.text("my phone is 0123")
        )
        let byPolice = factory.event(
            .redact,
            by: police,
            on: report.id,
            after: [comment],
            body: Bodies.redact(comment.id)
        )
        let unauthorised = try #require(IssueFold.fold([report, comment, byPolice]))
        #expect(effect(of: byPolice, in: unauthorised)?.effect == .rejected)
        #expect(unauthorised.contributions.first?.content != nil)

        let byOrigin = factory.event(
            .redact,
            by: council,
            on: report.id,
            after: [comment],
            body: Bodies.redact(comment.id)
        )
        let redacted = try #require(IssueFold.fold([report, comment, byOrigin]))
        #expect(redacted.contributions.first?.content == nil)
        #expect(redacted.counts.comments == 1)
        // A node holding only the skeleton computes the same state.
        let skeletonOnly = try #require(IssueFold.fold([report, comment.withoutBody(), byOrigin]))
        #expect(skeletonOnly.canonicalBytes() == redacted.canonicalBytes())
        #expect(try Event.decode(comment.withoutBody().bytes).id == comment.id)
    }

    @Test func redactingTheReportHidesItsContent() throws {
        var factory = EventFactory()
        let report = factory.report(by: council, title: "Name and address of a resident")
        let redact = factory.event(.redact, by: council, on: report.id, after: [report], body: Bodies.redact(report.id))
        let state = try #require(IssueFold.fold([report, redact]))
        #expect(state.report == nil)
        #expect(state.json["report"] == .null)
    }

    @Test func aRedactionCannotBeRedacted() throws {
        var factory = EventFactory()
        let report = factory.report(by: council)
        let comment = factory.event(.comment, by: council, on: report.id, after: [report], body: Bodies.text("x"))
        let redact = factory.event(
            .redact,
            by: council,
            on: report.id,
            after: [comment],
            body: Bodies.redact(comment.id)
        )
        let again = factory.event(.redact, by: council, on: report.id, after: [redact], body: Bodies.redact(redact.id))
        let state = try #require(IssueFold.fold([report, comment, redact, again]))
        #expect(effect(of: again, in: state)?.effect == .rejected)
        #expect(effect(of: redact, in: state)?.effect == .applied)
    }
}
