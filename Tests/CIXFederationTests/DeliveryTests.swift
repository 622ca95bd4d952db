import CIXCanonicalJSON
import CIXCore
import CIXTesting
import Foundation
import Testing

@testable import CIXFederation

@Suite("Delivery and limits")
struct DeliveryTests {
    @Test func tooManyRequestsGet429WithRetryAfter() async throws {
        let limiter = RateLimiter(perMinute: 60, burst: 3)
        var answers: [Int?] = []
        for _ in 0..<4 { answers.append(await limiter.admit("peer", now: 1_000)) }
        #expect(answers.prefix(3).allSatisfy { $0 == nil })
        #expect(answers[3] == 1)
        // A second later there is one token again; another requester has its own bucket.
        #expect(await limiter.admit("peer", now: 1_001) == nil)
        #expect(await limiter.admit("other", now: 1_000) == nil)
    }

    @Test func backoffDoublesWithJitterAndResetsOnSuccess() {
        var state = DeliveryState(base: 1, cap: 3_600)
        state.failed(at: 100, jitter: 0.999_999)
        #expect(state.nextAttempt > 100.99 && state.nextAttempt <= 101)
        state.failed(at: 200, jitter: 0)
        #expect(state.nextAttempt == 201)  // 2 s × 0.5
        for _ in 0..<30 { state.failed(at: 300, jitter: 0.5) }
        #expect(state.delay == 3_600)
        #expect(!state.isDue(at: 301))
        state.succeeded(at: 400)
        #expect(state.failures == 0 && state.isDue(at: 400))
    }
}

@Suite("RFC 9421 vectors")
struct HTTPSignatureVectorTests {
    @Test func vectorsReproduceAndVerify() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/vectors/http-signature.json")
        let root = try #require(try JSONParser().parse(Array(try Data(contentsOf: url))).objectValue)
        let vectors = try #require(root["valid"]?.arrayValue).compactMap(\.objectValue)
        #expect(vectors.count == 2)
        for vector in vectors {
            let body = Array((vector["body"]?.stringValue ?? "").utf8)
            let request = HTTPSignature.Request(
                method: vector["method"]?.stringValue ?? "",
                path: vector["path"]?.stringValue ?? "",
                query: vector["query"]?.stringValue ?? "",
                body: body
            )
            let created = Int64(vector["created"]?.numberValue ?? 0)
            let headers = HTTPSignature.sign(
                request,
                node: FixedKeys.council.id,
                key: FixedKeys.council.key,
                created: created,
                nonce: vector["nonce"]?.stringValue ?? ""
            )
            let expected = try #require(vector["headers"]?.objectValue)
            for (name, value) in headers { #expect(expected[name]?.stringValue == value, "\(name)") }
            let params = String((expected["Signature-Input"]?.stringValue ?? "").dropFirst(4))
            let base = HTTPSignature.base(
                request,
                digest: HTTPSignature.contentDigest(body),
                node: FixedKeys.council.id.hex,
                params: params
            )
            #expect(String(decoding: base, as: UTF8.self) == vector["signature_base"]?.stringValue)
            let verified = try HTTPSignature.verify(
                request,
                header: { name in
                    expected.members.first { $0.name.lowercased() == name }?.value.stringValue
                },
                now: created
            )
            #expect(verified.node == FixedKeys.council.id)
            #expect(throws: FederationError.self) {
                try HTTPSignature.verify(
                    request,
                    header: { name in expected.members.first { $0.name.lowercased() == name }?.value.stringValue },
                    now: created + 3_600
                )
            }
        }
    }
}
