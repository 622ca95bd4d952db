import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXNode
import CIXRouting
import CIXStore
import CIXTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

extension IntakeCase: CustomTestStringConvertible {
    package var testDescription: String { name }
}

/// The shared tables (`IntakeCase`, `AcceptanceCase`) through the HTTP
/// intakes: the residents' form, Open311, and a peer's push. Each must reach
/// the verdict the node layer reaches.
@Suite("Tables through HTTP", .serialized)
struct HTTPTableTests {
    static func encode(_ fields: [(String, String)]) -> [UInt8] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return Array(
            fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
                .joined(separator: "&").utf8
        )
    }

    /// Checks what the node holds after `row` was sent and answered `status`.
    func check(_ row: IntakeCase, status: Int, accepted: Int, node: LocalNode, answer: String) throws {
        let issues = try node.issues(limit: 10)
        if row.isAccepted {
            #expect(status == accepted, "\(status): \(answer.prefix(400))")
            let id = try #require(issues.first.flatMap { EventID($0.id) })
            let report = try #require(try node.store.issueState(id)?.report)
            #expect(report.title == row.storedTitle && report.description == row.storedDescription)
        } else {
            #expect((400..<500).contains(status), "\(status): refused for \(row.refusedFor ?? "")")
            #expect(issues.isEmpty, "nothing is stored when a report is refused")
        }
    }

    @Test(arguments: IntakeCase.all)
    func theResidentsFormJudges(_ row: IntakeCase) async throws {
        let node = try InProcessNode.make("form-table")
        defer { node.remove() }
        try await node.test { client in
            let page = try await client.execute(uri: "/report", method: .get)
            let cookie = try #require(page.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let token = try #require(
                page.text.range(of: "name=\"csrf\" value=\"").map { String(page.text[$0.upperBound...].prefix(64)) }
            )
            var fields = [
                ("csrf", token), ("title", row.title), ("description", row.description), ("category", row.category),
            ]
            if let lat = row.latitude, let lon = row.longitude { fields += [("lat", "\(lat)"), ("lon", "\(lon)")] }
            if let email = row.email { fields.append(("email", email)) }
            let response = try await client.execute(
                uri: "/report",
                method: .post,
                headers: [
                    .contentType: "application/x-www-form-urlencoded", .cookie: cookie, .origin: "https://localhost",
                ],
                body: ByteBuffer(bytes: Self.encode(fields))
            )
            try check(row, status: Int(response.status.code), accepted: 303, node: node.node, answer: response.text)
        }
    }

    @Test(arguments: IntakeCase.all)
    func open311Judges(_ row: IntakeCase) async throws {
        let node = try InProcessNode.make("open311-table")
        defer { node.remove() }
        let key = try node.node.addAPIKey(name: "FixMyStreet", now: .now()).key
        try await node.test { client in
            var fields = [
                ("api_key", key), ("service_code", Taxonomy.category(row.category)?.open311 ?? row.category),
                ("description", row.description),
            ]
            if let lat = row.latitude, let lon = row.longitude { fields += [("lat", "\(lat)"), ("long", "\(lon)")] }
            if let email = row.email { fields.append(("email", email)) }
            let response = try await client.execute(
                uri: "/open311/v2/requests.json",
                method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(bytes: Self.encode(fields))
            )
            try check(row, status: Int(response.status.code), accepted: 200, node: node.node, answer: response.text)
        }
    }

    @Test func aPeersPushIsJudgedLineByLine() async throws {
        let node = try InProcessNode.make("push-table")
        defer { node.remove() }
        let pusher = TestNode(name: "pusher", seedStart: 0xA0)
        try node.addPeer(pusher)
        let table = AcceptanceCase.table()
        let (headers, body) = InProcessNode.signedPush(table.map(\.bytes), as: pusher)
        try await node.test { client in
            let response = try await client.execute(
                uri: "/federation/v1/events",
                method: .post,
                headers: headers,
                body: body
            )
            #expect(response.status == .ok, "\(response.text.prefix(300))")
            let answer = try PushAnswer(json: Array(buffer: response.body))
            let codes = answer.results.map { result -> String in
                if case .rejected(let code, _) = result.outcome { return code }
                return result.word
            }
            #expect(codes == table.map(\.verdict))
        }
    }
}
