import CIXCanonicalJSON
import CIXCore
import CIXDemo
import CIXNode
import CIXRouting
import CIXStore
import CIXTesting
import Foundation
import Testing

@testable import CIXFederation

@Suite("Cross-agency routing over HTTPS", .serialized)
struct RoutingFederationTests {
    func serve(_ node: LiveNode, _ key: String) throws {
        let body = try #require(Greenfield.body(key))
        try node.node.publishDescriptor(now: .now(), categories: body.categories, area: .some(body.area.geoJSON))
    }

    @Test func antisocialBehaviourReachesCouncilAndPoliceAndEveryoneAgrees() async throws {
        let folder = TemporaryDirectory("routing")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        let police = try await LiveNode.start("police", kind: .police, in: folder)
        let volunteers = try await LiveNode.start("volunteers", kind: .voluntary, in: folder)
        let mirror = try await LiveNode.start("mirror", kind: .mirror, in: folder)
        defer { Task { for node in [council, police, volunteers, mirror] { await node.stop() } } }
        try serve(council, "council")
        try serve(police, "police")
        try serve(volunteers, "volunteers")
        try await council.peer(with: [police, volunteers])
        try await police.peer(with: [council])
        try await volunteers.peer(with: [council])
        try await mirror.peer(with: [council])

        // A point in the town that the council and the north police neighbourhood cover, outside the volunteers' area.
        let receipt = try council.node.intake.report(
            ReportSubmission(
                title: "Fireworks thrown at passers-by",
                category: "antisocial_behaviour",
                latitude: 52.228,
                longitude: 0.110
            ),
            now: .now()
        )
        let (report, recipients) = (receipt.event, receipt.recipients)
        #expect(Set(recipients.map(\.node)) == [council.id, police.id])
        try await council.pushToPeers()
        #expect(try police.node.store.issueState(report.id)?.agencies[police.id]?.role == .routed)

        _ = try police.node.act(.accept(AcceptBody()), on: report.id, now: .now())
        _ = try police.node.act(.status(StatusBody(state: .inProgress)), on: report.id, now: .now())
        try await police.pushToPeers()
        _ = try council.node.act(
            .decline(DeclineBody(reason: "Youth outreach is the volunteers' work", refer: volunteers.id)),
            on: report.id,
            now: .now()
        )
        try await council.pushToPeers()
        #expect(try volunteers.node.store.issueState(report.id)?.agencies[volunteers.id]?.role == .routed)
        _ = try volunteers.node.act(.accept(AcceptBody()), on: report.id, now: .now())
        try await volunteers.pushToPeers()
        try await council.pushToPeers()
        for node in [police, volunteers, mirror] { try await node.pullFromPeers() }

        let states = try [council, police, volunteers, mirror].map {
            try #require(try $0.node.store.issueState(report.id))
        }
        for state in states {
            #expect(state.canonicalBytes() == states[0].canonicalBytes())
            #expect(state.agencies[police.id]?.role == .accepted && state.agencies[police.id]?.status == .inProgress)
            #expect(state.agencies[council.id]?.role == .declined)
            #expect(
                state.agencies[volunteers.id]?.role == .accepted
                    && state.agencies[volunteers.id]?.routedBy == council.id
            )
            #expect(state.overall == .inProgress)
        }
    }

    @Test func anUnroutedReportIsRoutedWhenANodeThatCoversItIsPeered() async throws {
        let folder = TemporaryDirectory("unrouted")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        let buses = try await LiveNode.start("buses", kind: .transport, in: folder)
        defer { Task { for node in [council, buses] { await node.stop() } } }
        try serve(council, "council")
        try serve(buses, "buses")
        let receipt = try council.node.intake.report(
            ReportSubmission(title: "No bus before 7am", category: "bus_timetable", latitude: 52.200, longitude: 0.125),
            now: .now()
        )
        let (report, recipients) = (receipt.event, receipt.recipients)
        #expect(recipients.isEmpty)
        #expect(try council.node.store.issues(IssueQuery(unroutedFrom: council.id.hex)).map(\.id) == [report.id.hex])
        // When the council peers with the bus operator, the waiting report is routed to it.
        try await council.peer(with: [buses])
        #expect(try council.node.routeUnrouted(now: .now()) == 1)
        #expect(try council.node.store.issues(IssueQuery(unroutedFrom: council.id.hex)).isEmpty)
        #expect(try council.node.store.issueState(report.id)?.agencies.keys.sorted() == [buses.id])
    }
}
