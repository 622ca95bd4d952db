import CIXCanonicalJSON
import CIXCore
import CIXDemo
import CIXFederation
import CIXNode
import CIXStore
import CIXTesting
import Foundation
import Testing

/// FixMyStreet's own Open311 requests (`Tests/Fixtures/fixmystreet-open311`,
/// captured byte for byte from its Perl client) replayed over TLS against a
/// live council node, in XML and in JSON, for both HTTP library versions
/// (line breaks sent as `%0A` and as `%0D%0A`); and a generic client's.
@Suite("Open311 conformance: FixMyStreet's requests replayed", .serialized)
struct Open311ConformanceTests {
    static let captures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fixmystreet-open311")

    /// Ids the capture server gave, and the report whose id replaces each (by capture number).
    static let capturedIDs: [(String, String)] = [
        ("455d1a32456610bf0999d71476ba169ed7b7b21e94419d57748cdc2b423a7a82", "05"),
        ("3d8761f07e317575c9a2fe5eec843a36099487a0902ddc26bd3793f73b22e48f", "05"),
        ("9b9681d7f552fc8e28106998e394cf6392b42ac9632288a76ffdb0a818ebe0d2", "06"),
        ("96948a5a28491c37aa5e3613fa3dffa7a233c0bffad66cdd7dcbd38ee1024842", "06"),
        ("0f930f590f22030200b8bb005667653d81f4e2adf618ebf301297a802a83cbd1", "11"),
        ("74ebd7cf25c1043d6903a0db1c4fb4044758c36b90ec85c9d41022e5386cdeb5", "09"),
        ("362fbeafdf64b49f76f02aa6da9de93be9c8e4c9ba3424a79bbfd77782e21d5d", "09"),
        ("tok-74ebd7cf25c1043d", "09"), ("tok-362fbeafdf64b49f", "09"),
    ]

    /// The records of an answer, XML or JSON, as name → text.
    static func records(_ answer: RawHTTPS.Answer, json: Bool) throws -> [[String: String]] {
        if json {
            let value = try JSONParser().parse(answer.body)
            let items = value.arrayValue ?? [value]
            return items.compactMap(\.objectValue).map { object in
                var record: [String: String] = [:]
                for member in object.members {
                    switch member.value {
                    case .string(let text): record[member.name] = text
                    case .bool(let flag): record[member.name] = flag ? "true" : "false"
                    default: break
                    }
                }
                return record
            }
        }
        let tree = try #require(XMLTree.parse(answer.body), "not XML: \(answer.text)")
        // A single document (a service definition) is one record; a list is one per element.
        if tree.name == "service_definition" {
            return [Dictionary(tree.children.map { ($0.name, $0.text) }, uniquingKeysWith: { first, _ in first })]
        }
        return tree.children.map { element in
            Dictionary(element.children.map { ($0.name, $0.text) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// A capture made fit for this node: its key, port, ids, photo host and the time window of now;
    /// `.xml` paths turned into `.json` for the JSON pass; Content-Length corrected.
    static func adapt(
        _ capture: [UInt8],
        key: String,
        port: Int,
        photoPort: Int,
        ids: [String: String],
        json: Bool
    ) -> [UInt8] {
        let separator: [UInt8] = [13, 10, 13, 10]
        let end = capture.indices.first { capture[$0...].starts(with: separator) } ?? capture.count
        var head = String(decoding: capture[..<end], as: UTF8.self)
        var body = Array(capture[min(end + 4, capture.count)...])
        var replacements = [
            ("fms-test-key", key), ("127.0.0.1:28311", "127.0.0.1:\(port)"), ("localhost:28311", "127.0.0.1:\(port)"),
            ("https%3A%2F%2Fwww.fixmystreet.com%2Fphoto%2F", "https%3A%2F%2F127.0.0.1%3A\(photoPort)%2Fphoto%2F"),
        ]
        for (captured, number) in capturedIDs {
            if let id = ids[number] { replacements.append((captured, id)) }
        }
        for (old, new) in replacements {
            head = head.replacingOccurrences(of: old, with: new)
            body = replace(Array(old.utf8), with: Array(new.utf8), in: body)
        }
        // The date windows were fixed at capture time: move them to now, in the same form.
        let now = Timestamp.now().secondsSinceEpoch
        func stamp(_ seconds: Int64) -> String {
            Timestamp(secondsSinceEpoch: seconds).description.replacingOccurrences(of: ":", with: "%3A")
        }
        head = head.replacingOccurrences(
            of: "start_date=[0-9T%A-]+Z",
            with: "start_date=\(stamp(now - 3_600))",
            options: .regularExpression
        ).replacingOccurrences(
            of: "end_date=[0-9T%A-]+Z",
            with: "end_date=\(stamp(now + 60))",
            options: .regularExpression
        )
        var lines = head.components(separatedBy: "\r\n")
        if json { lines[0] = lines[0].replacingOccurrences(of: ".xml", with: ".json") }
        lines = lines.map { $0.lowercased().hasPrefix("content-length:") ? "Content-Length: \(body.count)" : $0 }
        return Array(lines.joined(separator: "\r\n").utf8) + separator + body
    }

    static func replace(_ old: [UInt8], with new: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        guard !old.isEmpty, bytes.count >= old.count else { return bytes }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == old[0], bytes[index...].starts(with: old) {
                result += new
                index += old.count
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }

    @Test(arguments: ["", "http-message-6.44"], [false, true])
    func fixMyStreetsWholeCycle(folder: String, json: Bool) async throws {
        let directory = TemporaryDirectory("open311-conformance")
        defer { directory.remove() }
        let photo = try PhotoSamples.jpegWithGPS()
        var replies: [String: PhotoHost.Reply] = [:]
        for path in ["1001.0", "1002.0", "1002.1", "c/5001.0"] {
            replies["/photo/\(path).full.jpeg"] = .init(headers: [("Content-Type", "image/jpeg")], body: photo)
        }
        let host = try await PhotoHost.start(replies)
        let (council, key) = try await LiveNode.greenfieldCouncil(in: directory) { settings in
            // A generous deadline: the whole test suite runs in parallel on two cores.
            settings.mediaFetcher = MediaFetcher(addresses: .anyAddress, caPEM: host.caPEM, deadline: .seconds(120))
        }
        do {
            try await replay(folder: folder, json: json, council: council, key: key, host: host)
        } catch {
            await council.stop()
            await host.stop()
            throw error
        }
        await council.stop()
        await host.stop()
    }

    /// Replays one folder's captures in order and checks every answer and what the council stored.
    func replay(folder: String, json: Bool, council: LiveNode, key: String, host: PhotoHost) async throws {
        let greenfield = try #require(Greenfield.body("council"))
        let files = try FileManager.default.contentsOfDirectory(
            at: Self.captures.appendingPathComponent(folder),
            includingPropertiesForKeys: nil
        ).filter { $0.pathExtension == "http" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        #expect(files.count == (folder.isEmpty ? 23 : 22))

        var ids: [String: String] = [:]
        var updateIDs: [String: String] = [:]
        var answers: [String: [[String: String]]] = [:]
        for file in files {
            let number = String(file.lastPathComponent.prefix(2))
            let request = Self.adapt(
                Array(try Data(contentsOf: file)),
                key: key,
                port: council.port,
                photoPort: host.port,
                ids: ids,
                json: json
            )
            let answer = try await RawHTTPS.exchange(request, port: council.port, caPEM: council.caPEM)
            let expected = number == "22" ? 404 : 200
            #expect(answer.status == expected, "\(folder)/\(file.lastPathComponent): \(answer.status) \(answer.text)")
            // 22 asks for a photo path this node does not serve: an Open311 error, in XML (the name says no format).
            let format = json && number != "22" ? "application/json" : "text/xml"
            #expect(answer.header("content-type")?.contains(format) == true, "\(number)")
            #expect(answer.header("content-type")?.lowercased().contains("charset=utf-8") == true)
            guard answer.status == 200 else { continue }
            let records = try Self.records(answer, json: json)
            answers[number] = records
            if ["05", "06", "07", "08", "09", "11", "23"].contains(number) {
                let id = try #require(records.first?["service_request_id"], "\(number): \(answer.text)")
                #expect(EventID(id) != nil)
                ids[number] = id
            }
            if ["14", "15", "16", "17", "18", "19", "20"].contains(number) {
                updateIDs[number] = try #require(records.first?["update_id"], "\(number): \(answer.text)")
            }
        }
        let store = council.node.store
        func state(_ number: String) throws -> IssueState {
            let id = try #require(ids[number].flatMap { EventID($0) })
            return try #require(try store.issueState(id))
        }
        // Services: the council's own, with the attributes FixMyStreet asks for.
        #expect(answers["01"]?.count == greenfield.categories.count)
        for (number, code) in [("02", "RD-001"), ("03", "WS-003"), ("04", "VH-001")] {
            #expect(answers[number]?.first?["service_code"] == code)
        }
        // 05: a multi-line description with LF only, the title from attribute[title], a photo fetched once
        // and cleaned of its metadata, contact details kept privately.
        let car = try state("05")
        #expect(car.report?.title == "Abandoned car")
        #expect(car.report?.description.contains("three weeks.\nBoth front tyres are flat.") == true)
        // The registration FixMyStreet sends as an attribute is personal data: masked, never published.
        #expect(car.report?.description.contains("registration: [registration removed]") == true)
        #expect(car.report?.description.contains("AB12 CDE") == false)
        #expect(car.report?.attachments.count == 1, "\(answers["05"]?.first?["service_notice"] ?? "")")
        #expect(host.requests(for: "/photo/1001.0.full.jpeg") == 1)
        let hash = try #require(car.report?.attachments.first?.hash)
        let stored = try #require(try store.attachment(hash))
        #expect(!PhotoSamples.contains(Array(stored.bytes), PhotoSamples.gpsText))
        #expect(try council.node.contact(forIssue: car.id)?.email == "ann@example.org")
        // 06: two media_url photos, and a non-ASCII dash kept.
        let tipping = try state("06")
        #expect(tipping.report?.attachments.count == 2)
        #expect(tipping.report?.description.contains("sofa dumped – one fridge") == true)
        // 07: not pinpointed: placed at the centre of the council's area, titled from the description.
        let light = try state("07")
        #expect(light.report?.title == "The light at the end of Station Road is out.")
        #expect((light.report?.location.accuracy ?? 0) > 0)
        // 08: a postcode only, and a one-word name.
        #expect(try state("08").report?.location.address == "GF1 2AB")
        #expect(try council.node.contact(forIssue: try state("08").id)?.name == "Dee")
        // 09 and 10: the token is the request's id.
        #expect(answers["10"]?.first?["service_request_id"] == ids["09"])
        // 11: multipart with the photo as a part.
        let bins = try state("11")
        #expect(bins.report?.attachments.count == 1)
        #expect(bins.report?.description.contains("bin_type: recycling\nclosest_address:") == true)
        #expect(bins.report?.title == "Bin not emptied")
        // 12 and 13: by ids, and the window of the last hour.
        #expect(Set(answers["12"]?.compactMap { $0["service_request_id"] } ?? []) == [ids["05"], ids["11"]])
        let window = Set(answers["13"]?.compactMap { $0["service_request_id"] } ?? [])
        #expect(Set(["05", "06", "07", "08", "09", "11"].compactMap { ids[$0] }).isSubset(of: window))
        // 14–20: each update took effect; a repeated update_id got the first update's id back.
        #expect(updateIDs["18"] == updateIDs["15"])
        #expect(car.agencies[council.id]?.status == .fixed)
        #expect(tipping.agencies[council.id]?.role == .declined)
        #expect(tipping.agencies[council.id]?.reason?.contains("privately owned.\n\nWe have passed") == true)
        #expect(bins.agencies[council.id]?.status == .closed)
        #expect(try state("09").agencies[council.id]?.status == .acknowledged)
        // No carriage return reached any signed text.
        for event in try store.events(after: 0, limit: 10_000) {
            #expect(!event.bytes.contains(13), "a CR in \(event.id)")
        }
        // 21: every update posted is served back with the status as posted, attributed to the council.
        let served = Dictionary(
            (answers["21"] ?? []).compactMap { record in record["update_id"].map { ($0, record) } },
            uniquingKeysWith: { first, _ in first }
        )
        for (number, status) in [
            ("14", "OPEN"), ("15", "FIXED"), ("16", "NOT_COUNCILS_RESPONSIBILITY"), ("17", "CLOSED"), ("19", "CLOSED"),
            ("20", "OPEN"),
        ] {
            let update = try #require(updateIDs[number].flatMap { served[$0] }, "update \(number) not served")
            #expect(update["status"] == status, "update \(number)")
            #expect(update["agency_name"] == "council" && update["agency_node"] == council.id.hex)
        }
    }
}
