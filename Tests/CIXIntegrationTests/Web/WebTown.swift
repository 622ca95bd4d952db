import AsyncHTTPClient
import CIXCanonicalJSON
import CIXCore
import CIXDemo
import CIXNode
import CIXRouting
import CIXTesting
import Foundation
import NIOCore
import NIOHTTP1

@testable import CIXFederation

/// Three real nodes on loopback: the council (an intake node that routes by
/// Greenfield's areas), the police, and a public mirror that pulls from both.
struct WebTown: Sendable {
    let folder: TemporaryDirectory
    let council: LiveNode
    let police: LiveNode
    let mirror: LiveNode

    static func start(_ label: String, councilName: String = "council") async throws -> WebTown {
        let folder = TemporaryDirectory(label)
        let council = try await LiveNode.start(councilName, kind: .council, in: folder)
        let police = try await LiveNode.start("police", kind: .police, in: folder)
        let mirror = try await LiveNode.start("mirror", kind: .mirror, in: folder)
        let town = WebTown(folder: folder, council: council, police: police, mirror: mirror)
        do {
            for (node, key) in [(council, "council"), (police, "police")] {
                guard let body = Greenfield.body(key) else { throw TestFailure("no Greenfield body \(key)") }
                try node.node.publishDescriptor(
                    now: .now(),
                    categories: body.categories,
                    area: .some(body.area.geoJSON)
                )
            }
            try await council.peer(with: [police])
            try await police.peer(with: [council])
            try await mirror.peer(with: [council, police])
        } catch {
            await town.stop()
            throw error
        }
        return town
    }

    func stop() async {
        for node in [council, police, mirror] { await node.stop() }
        folder.remove()
    }

    /// The mirror pulls everything from the council and the police.
    func syncMirror() async throws { try await mirror.pullFromPeers() }

    /// A report at a point the council and the north police neighbourhood both serve, routed to both,
    /// accepted by the police and put in progress.
    func reportAntisocialBehaviour(title: String, description: String = "", tags: [String] = []) async throws -> EventID
    {
        let report = try council.node.intake.report(
            ReportSubmission(
                title: title,
                description: description,
                category: "antisocial_behaviour",
                tags: tags,
                latitude: 52.228,
                longitude: 0.110
            ),
            now: .now()
        )
        try await council.pushToPeers()
        _ = try police.node.act(.accept(AcceptBody()), on: report.id, now: .now())
        _ = try police.node.act(
            .status(StatusBody(state: .inProgress, note: "Patrols increased")),
            on: report.id,
            now: .now()
        )
        try await police.pushToPeers()
        try await syncMirror()
        return report.id
    }
}

/// Plain HTTPS requests to one node, trusting only its certificate, with the response headers.
struct WebClient: Sendable {
    let url: String
    let caPEM: String

    init(node: LiveNode) {
        self.init(url: node.url, caPEM: node.caPEM)
    }

    init(url: String, caPEM: String) {
        self.url = url
        self.caPEM = caPEM
    }

    struct Answer: Sendable {
        let status: Int
        let headers: [(String, String)]
        let body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        func json() throws -> JSONValue { try JSONParser().parse(body) }
    }

    func request(
        _ method: HTTPMethod,
        _ path: String,
        headers: [(String, String)] = [],
        body: [UInt8] = []
    ) async throws -> Answer {
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: try PeerClient.configuration(caPEM: caPEM)
        )
        do {
            var request = HTTPClientRequest(url: url + path)
            request.method = method
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if !body.isEmpty { request.body = .bytes(ByteBuffer(bytes: body)) }
            let response = try await client.execute(request, timeout: .seconds(30))
            let bytes = try await response.body.collect(upTo: 64 << 20)
            let answer = Answer(
                status: Int(response.status.code),
                headers: response.headers.map { ($0.name, $0.value) },
                body: Array(bytes.readableBytesView)
            )
            try await client.shutdown()
            return answer
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    func get(_ path: String) async throws -> Answer { try await request(.GET, path) }

    /// Posts a url-encoded form.
    func post(_ path: String, _ fields: [(String, String)], headers: [(String, String)] = []) async throws -> Answer {
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await request(
            .POST,
            path,
            headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers,
            body: Array(body.utf8)
        )
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Loads a page with forms and returns its anti-forgery cookie and token.
    func formSession(_ path: String) async throws -> (cookie: String, token: String) {
        let page = try await get(path)
        guard let setCookie = page.header("set-cookie"), let cookie = setCookie.split(separator: ";").first,
            let range = page.text.range(of: "name=\"csrf\" value=\"")
        else { throw TestFailure("no form session on \(path)") }
        let token = page.text[range.upperBound...].prefix(64)
        return (String(cookie), String(token))
    }
}
