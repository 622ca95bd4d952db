import AsyncHTTPClient
import CIXCanonicalJSON
import CIXCore
import CIXFederation
import Foundation
import NIOCore
import NIOHTTP1

/// A body's own Open311 (GeoReport v2) endpoint, as a client: posts a report
/// and reads the answers it gives (mySociety's `servicerequestupdates`). Only
/// `https`, only addresses the node's `AddressPolicy` allows, no redirects,
/// answers of at most 1 MiB, within 30 s.
package struct Open311Endpoint: Sendable {
    package let base: String
    package let apiKey: String
    package let jurisdiction: String?
    package let caPEM: String?
    package let addresses: AddressPolicy

    static let maxAnswerBytes = 1 << 20
    static let deadline = TimeAmount.seconds(30)

    package init(base: String, apiKey: String, jurisdiction: String?, caPEM: String?, addresses: AddressPolicy) {
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.apiKey = apiKey
        self.jurisdiction = jurisdiction
        self.caPEM = caPEM
        self.addresses = addresses
    }

    /// One answer a body gave on a request it holds.
    package struct Answer: Sendable, Equatable {
        package let id: String
        package let request: String
        package let status: String
        package let description: String
    }

    /// Posts a report (`POST requests.json`); returns the body's `service_request_id`.
    package func submit(_ fields: [(String, String)]) async throws(BridgeError) -> String {
        let all = [("api_key", apiKey)] + (jurisdiction.map { [("jurisdiction_id", $0)] } ?? []) + fields
        let body = all.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
        let answer = try await send(
            "\(base)/requests.json",
            method: .POST,
            body: Array(body.utf8),
            contentType: "application/x-www-form-urlencoded"
        )
        guard let first = answer.arrayValue?.first?.objectValue else {
            throw .refused("the Open311 endpoint's answer is not a list of requests")
        }
        if let id = first["service_request_id"].flatMap(Self.text) { return id }
        if let token = first["token"].flatMap(Self.text) { return "token:\(token)" }
        let problem = first["description"]?.stringValue ?? "no service_request_id"
        throw .refused("the Open311 endpoint took no request: \(problem)")
    }

    /// The answers given between `start` and `end` (`GET servicerequestupdates.json`).
    package func answers(from start: Timestamp, to end: Timestamp) async throws(BridgeError) -> [Answer] {
        var query = "api_key=\(Self.escape(apiKey))&start_date=\(start)&end_date=\(end)"
        if let jurisdiction { query += "&jurisdiction_id=\(Self.escape(jurisdiction))" }
        let answer = try await send("\(base)/servicerequestupdates.json?\(query)", method: .GET)
        guard let items = answer.arrayValue else {
            throw .refused("the Open311 endpoint's updates are not a list")
        }
        return items.compactMap { item in
            guard let object = item.objectValue, let id = object["update_id"].flatMap(Self.text),
                let request = object["service_request_id"].flatMap(Self.text)
            else { return nil }
            return Answer(
                id: id,
                request: request,
                status: (object["status"]?.stringValue ?? "").uppercased(),
                description: object["description"]?.stringValue ?? ""
            )
        }
    }

    func send(
        _ url: String,
        method: HTTPMethod,
        body: [UInt8] = [],
        contentType: String? = nil
    ) async throws(BridgeError) -> JSONValue {
        do {
            try addresses.check(url)
        } catch {
            throw .refused("\(url): \(error.message)")
        }
        let client: HTTPClient
        do {
            var configuration = try PeerClient.configuration(caPEM: caPEM)
            configuration.timeout = .init(connect: .seconds(5), read: Self.deadline)
            client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        } catch {
            throw .refused("the Open311 CA file is not usable: \(error)")
        }
        defer { client.shutdown { _ in } }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let contentType {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let status: HTTPResponseStatus
        let bytes: [UInt8]
        do {
            let response = try await client.execute(request, timeout: Self.deadline)
            status = response.status
            let buffer = try await response.body.collect(upTo: Self.maxAnswerBytes)
            bytes = Array(buffer.readableBytesView)
        } catch {
            throw .retry("\(url) did not answer: \(error)")
        }
        switch status.code {
        case 200..<300: break
        case 429, 500..<600: throw .retry("\(url) answered \(status.code)")
        default:
            let said = String(decoding: bytes.prefix(300), as: UTF8.self)
            throw .refused("\(url) answered \(status.code): \(said)")
        }
        do {
            return try JSONParser(limits: .init(maxDepth: 8, maxBytes: Self.maxAnswerBytes)).parse(bytes)
        } catch {
            throw .refused("\(url) answered with something that is not JSON")
        }
    }

    /// A string, or a number written as one (some endpoints send ids as numbers).
    static func text(_ value: JSONValue) -> String? {
        if let string = value.stringValue { return string }
        return value.numberValue.map { String(Int64($0)) }
    }

    /// Form encoding (`application/x-www-form-urlencoded`): unreserved characters kept, the rest as %XX.
    static func escape(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                output += String(format: "%%%02X", byte)
            }
        }
        return output
    }
}
