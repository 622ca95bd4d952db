import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXNode
import CIXTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// No route answers a client's malformed request with a server fault, and no
/// answer carries the node's internal text.
@Suite("Malformed requests", .serialized)
struct MalformedRequestTests {
    struct Bad: Sendable, CustomStringConvertible {
        let family: String
        let method: HTTPRequest.Method
        let uri: String
        var headers: HTTPFields = [:]
        var body: [UInt8] = []
        /// Odd but answerable (search words are quoted; unknown parameters ignored): any status under 500 will do.
        var odd = false
        var description: String { "\(family): \(method) \(uri.prefix(80))" }
    }

    static let zeros = String(repeating: "0", count: 64)
    static let bad: [Bad] = [
        // Federation
        Bad(family: "federation", method: .get, uri: "/federation/v1/events?after=-1"),
        Bad(family: "federation", method: .get, uri: "/federation/v1/events?after=99999999999999999999999"),
        Bad(family: "federation", method: .get, uri: "/federation/v1/events?limit=0"),
        Bad(family: "federation", method: .get, uri: "/federation/v1/events?limit=5001"),
        Bad(family: "federation", method: .get, uri: "/federation/v1/events?limit=ten"),
        Bad(family: "federation", method: .get, uri: "/federation/v1/events/not-an-id"),
        Bad(family: "federation", method: .get, uri: "/federation/v1/events/\(zeros)"),
        Bad(
            family: "federation",
            method: .post,
            uri: "/federation/v1/events",
            body: Array("{\"not\":\"signed\"}\n".utf8)
        ),
        Bad(
            family: "federation",
            method: .post,
            uri: "/federation/v1/events",
            headers: [HTTPField.Name("Signature-Input")!: "cix=(garbage", HTTPField.Name("Signature")!: "cix=:AAAA:"],
            body: Array("x\n".utf8)
        ),
        Bad(
            family: "federation",
            method: .get,
            uri: "/federation/v1/events",
            headers: [
                HTTPField.Name("Signature-Input")!: "cix=(\"@method\");created=1;expires=2",
                HTTPField.Name("Signature")!: "cix=:!!:", HTTPField.Name("CIX-Node")!: zeros,
            ]
        ),
        Bad(
            family: "federation",
            method: .post,
            uri: "/federation/v1/events",
            body: Array(repeating: 0x41, count: (4 << 20) + 1)
        ),
        // Public read API and feeds
        Bad(family: "api", method: .get, uri: "/api/v1/issues?status=nonsense"),
        Bad(family: "api", method: .get, uri: "/api/v1/issues?bbox=1,2,3"),
        Bad(family: "api", method: .get, uri: "/api/v1/issues?bbox=181,10,-10,-10"),
        Bad(family: "api", method: .get, uri: "/api/v1/issues?page=-3&per_page=abc"),
        Bad(family: "api", method: .get, uri: "/api/v1/issues?sort=%00%ff", odd: true),
        Bad(family: "api", method: .get, uri: "/api/v1/issues/not-an-id"),
        Bad(family: "api", method: .get, uri: "/api/v1/issues/\(zeros)"),
        Bad(family: "api", method: .get, uri: "/api/v1/issues.csv?category=%E2%80%AE"),
        Bad(family: "api", method: .get, uri: "/api/v1/issues.geojson?bbox=nan,nan,nan,nan"),
        Bad(family: "feeds", method: .get, uri: "/feeds/issues.atom?q=%22%22%22*%20OR%20NEAR(", odd: true),
        Bad(family: "feeds", method: .get, uri: "/issues/\(zeros)/feed.atom"),
        // Pages and files
        Bad(family: "pages", method: .get, uri: "/issues?q=%22unbalanced", odd: true),
        Bad(family: "pages", method: .get, uri: "/issues/\(zeros)"),
        Bad(family: "pages", method: .get, uri: "/issues/<script>"),
        Bad(family: "pages", method: .get, uri: "/issues/\(zeros)/sent"),
        Bad(family: "pages", method: .get, uri: "/attachments/zz"),
        Bad(family: "pages", method: .get, uri: "/attachments/\(zeros)"),
        Bad(family: "pages", method: .get, uri: "/static/../../etc/passwd"),
        // Forms
        Bad(family: "forms", method: .post, uri: "/report", body: Array("title=x".utf8)),
        Bad(
            family: "forms",
            method: .post,
            uri: "/report",
            headers: [.contentType: "application/json"],
            body: Array("{}".utf8)
        ),
        Bad(
            family: "forms",
            method: .post,
            uri: "/report",
            headers: [.contentType: "multipart/form-data; boundary=x"],
            body: Array("--x\r\nbroken".utf8)
        ),
        Bad(family: "forms", method: .post, uri: "/issues/\(zeros)/confirm", body: Array("csrf=1".utf8)),
        Bad(family: "forms", method: .post, uri: "/issues/\(zeros)/dance", body: Array("csrf=1".utf8)),
        // Open311
        Bad(family: "open311", method: .get, uri: "/open311/v2/requests.xml?status=weird"),
        Bad(family: "open311", method: .get, uri: "/open311/v2/requests.json?start_date=yesterday"),
        Bad(family: "open311", method: .get, uri: "/open311/v2/services/unknown.json"),
        Bad(family: "open311", method: .get, uri: "/open311/v2/requests/not-an-id.json"),
        Bad(family: "open311", method: .get, uri: "/open311/v2/requests.yaml"),
        Bad(
            family: "open311",
            method: .get,
            uri: "/open311/v2/servicerequestupdates.json?start_date=2026-99-99T00:00:00Z"
        ),
        Bad(
            family: "open311",
            method: .post,
            uri: "/open311/v2/requests.json",
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: Array("service_code=RD-001".utf8)
        ),
        Bad(
            family: "open311",
            method: .post,
            uri: "/open311/v2/requests.json",
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: Array("api_key=wrong&service_code=%ZZ".utf8)
        ),
        Bad(
            family: "open311",
            method: .post,
            uri: "/open311/v2/servicerequestupdates.xml",
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: Array("api_key=&update_id=1".utf8)
        ),
    ]

    /// Text that would betray the node's insides.
    static let internalText = [
        "SQLite", "sqlite", "GRDB", "DatabaseError", "Swift.", "/work/", "/tmp/", "Fatal", "errno",
    ]

    @Test(arguments: bad)
    func isAClientFaultWithoutInternalText(_ request: Bad) async throws {
        let node = try InProcessNode.make("malformed")
        defer { node.remove() }
        try await node.test { client in
            let response = try await client.execute(
                uri: request.uri,
                method: request.method,
                headers: request.headers,
                body: request.body.isEmpty ? nil : ByteBuffer(bytes: request.body)
            )
            let status = Int(response.status.code)
            #expect(status < 500, "\(status): \(response.text.prefix(300))")
            if !request.odd { #expect(status >= 400, "\(status): accepted") }
            for text in Self.internalText { #expect(!response.text.contains(text), "answer leaks \(text)") }
        }
    }

    @Test func aKeyidThatIsNotAKeyIsInvalidKey() async throws {
        let node = try InProcessNode.make("invalid-key")
        defer { node.remove() }
        try await node.test { client in
            let key = SigningKey()
            var headers = HTTPFields()
            let signed = RequestSigner(node: NodeID(genesisKey: key.publicKey), key: key).headers(
                method: "GET",
                path: "/federation/v1/events",
                query: "",
                body: [],
                now: Timestamp.now().secondsSinceEpoch
            )
            for (name, value) in signed {
                // y = 2 names no point on the curve.
                headers[HTTPField.Name(name)!] = value.replacingOccurrences(
                    of: key.publicKey.hex,
                    with: "02" + String(repeating: "0", count: 62)
                )
            }
            let response = try await client.execute(uri: "/federation/v1/events", method: .get, headers: headers)
            #expect(response.status == .unauthorized)
            #expect(response.text.contains("invalid_key"), "\(response.text)")
        }
    }

    @Test func aBrokenStoreAnswers500WithARequestIDAndNoInternalText() async throws {
        let node = try InProcessNode.make("broken")
        defer { node.remove() }
        // A store whose peer table is gone: every signed pull fails inside the node, not because of the client.
        try node.node.backend.execute("DROP TABLE peer")
        try await node.test { client in
            let key = SigningKey()
            let signer = RequestSigner(node: NodeID(genesisKey: key.publicKey), key: key)
            var headers = HTTPFields()
            for (name, value) in signer.headers(
                method: "GET",
                path: "/federation/v1/events",
                query: "",
                body: [],
                now: Timestamp.now().secondsSinceEpoch
            ) {
                headers[HTTPField.Name(name)!] = value
            }
            let response = try await client.execute(uri: "/federation/v1/events", method: .get, headers: headers)
            #expect(response.status == .internalServerError)
            let body = try #require(try JSONParser().parse(Array(buffer: response.body)).objectValue)
            #expect(body["error"]?.stringValue == "internal")
            #expect(body["message"]?.stringValue?.contains("request id") == true)
            for text in Self.internalText + ["no such table", "peer"] {
                #expect(!response.text.contains(text), "answer leaks \(text)")
            }
        }
    }
}
