import CIXCanonicalJSON
import CIXCore
import CIXDemo
import CIXFederation
import CIXNode
import CIXTesting
import Foundation
import GRDB
import Testing

/// What Open311 clients send beyond a plain form: photos (uploaded or by
/// `media_url`), comma lists, and updates from a body that has declined.
@Suite("Open311 photos, lists and declined bodies", .serialized)
struct Open311IntakeTests {
    static let point = [("lat", "52.205"), ("long", "0.125")]

    /// A council serving its Greenfield categories, fetching photos under `policy` (nil: not at all).
    func withCouncil(
        fetching policy: AddressPolicy?,
        replies: [String: PhotoHost.Reply] = [:],
        _ body: (LiveNode, String, PhotoHost) async throws -> Void
    ) async throws {
        let folder = TemporaryDirectory("open311-intake")
        defer { folder.remove() }
        let host = try await PhotoHost.start(replies)
        let (council, key) = try await LiveNode.greenfieldCouncil(in: folder) { settings in
            // A generous deadline: the whole test suite runs in parallel on two cores.
            settings.mediaFetcher = policy.map {
                MediaFetcher(addresses: $0, caPEM: host.caPEM, deadline: .seconds(120))
            }
        }
        do {
            try await body(council, key, host)
        } catch {
            await council.stop()
            await host.stop()
            throw error
        }
        await council.stop()
        await host.stop()
    }

    /// Events and attachments held: what "nothing stored" is checked against.
    func held(_ council: LiveNode) throws -> (events: Int, attachments: Int) {
        let attachments = try DatabaseQueue(path: council.node.directory.store.path).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attachment") ?? 0
        }
        return (try council.node.store.counts().events, attachments)
    }

    func report(_ council: LiveNode, key: String, _ extra: [(String, String)]) async throws -> WebClient.Answer {
        try await WebClient(node: council).post(
            "/open311/v2/requests.xml",
            [("api_key", key), ("service_code", "WS-002"), ("description", "Overflowing litter bin")] + Self.point
                + extra
        )
    }

    @Test func mediaURLsAreFetchedOnceAndOnlyWhenSafe() async throws {
        let photo = try PhotoSamples.jpegWithGPS()
        let replies: [String: PhotoHost.Reply] = [
            "/ok.jpeg": .init(headers: [("Content-Type", "image/jpeg")], body: photo),
            "/moved.jpeg": .init(status: 302, headers: [("Location", "https://10.0.0.1/inside.jpeg")], body: []),
            "/page.jpeg": .init(headers: [("Content-Type", "text/html")], body: Array("<html>hello</html>".utf8)),
            "/bomb.png": .init(headers: [("Content-Type", "image/png")], body: try PhotoSamples.pngBomb()),
            "/huge.jpeg": .init(body: [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0, count: 11 << 20)),
        ]
        try await withCouncil(fetching: .anyAddress, replies: replies) {
            council,
            key,
            host in
            // A photo by URL is fetched once and kept without its metadata.
            let good = try await report(council, key: key, [("media_url", "\(host.base)/ok.jpeg")])
            #expect(good.status == 200, "\(String(decoding: good.body, as: UTF8.self))")
            #expect(host.requests(for: "/ok.jpeg") == 1)
            let id = try #require(XMLTree.parse(good.body)?.child("request")?.value("service_request_id"))
            let issue = try #require(EventID(id))
            let state = try #require(try council.node.store.issueState(issue))
            #expect(state.report?.attachments.count == 1)
            // Unsafe or unusable ones are refused with a clear error, and nothing is stored.
            let before = try held(council)
            for (path, says) in [
                ("/moved.jpeg", "redirects to https://10.0.0.1/inside.jpeg"),
                ("/page.jpeg", "is not a JPEG or PNG image"), ("/huge.jpeg", "a photo may be at most 10 MiB"),
                ("/bomb.png", "The photo could not be used"),
            ] {
                let refused = try await report(council, key: key, [("media_url", host.base + path)])
                let message = XMLTree.parse(refused.body)?.child("error")?.value("description") ?? ""
                #expect(refused.status == 400 && message.contains(says), "\(path): \(refused.status) \(message)")
                #expect(try held(council) == before, "\(path) stored something")
            }
            let plain = try await report(council, key: key, [("media_url", "http://127.0.0.1:\(host.port)/ok.jpeg")])
            #expect(plain.status == 400)
            #expect(try held(council) == before)
            // A photo that cannot be reached now leaves the report in, and says so.
            let gone = try await report(council, key: key, [("media_url", "\(host.base)/missing.jpeg")])
            #expect(gone.status == 200)
            let notice = XMLTree.parse(gone.body)?.child("request")?.value("service_notice") ?? ""
            #expect(notice.contains("The photo was not attached") && notice.contains("HTTP 404"), "\(notice)")
        }
    }

    @Test func aMediaURLAtAPrivateAddressIsRefusedByDefault() async throws {
        let photo = try PhotoSamples.jpegWithGPS()
        try await withCouncil(
            fetching: .publicOnly,
            replies: ["/ok.jpeg": .init(body: photo)]
        ) { council, key, host in
            let before = try held(council)
            for url in ["\(host.base)/ok.jpeg", "https://localhost:\(host.port)/ok.jpeg"] {
                let refused = try await report(council, key: key, [("media_url", url)])
                let message = XMLTree.parse(refused.body)?.child("error")?.value("description") ?? ""
                #expect(refused.status == 400 && message.contains("not a public address"), "\(message)")
            }
            #expect(host.requests(for: "/ok.jpeg") == 0)
            #expect(try held(council) == before)
        }
    }

    @Test func multipartPostsCarryPhotosAndAreBounded() async throws {
        try await withCouncil(fetching: nil) { council, key, _ in
            let client = WebClient(node: council)
            func multipart(_ fields: [(String, String)], file: (String, [UInt8])?) -> [UInt8] {
                var body: [UInt8] = []
                for (name, value) in fields {
                    body += Array(
                        "--b0undary\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8
                    )
                }
                if let (name, bytes) = file {
                    body += Array(
                        "--b0undary\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"p.jpeg\"\r\nContent-Type: image/jpeg\r\n\r\n"
                            .utf8
                    )
                    body += bytes + Array("\r\n".utf8)
                }
                return body + Array("--b0undary--\r\n".utf8)
            }
            let fields = [("api_key", key), ("service_code", "WS-002"), ("description", "Bin\r\nfull")] + Self.point
            let headers = [("Content-Type", "multipart/form-data; boundary=b0undary")]
            let posted = try await client.request(
                .POST,
                "/open311/v2/requests.json",
                headers: headers,
                body: multipart(fields, file: ("media", try PhotoSamples.jpegWithGPS()))
            )
            #expect(posted.status == 200, "\(String(decoding: posted.body, as: UTF8.self))")
            let id = try #require(try posted.json().arrayValue?.first?.objectValue?["service_request_id"]?.stringValue)
            let issue = try #require(EventID(id))
            let state = try #require(try council.node.store.issueState(issue))
            #expect(state.report?.attachments.count == 1 && state.report?.description == "Bin\nfull")
            let before = try held(council)
            let notPhoto = try await client.request(
                .POST,
                "/open311/v2/requests.json",
                headers: headers,
                body: multipart(fields, file: ("media", Array("GIF89a not a photo".utf8)))
            )
            #expect(notPhoto.status == 400)
            let huge = try await client.request(
                .POST,
                "/open311/v2/requests.json",
                headers: headers,
                body: multipart(fields, file: ("media", [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 1, count: 11 << 20)))
            )
            #expect(huge.status == 413, "\(String(decoding: huge.body, as: UTF8.self))")
            let json = try await client.request(
                .POST,
                "/open311/v2/requests.json",
                headers: [("Content-Type", "application/json")],
                body: Array("{}".utf8)
            )
            #expect(json.status == 415)
            #expect(try held(council) == before)
        }
    }

    @Test func commaListsFilterRequests() async throws {
        try await withCouncil(fetching: nil) { council, key, _ in
            let client = WebClient(node: council)
            for code in ["WS-002", "WS-003"] {
                let extra = code == "WS-003" ? [("attribute[bin_type]", "food")] : []
                let posted = try await client.post(
                    "/open311/v2/requests.json",
                    [("api_key", key), ("service_code", code), ("description", "Missed")] + Self.point + extra
                )
                #expect(posted.status == 200)
            }
            func count(_ query: String) async throws -> Int? {
                try await client.get("/open311/v2/requests.json?\(query)").json().arrayValue?.count
            }
            #expect(try await count("service_code=WS-002,WS-003") == 2)
            #expect(try await count("service_code=WS-002%2CWS-003&status=open,closed") == 2)
            #expect(try await count("service_code=WS-003&status=open") == 1)
            #expect(try await count("status=closed") == 0)
            #expect(try await client.get("/open311/v2/requests.json?status=open,later").status == 400)
            #expect(try await client.get("/open311/v2/requests.json?service_code=WS-002,NOPE").status == 404)
        }
    }

    @Test func aBodyThatDeclinedTakesTheReportBackByAnsweringOnIt() async throws {
        try await withCouncil(fetching: nil) { council, key, _ in
            let client = WebClient(node: council)
            let start = Timestamp(secondsSinceEpoch: Timestamp.now().secondsSinceEpoch - 60)
            let posted = try await client.post(
                "/open311/v2/requests.json",
                [("api_key", key), ("service_code", "WS-002"), ("description", "Overflowing")] + Self.point
            )
            let id = try #require(try posted.json().arrayValue?.first?.objectValue?["service_request_id"]?.stringValue)
            let issue = try #require(EventID(id))
            func update(_ number: String, _ status: String) async throws -> String? {
                let answer = try await client.post(
                    "/open311/v2/servicerequestupdates.json",
                    [
                        ("api_key", key), ("service_request_id", id), ("update_id", number), ("status", status),
                        ("description", "Update \(number)\r\nsecond line"),
                    ]
                )
                #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
                return try answer.json().arrayValue?.first?.objectValue?["update_id"]?.stringValue
            }
            let declined = try await update("1", "NOT_COUNCILS_RESPONSIBILITY")
            #expect(try council.node.store.issueState(issue)?.agencies[council.id]?.role == .declined)
            // Declining again changes nothing and answers with the first decline.
            let events = try council.node.store.counts().events
            #expect(try await update("2", "NOT_COUNCILS_RESPONSIBILITY") == declined)
            #expect(try council.node.store.counts().events == events)
            // Any other status takes it back: the part is accepted again and has that status.
            let closed = try await update("3", "CLOSED")
            let part = try #require(try council.node.store.issueState(issue)?.agencies[council.id])
            #expect(part.role == .accepted && part.status == .closed && part.note == "Update 3\nsecond line")
            // Every update served had an effect; the statuses are those posted.
            let end = Timestamp(secondsSinceEpoch: Timestamp.now().secondsSinceEpoch + 60)
            let served =
                try await client.get(
                    "/open311/v2/servicerequestupdates.json?start_date=\(start)&end_date=\(end)"
                ).json().arrayValue?.compactMap(\.objectValue) ?? []
            let statuses = Dictionary(
                served.compactMap { item in
                    item["update_id"]?.stringValue.map { ($0, item["status"]?.stringValue ?? "") }
                },
                uniquingKeysWith: { first, _ in first }
            )
            #expect(statuses[declined ?? ""] == "NOT_COUNCILS_RESPONSIBILITY")
            #expect(statuses[closed ?? ""] == "CLOSED")
            #expect(served.count == 3, "decline, the accept that took it back, and the status: \(served)")
            let state = try #require(try council.node.store.issueState(issue))
            for item in served {
                let event = try #require(item["update_id"]?.stringValue.flatMap { EventID($0) })
                #expect(state.timeline.contains { $0.event == event && $0.effect == .applied })
            }
        }
    }

    @Test func anAnswerTheFoldRejectedIsNeverServed() async throws {
        try await withCouncil(fetching: nil) { council, _, _ in
            let start = Timestamp(secondsSinceEpoch: Timestamp.now().secondsSinceEpoch - 60)
            var factory = EventFactory(start: Timestamp(secondsSinceEpoch: Timestamp.now().secondsSinceEpoch - 30))
            let report = factory.report(by: FixedKeys.police, title: "Needles by the playground", category: "needles")
            // A node that is no agency of the issue sets "its" status: kept, shown, without effect…
            let stray = factory.event(
                .status(StatusBody(state: .fixed, note: "Sorted")),
                by: FixedKeys.stranger,
                on: report.id,
                after: [report]
            )
            // …while the origin's own status applies.
            let own = factory.event(
                .status(StatusBody(state: .inProgress, note: "Clearing today")),
                by: FixedKeys.police,
                on: report.id,
                after: [report]
            )
            _ = try council.node.store.ingestNow([report, stray, own], source: "import", now: .now())
            let state = try #require(try council.node.store.issueState(report.id))
            #expect(state.timeline.contains { $0.event == stray.id && $0.effect == .rejected })
            let end = Timestamp(secondsSinceEpoch: Timestamp.now().secondsSinceEpoch + 60)
            let served =
                try await WebClient(node: council).get(
                    "/open311/v2/servicerequestupdates.json?start_date=\(start)&end_date=\(end)"
                ).json().arrayValue?.compactMap { $0.objectValue?["update_id"]?.stringValue } ?? []
            #expect(served == [own.id.hex])
        }
    }
}
