import CIXCanonicalJSON
import CIXCore
import CIXDemo
import CIXNode
import CIXOpen311
import CIXRouting
import CIXStore
import CIXTesting
import Foundation
import Testing

@testable import CIXFederation

@Suite("Open311 GeoReport v2", .serialized)
struct Open311Tests {
    struct Client {
        let node: LiveNode

        func get(_ path: String) async throws -> (status: Int, body: [UInt8]) {
            try await PeerClient.with(caPEM: node.caPEM, signer: nil) { client in
                try await client.raw(.GET, base: node.url, path: path, headers: [], body: [])
            }
        }

        func post(_ path: String, _ form: [(String, String)]) async throws -> (status: Int, body: [UInt8]) {
            let body = form.map { "\(WebClient.encode($0.0))=\(WebClient.encode($0.1))" }.joined(separator: "&")
            return try await PeerClient.with(caPEM: node.caPEM, signer: nil) { client in
                try await client.raw(
                    .POST,
                    base: node.url,
                    path: path,
                    headers: [("Content-Type", "application/x-www-form-urlencoded")],
                    body: Array(body.utf8)
                )
            }
        }

        func json(_ path: String) async throws -> JSONValue {
            try JSONParser().parse(try await get(path).body)
        }
    }

    func withCouncil(_ body: (LiveNode, String) async throws -> Void) async throws {
        let folder = TemporaryDirectory("open311")
        defer { folder.remove() }
        let (council, key) = try await LiveNode.greenfieldCouncil(in: folder)
        do {
            try await body(council, key)
        } catch {
            await council.stop()
            throw error
        }
        await council.stop()
    }

    @Test func discoveryServicesAndDefinitionsInBothFormats() async throws {
        try await withCouncil { council, _ in
            let client = Client(node: council)
            let discovery = try #require(XMLTree.parse(try await client.get("/open311/v2/discovery.xml").body))
            #expect(discovery.name == "discovery")
            #expect(
                discovery.child("endpoints")?.all("endpoint").first?.child("formats")?.all("format").map(\.text) == [
                    "text/xml", "application/json",
                ]
            )
            // The services are the council's own categories (no "drug dealing"); all=true lists the taxonomy.
            let services = try #require(XMLTree.parse(try await client.get("/open311/v2/services.xml").body))
            let served = try #require(Greenfield.body("council")).categories
            #expect(services.all("service").count == served.count && served.count < Taxonomy.categories.count)
            #expect(!services.all("service").contains { $0.value("service_name") == "Drug dealing" })
            let whole = try #require(XMLTree.parse(try await client.get("/open311/v2/services.xml?all=true").body))
            #expect(whole.all("service").count == Taxonomy.categories.count)
            #expect(whole.all("service").contains { $0.value("service_name") == "Drug dealing" })
            #expect(try await client.get("/open311/v2/services.xml?all=yes").status == 400)
            let pothole = try #require(whole.all("service").first { $0.value("service_code") == "RD-001" })
            #expect(
                pothole.value("service_name") == "Pothole" && pothole.value("metadata") == "true"
                    && pothole.value("type") == "realtime"
            )
            let json = try await client.json("/open311/v2/services.json")
            #expect(json.arrayValue?.count == served.count)
            let definition = try await client.json("/open311/v2/services/WS-003.json")
            let attributes = try #require(definition.objectValue?["attributes"]?.arrayValue)
            #expect(
                attributes.compactMap { $0.objectValue?["code"]?.stringValue } == ["property_reference", "bin_type"]
            )
            let xmlDefinition = try #require(
                XMLTree.parse(try await client.get("/open311/v2/services/WS-003.xml").body)
            )
            #expect(xmlDefinition.child("attributes")?.all("attribute").count == 2)
            // Unknown service: 404 in the spec's error format, in both formats.
            let missing = try await client.get("/open311/v2/services/NOPE.xml")
            #expect(missing.status == 404)
            #expect(XMLTree.parse(missing.body)?.child("error")?.value("code") == "404")
            let missingJSON = try await client.get("/open311/v2/services/NOPE.json")
            #expect(try JSONParser().parse(missingJSON.body).arrayValue?.first?.objectValue?["code"] == .number(404))
        }
    }

    @Test func postingRequestsChecksEveryParameter() async throws {
        try await withCouncil { council, key in
            let client = Client(node: council)
            let point = [("lat", "52.205"), ("long", "0.125")]
            #expect(
                try await client.post("/open311/v2/requests.json", [("service_code", "WS-002")] + point).status == 403
            )
            #expect(
                try await client.post(
                    "/open311/v2/requests.json",
                    [("api_key", "wrong"), ("service_code", "WS-002")] + point
                ).status == 403
            )
            #expect(try await client.post("/open311/v2/requests.json", [("api_key", key)] + point).status == 400)
            #expect(
                try await client.post(
                    "/open311/v2/requests.xml",
                    [("api_key", key), ("service_code", "ZZ-999")] + point
                ).status == 404
            )
            #expect(
                try await client.post(
                    "/open311/v2/requests.json",
                    [("api_key", key), ("service_code", "WS-002"), ("description", "<script>x</script>")] + point
                ).status == 400
            )
            #expect(
                try await client.post(
                    "/open311/v2/requests.json",
                    [
                        ("api_key", key), ("service_code", "WS-002"),
                        ("description", String(repeating: "a", count: 4_001)),
                    ] + point
                ).status == 400
            )
            #expect(
                try await client.post(
                    "/open311/v2/requests.json",
                    [("api_key", key), ("service_code", "WS-003")] + point
                ).status == 400
            )
            #expect(
                try await client.post("/open311/v2/requests.json", [("api_key", key), ("service_code", "WS-002")])
                    .status == 400
            )
            let created = try await client.post(
                "/open311/v2/requests.xml",
                [
                    ("api_key", key), ("service_code", "WS-002"), ("description", "Litter all along the towpath"),
                    ("email", "ann@example.org"), ("first_name", "Ann"), ("last_name", "Example"),
                    ("phone", "07700900123"),
                    ("device_id", "device-1"),
                ] + point
            )
            #expect(created.status == 200)
            let id = try #require(XMLTree.parse(created.body)?.child("request")?.value("service_request_id"))
            let issue = try #require(EventID(id))
            #expect(try council.node.contact(forIssue: issue)?.email == "ann@example.org")
            let event = try #require(try council.node.store.event(issue))
            #expect(!String(decoding: event.bytes, as: UTF8.self).contains("ann@example.org"))
            // Read back, as XML and JSON.
            let request = try #require(
                XMLTree.parse(try await client.get("/open311/v2/requests/\(id).xml").body)?.child("request")
            )
            #expect(request.value("status") == "open" && request.value("service_code") == "WS-002")
            #expect(request.value("agency_responsible") == "council: received")
            #expect(request.value("requested_datetime")?.hasSuffix("+00:00") == true)
            let list = try await client.json("/open311/v2/requests.json?service_code=WS-002&status=open")
            #expect(list.arrayValue?.compactMap { $0.objectValue?["service_request_id"]?.stringValue } == [id])
            #expect(try await client.json("/open311/v2/requests.json?status=closed").arrayValue?.isEmpty == true)
            #expect(
                try await client.get("/open311/v2/requests/\(String(repeating: "0", count: 64)).json").status == 404
            )
            #expect(try await client.get("/open311/v2/tokens/\(id).json").status == 200)
            #expect(try await client.get("/open311/v2/requests.json?start_date=yesterday").status == 400)
        }
    }

    @Test func fixMyStreetConversation() async throws {
        try await withCouncil { council, key in
            let client = Client(node: council)
            // FixMyStreet fetches the services, then posts with attributes and no pinpointed location…
            let services = try await client.json("/open311/v2/services.json")
            #expect(services.arrayValue?.contains { $0.objectValue?["service_code"]?.stringValue == "WS-003" } == true)
            let start = Timestamp(secondsSinceEpoch: Timestamp.now().secondsSinceEpoch - 60)
            let posted = try await client.post(
                "/open311/v2/requests.json",
                [
                    ("api_key", key), ("service_code", "WS-003"), ("address_id", "#NOTPINPOINTED#"),
                    ("address_string", "14 Mill Lane, Greenfield"),
                    ("description", "Bins not collected\n\nLocation: 14 Mill Lane\n\nReported via FixMyStreet"),
                    ("attribute[bin_type]", "recycling"), ("attribute[property_reference]", "100012345678"),
                    ("email", "resident@example.org"), ("first_name", "Sam"), ("last_name", "Resident"),
                ]
            )
            #expect(posted.status == 200, "\(String(decoding: posted.body, as: UTF8.self))")
            let id = try #require(
                try JSONParser().parse(posted.body).arrayValue?.first?.objectValue?["service_request_id"]?.stringValue
            )
            let issue = try #require(EventID(id))
            let state = try #require(try council.node.store.issueState(issue))
            #expect(state.report?.address == "14 Mill Lane, Greenfield")
            #expect(state.report?.description.contains("bin_type: recycling") == true)
            // …the council answers, FixMyStreet posts an update of its own, and polls the window.
            let update = [
                ("api_key", key), ("service_request_id", id), ("update_id", "fms-1"), ("status", "ACTION_SCHEDULED"),
                ("description", "Crew booked for Thursday"), ("updated_datetime", "2026-11-26T10:00:00+00:00"),
            ]
            let first = try await client.post("/open311/v2/servicerequestupdates.json", update)
            #expect(first.status == 200)
            let firstID = try JSONParser().parse(first.body).arrayValue?.first?.objectValue?["update_id"]?.stringValue
            // A client retrying the same update_id gets the first update's id back, and nothing new is signed.
            let events = try council.node.store.counts().events
            let repeated = try await client.post("/open311/v2/servicerequestupdates.xml", update)
            #expect(repeated.status == 200)
            #expect(
                firstID != nil && XMLTree.parse(repeated.body)?.child("request_update")?.value("update_id") == firstID
            )
            #expect(try council.node.store.counts().events == events)
            let end = Timestamp(secondsSinceEpoch: Timestamp.now().secondsSinceEpoch + 60)
            let updates = try await client.json(
                "/open311/v2/servicerequestupdates.json?start_date=\(start)&end_date=\(end)"
            )
            let statuses = updates.arrayValue?.compactMap { $0.objectValue } ?? []
            #expect(
                statuses.contains {
                    $0["status"]?.stringValue == "ACTION_SCHEDULED" && $0["service_request_id"]?.stringValue == id
                }
            )
            #expect(try council.node.store.issueState(issue)?.overall == .inProgress)
            let xml = try #require(
                XMLTree.parse(
                    try await client.get("/open311/v2/servicerequestupdates.xml?start_date=\(start)&end_date=\(end)")
                        .body
                )
            )
            #expect(xml.all("request_update").count == statuses.count)
        }
    }

    @Test func statusMappingsRoundTrip() {
        for status in AgencyStatus.allCases where status != .received && status != .notOurs {
            let extended = Open311Status.extended(status)
            #expect(Open311Status.extended.contains(extended))
            if case .status(let back)? = Open311Status.action(for: extended) {
                #expect(back == status || extended == "CLOSED")
            }
        }
        #expect(Open311Status.action(for: "NOT_COUNCILS_RESPONSIBILITY") == .decline)
        for status in Open311Status.extended { #expect(Open311Status.action(for: status) != nil, "\(status)") }
    }
}

@Suite("Open311 across the federation", .serialized)
struct Open311FederationTests {
    @Test func aReportPostedThroughOpen311ReachesThePoliceAndTheirAnswerFlowsBack() async throws {
        let folder = TemporaryDirectory("open311-fed")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        let police = try await LiveNode.start("police", kind: .police, in: folder)
        let mirror = try await LiveNode.start("mirror", kind: .mirror, in: folder)
        defer { Task { for node in [council, police, mirror] { await node.stop() } } }
        for (node, key) in [(council, "council"), (police, "police")] {
            let body = try #require(Greenfield.body(key))
            try node.node.publishDescriptor(now: .now(), categories: body.categories, area: .some(body.area.geoJSON))
        }
        for (node, others) in [(council, [police]), (police, [council]), (mirror, [council, police])] {
            try await node.peer(with: others)
        }
        let key = try council.node.addAPIKey(name: "FixMyStreet", now: .now()).key
        let start = Timestamp(secondsSinceEpoch: Timestamp.now().secondsSinceEpoch - 60)

        // Given a report of anti-social behaviour posted through Open311 to the council…
        let posted = try await Open311Tests.Client(node: council).post(
            "/open311/v2/requests.json",
            [
                ("api_key", key), ("service_code", "AS-001"), ("lat", "52.228"), ("long", "0.110"),
                ("description", "Group throwing fireworks at cars"), ("email", "witness@example.org"),
                ("first_name", "Wyn"),
            ]
        )
        #expect(posted.status == 200)
        let idText = try #require(
            try JSONParser().parse(posted.body).arrayValue?.first?.objectValue?["service_request_id"]?.stringValue
        )
        let id = try #require(EventID(idText))
        // …it is routed to the police, who answer over CIX…
        try await council.pushToPeers()
        #expect(try police.node.store.issueState(id)?.agencies[police.id] != nil)
        _ = try police.node.act(.status(StatusBody(state: .inProgress, note: "Patrol tonight")), on: id, now: .now())
        try await police.pushToPeers()
        try await mirror.pullFromPeers()

        // …and GET requests/{id} on the council and on the mirror shows both agencies and the police's status.
        for node in [council, mirror] {
            let request = try #require(
                XMLTree.parse(try await Open311Tests.Client(node: node).get("/open311/v2/requests/\(id.hex).xml").body)?
                    .child("request")
            )
            let responsible = try #require(request.value("agency_responsible"))
            #expect(responsible.contains("council: received") && responsible.contains("police: in_progress"))
            #expect(request.value("status") == "open")
        }
        let end = Timestamp(secondsSinceEpoch: Timestamp.now().secondsSinceEpoch + 60)
        let updates = try await Open311Tests.Client(node: council).json(
            "/open311/v2/servicerequestupdates.json?start_date=\(start)&end_date=\(end)"
        )
        // The police's answer is attributed to the police, and carries the report's state as a whole.
        #expect(
            updates.arrayValue?.contains {
                $0.objectValue?["status"]?.stringValue == "IN_PROGRESS"
                    && $0.objectValue?["description"]?.stringValue
                        == "police set its status to in progress: Patrol tonight"
                    && $0.objectValue?["agency_name"]?.stringValue == "police"
                    && $0.objectValue?["agency_node"]?.stringValue == police.id.hex
            } == true
        )
        // A police decline never reads as the council's: the council still holds the report, so it stays open.
        _ = try police.node.act(.decline(DeclineBody(reason: "Not a police matter")), on: id, now: .now())
        try await police.pushToPeers()
        let later = try await Open311Tests.Client(node: council).json(
            "/open311/v2/servicerequestupdates.json?start_date=\(start)&end_date=\(end)"
        )
        let decline = try #require(
            later.arrayValue?.compactMap(\.objectValue).first { $0["external_status_code"]?.stringValue == "decline" }
        )
        #expect(decline["status"]?.stringValue == "OPEN")
        #expect(decline["description"]?.stringValue == "police declined this report: Not a police matter")
        // A mirror takes no posts, and says what it does take.
        let refused = try await WebClient(node: mirror).post(
            "/open311/v2/requests.json",
            [("api_key", key), ("service_code", "AS-001")]
        )
        #expect(refused.status == 405 && refused.header("allow") == "GET, HEAD")
        // The witness's details never left the council.
        for node in [police, mirror] {
            #expect(try node.node.contact(forIssue: id) == nil)
            let everything = try node.node.store.events(after: 0, limit: 10_000).map {
                String(decoding: $0.bytes, as: UTF8.self)
            }.joined()
            #expect(!everything.contains("witness@example.org") && !everything.contains("Wyn"))
            let pages = try await Open311Tests.Client(node: node).get("/open311/v2/requests.xml")
            #expect(!String(decoding: pages.body, as: UTF8.self).contains("witness@example.org"))
        }
    }
}
