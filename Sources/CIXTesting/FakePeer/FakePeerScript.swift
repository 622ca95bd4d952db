import CIXCore
import CIXFederation
import Foundation
import Hummingbird

/// A request as the fake peer saw it, with its RFC 9421 signer if the signature verified.
package struct FakeRequest: Sendable {
    package let method: String
    package let path: String
    /// Without the leading "?".
    package let query: String
    package let headers: [(String, String)]
    package let body: [UInt8]
    /// The node whose valid signature the request carries (genesis keys only), or nil.
    package let signer: NodeID?

    /// The body's NDJSON lines.
    package var lines: [[UInt8]] { body.split(separator: 0x0A, omittingEmptySubsequences: true).map(Array.init) }
}

/// What the fake peer answers.
package struct FakeResponse: Sendable {
    package var status: Int
    package var contentType: String
    package var body: [UInt8]
    /// When set, the body is sent one byte at a time with this pause between bytes: a trickling peer.
    package var byteDelay: Duration?

    package init(status: Int, contentType: String = "application/json", body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    package static func json(_ body: [UInt8], status: Int = 200) -> FakeResponse {
        FakeResponse(status: status, body: body)
    }

    package static func ndjson(_ lines: [[UInt8]]) -> FakeResponse {
        FakeResponse(status: 200, contentType: "application/x-ndjson", body: lines.flatMap { $0 + [0x0A] })
    }
}

/// The fake peer's expectations and what arrived, shared by its request handlers.
actor FakePeerScript {
    struct Expectation: Sendable {
        let method: String
        let path: String
        let times: ClosedRange<Int>
        let answer: @Sendable (FakeRequest) async -> FakeResponse
        var seen = 0

        /// An exact path, or a prefix when the declared path ends in `*`.
        func matches(_ requested: String) -> Bool {
            path.hasSuffix("*") ? requested.hasPrefix(path.dropLast()) : requested == path
        }

        init(
            method: String,
            path: String,
            times: ClosedRange<Int>,
            answer: @escaping @Sendable (FakeRequest) async -> FakeResponse
        ) {
            self.method = method
            self.path = path
            self.times = times
            self.answer = answer
        }
    }

    var expectations: [Expectation] = []
    var received: [FakeRequest] = []
    var unexpected: [String] = []

    func add(_ expectation: Expectation) { expectations.append(expectation) }

    /// The answer for a request: the first expectation that matches and has room left, else 500 and a record.
    func answer(_ request: FakeRequest) async -> FakeResponse {
        received.append(request)
        guard
            let index = expectations.firstIndex(where: {
                $0.method == request.method && $0.matches(request.path) && $0.seen < $0.times.upperBound
            })
        else {
            unexpected.append("\(request.method) \(request.path)\(request.query.isEmpty ? "" : "?" + request.query)")
            return FakeResponse(status: 500, body: Array("{\"error\":\"unexpected request\"}".utf8))
        }
        expectations[index].seen += 1
        return await expectations[index].answer(request)
    }

    func problems() -> [String] {
        unexpected.map { "unexpected request \($0)" }
            + expectations.filter { $0.seen < $0.times.lowerBound }.map {
                "expected \($0.method) \($0.path) at least \($0.times.lowerBound) times, got \($0.seen)"
            }
    }
}

/// Collects each request and hands it to the script.
struct FakePeerResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let script: FakePeerScript

    func respond(to request: Request, context: Context) async throws -> Response {
        let body = Array(try await request.body.collect(upTo: 64 << 20).readableBytesView)
        let headers = request.headers.map { ($0.name.canonicalName, $0.value) }
        let query = request.uri.query ?? ""
        let verified = try? HTTPSignature.verify(
            .init(method: request.method.rawValue, path: request.uri.path, query: query, body: body),
            header: { name in headers.first { $0.0 == name }?.1 },
            now: Timestamp.now().secondsSinceEpoch
        )
        let signer = verified.flatMap { NodeID(genesisKey: $0.key) == $0.node ? $0.node : nil }
        let answer = await script.answer(
            FakeRequest(
                method: request.method.rawValue,
                path: request.uri.path,
                query: query,
                headers: headers,
                body: body,
                signer: signer
            )
        )
        guard let delay = answer.byteDelay else {
            return Response(
                status: .init(code: answer.status),
                headers: [.contentType: answer.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: answer.body))
            )
        }
        let bytes = answer.body
        return Response(
            status: .init(code: answer.status),
            headers: [.contentType: answer.contentType],
            body: ResponseBody(contentLength: bytes.count) { writer in
                for byte in bytes {
                    try await writer.write(ByteBuffer(bytes: [byte]))
                    try await Task.sleep(for: delay)
                }
                try await writer.finish(nil)
            }
        )
    }
}
