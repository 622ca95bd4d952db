import AsyncHTTPClient
import CIXCanonicalJSON
import CIXCore
import CIXFederation
import Foundation
import NIOCore
import NIOHTTP1

/// Plain HTTPS requests to one node, trusting only its certificate, with the response headers.
package struct WebClient: Sendable {
    package let url: String
    package let caPEM: String

    package init(node: LiveNode) {
        self.init(url: node.url, caPEM: node.caPEM)
    }

    package init(url: String, caPEM: String) {
        self.url = url
        self.caPEM = caPEM
    }

    package struct Answer: Sendable {
        package let status: Int
        package let headers: [(String, String)]
        package let body: [UInt8]

        package var text: String { String(decoding: body, as: UTF8.self) }
        package func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        package func json() throws -> JSONValue { try JSONParser().parse(body) }
    }

    package func request(
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

    package func get(_ path: String, headers: [(String, String)] = []) async throws -> Answer {
        try await request(.GET, path, headers: headers)
    }

    /// Posts a url-encoded form.
    package func post(
        _ path: String,
        _ fields: [(String, String)],
        headers: [(String, String)] = []
    ) async throws -> Answer {
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await request(
            .POST,
            path,
            headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers,
            body: Array(body.utf8)
        )
    }

    package static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Loads a page with forms and returns its anti-forgery cookie and token.
    package func formSession(_ path: String) async throws -> (cookie: String, token: String) {
        let page = try await get(path)
        guard let setCookie = page.header("set-cookie"), let cookie = setCookie.split(separator: ";").first,
            let range = page.text.range(of: "name=\"csrf\" value=\"")
        else { throw TestFailure("no form session on \(path)") }
        let token = page.text[range.upperBound...].prefix(64)
        return (String(cookie), String(token))
    }
}
