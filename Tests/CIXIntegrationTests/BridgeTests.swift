import CIXBridge
import CIXCanonicalJSON
import CIXCore
import CIXMail
import CIXNode
import CIXTesting
import Foundation
import Testing

/// Bodies not on CIX (issue 14, item 3): the council reaches the county by
/// the county's own Open311 endpoint (a second `cix serve`, behind a proxy
/// that can cut it off) and a parks trust by e-mail (a real SMTP server).
@Suite("Bridges to bodies not on CIX", .serialized)
struct BridgeTests {
    /// A square around the middle of Greenfield, where the county and the trust answer.
    static let square = """
        {"type":"Polygon","coordinates":[[[0.10,52.19],[0.14,52.19],[0.14,52.23],[0.10,52.23],[0.10,52.19]]]}
        """

    static func write(_ text: String, _ name: String, in folder: TemporaryDirectory) throws -> String {
        let path = folder.file(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func pothole(_ council: LiveNode) throws -> EventID {
        var submission = ReportSubmission(
            title: "Pothole swallowing bicycle wheels",
            description: "By the bus stop on Hills Road.\nDeep enough to hurt someone.",
            category: "pothole",
            latitude: 52.20,
            longitude: 0.12
        )
        submission.reporterEmail = "fay.resident@residents.example"
        return try council.node.intake.report(submission, now: .now()).id
    }

    @Test func aReportForACountyOnOpen311IsDeliveredOnceSurvivesItBeingDownAndItsAnswerReachesEveryNode()
        async throws
    {
        let files = TemporaryDirectory("bridge-files")
        defer { files.remove() }
        let county = try await LiveNode.start("county", kind: .county, in: files)
        let proxy = try await FaultProxy.start(to: county.port)
        let key = try county.node.addAPIKey(name: "greenfield-council", now: .now()).key
        let toml = """
            [[external]]
            id = "county-roads"
            name = "Greenfield County Roads"
            kind = "county"
            categories = ["pothole"]
            area_file = "\(try Self.write(Self.square, "county.geojson", in: files))"
            open311_url = "\(proxy.url)/open311/v2"
            open311_api_key_file = "\(try Self.write(key + "\n", "county.key", in: files))"
            open311_ca_file = "\(try Self.write(county.caPEM, "county-ca.pem", in: files))"
            """
        let town = try await WebTown.start("bridge-town", councilTOML: toml)
        func stop() async {
            await town.stop()
            await proxy.stop()
            await county.stop()
        }
        do {
            let council = town.council
            // The council publishes the relay; the police and the mirror learn its name on their next pull.
            try council.node.ensureSealKey(now: .now())
            let relay = try #require(try council.node.externalBodies().first)
            #expect(try council.node.ownDescriptor()?.relays == [relay.relay])
            let explain = try await CLI(data: council.node.directory.root.path).runAsync([
                "route", "explain", "--category", "pothole", "--lat", "52.2", "--lon", "0.12",
            ])
            #expect(explain.stdout.contains("Greenfield County Roads (not on CIX: reached by Open311)"))

            let issue = try Self.pothole(council)
            #expect(try council.node.store.issueState(issue)?.agencies[relay.id]?.role == .routed)
            let bridge = Bridge(node: council.node)
            #expect(try bridge.queueNew(now: .now()) == 1)
            #expect(try bridge.queueNew(now: .now()) == 0)

            // The county is unreachable: the report waits, with the reason, and nothing is marked.
            proxy.partition()
            let down = try await bridge.deliverDue(now: .now())
            #expect(down.sent == 0 && down.retrying == 1)
            let waiting = try #require(try council.node.bridgeRecords.deliveries(to: relay.id, limit: 5).first)
            #expect(waiting.state == .waiting && waiting.lastError?.contains("did not answer") == true)
            #expect(try council.node.store.issueState(issue)?.agencies[relay.id]?.note == nil)
            #expect(try county.node.store.counts().issues == 0)

            // Back: sent once at the next attempt, whatever the rounds after.
            proxy.heal()
            let later = Timestamp(secondsSinceEpoch: Timestamp.now().secondsSinceEpoch + 31)
            #expect(try await bridge.deliverDue(now: later).sent == 1)
            #expect(try await bridge.deliverDue(now: later).sent == 0)
            #expect(try bridge.queueNew(now: later) == 0)
            #expect(try county.node.store.counts().issues == 1)
            let sent = try #require(try council.node.bridgeRecords.deliveries(to: relay.id, limit: 5).first)
            let reference = try #require(sent.reference)
            let countyIssue = try #require(EventID(reference))
            let countyReport = try #require(try county.node.store.issueState(countyIssue)?.report)
            #expect(countyReport.category == "pothole")
            #expect(countyReport.description.contains("\(council.node.config.node.url)/issues/\(issue.hex)"))
            #expect(!countyReport.description.contains("fay.resident"), "no consent: no contact details")
            let received = try #require(try council.node.store.issueState(issue)?.agencies[relay.id])
            #expect(received.status == .received && received.note?.contains(reference) == true)

            // The county answers on its own Open311; the council relays it, once, signed as the relay.
            _ = try county.node.act(
                .status(StatusBody(state: .inProgress, note: "Crew booked for Tuesday")),
                on: countyIssue,
                now: .now()
            )
            #expect(try await bridge.relayAnswers(now: .now()) == 1)
            #expect(try await bridge.relayAnswers(now: .now()) == 0)
            try await council.pushToPeers()
            try await town.police.pullFromPeers()
            try await town.syncMirror()
            for node in [council, town.police, town.mirror] {
                let part = try #require(try node.node.store.issueState(issue)?.agencies[relay.id], "\(node.url)")
                #expect(part.status == .inProgress, "\(node.url)")
                #expect(part.note?.contains("Relayed from Greenfield County Roads's Open311") == true)
                let page = try await WebClient(node: node).get("/issues/\(issue.hex)")
                #expect(
                    page.text.contains("Greenfield County Roads (not on CIX: reached by Open311 through council)"),
                    "\(node.url)"
                )
            }
            let status = try await CLI(data: council.node.directory.root.path).runAsync(["external", "--json"])
            #expect(status.status == 0, "\(status.stderr)")
            #expect(status.stdout.contains("\"state\":\"sent\"") && status.stdout.contains(reference))
        } catch {
            await stop()
            throw error
        }
        await stop()
    }

    @Test func aReportForATrustReachedByEmailIsMailedThroughTheRelay() async throws {
        let folder = TemporaryDirectory("bridge-mail")
        defer { folder.remove() }
        guard let relay = try await MailTests.relay(in: folder) else { return }
        let toml = """
            \(try relay.toml(nodeFolder: folder.url))

            [[external]]
            id = "parks-trust"
            name = "Greenfield Parks Trust"
            kind = "voluntary"
            categories = ["pothole"]
            area_file = "\(try Self.write(Self.square, "trust.geojson", in: folder))"
            email = "reports@parks-trust.example"
            """
        let council = try await LiveNode.start("council", kind: .council, in: folder, toml: toml)
        do {
            let issue = try Self.pothole(council)
            let bridge = Bridge(node: council.node)
            #expect(try bridge.queueNew(now: .now()) == 1)
            #expect(try await bridge.deliverDue(now: .now()).sent == 1)
            #expect(try await MailTests.mailRound(council).sent == 1)
            let mails = try await relay.waitForMessages(1)
            let mail = try #require(mails.first)
            #expect(mail.rcptTos == ["reports@parks-trust.example"])
            #expect(mail.subject.contains("Pothole swallowing bicycle wheels"))
            #expect(mail.text.contains("\(council.node.config.node.url)/issues/\(issue.hex)"))
            #expect(!mail.text.contains("fay.resident"), "no consent: no contact details")
            let trust = try #require(try council.node.externalBodies().first)
            let part = try #require(try council.node.store.issueState(issue)?.agencies[trust.id])
            #expect(part.note?.contains("by e-mail (reports@parks-trust.example)") == true)
            #expect(try await bridge.deliverDue(now: .now()).sent == 0)
            #expect(try await MailTests.mailRound(council).sent == 0, "mailed once")
            // A resident who agreed that the bodies handling it may contact them: their address goes too.
            var consenting = ReportSubmission(
                title: "Broken swing",
                category: "pothole",
                latitude: 52.21,
                longitude: 0.13
            )
            consenting.reporterEmail = "gil.agrees@residents.example"
            consenting.sharesContact = true
            _ = try council.node.intake.report(consenting, now: .now())
            #expect(try bridge.queueNew(now: .now()) == 1)
            #expect(try await bridge.deliverDue(now: .now()).sent == 1)
            #expect(try await MailTests.mailRound(council).sent == 1)
            let second = try #require(try await relay.waitForMessages(2).last)
            #expect(second.text.contains("The resident agreed that the bodies handling this may contact them"))
            #expect(second.text.contains("gil.agrees@residents.example"))
        } catch {
            await council.stop()
            await relay.stop()
            throw error
        }
        await council.stop()
        await relay.stop()
    }

    @Test func anExternalBodyWithoutOneWayToReachItStopsTheNodeNamingTheSetting() async throws {
        let folder = TemporaryDirectory("bridge-config")
        defer { folder.remove() }
        let directory = NodeDirectory(path: folder.file("council").path)
        _ = try LocalNode.create(
            in: directory,
            name: "Council",
            kind: .council,
            url: "https://127.0.0.1:1",
            listen: nil,
            now: .now()
        )
        let base = try String(contentsOf: directory.config, encoding: .utf8)
        let cases = [
            (
                "open311_url = \"https://x.example/v2\"\nemail = \"a@b.example\"",
                "give exactly one of open311_url and email"
            ),
            ("email = \"a@b.example\"", "email needs [mail]"),
            ("open311_url = \"http://x.example/v2\"\nopen311_api_key_file = \"k\"", "open311_url must be https://"),
            ("open311_url = \"https://x.example/v2\"", "open311_url needs open311_api_key_file"),
        ]
        for (lines, message) in cases {
            let toml = """
                \(base)
                [[external]]
                id = "roads"
                name = "Roads"
                kind = "county"
                categories = ["pothole"]
                area_file = "roads.geojson"
                \(lines)
                """
            try Data(toml.utf8).write(to: directory.config)
            let result = try await CLI(data: directory.root.path).runAsync(["external"])
            #expect(result.status == 1, "\(lines)")
            #expect(result.stderr.contains("[[external]] roads: \(message)"), "\(result.stderr)")
        }
    }
}
