import CIXCanonicalJSON
import CIXCore
import CIXTesting
import Foundation
import Testing

@testable import CIXFederation

/// Set reconciliation's rules, from the committed vectors, both ways, and its refusals.
@Suite("Set reconciliation")
struct ReconciliationTests {
    static func vectors() throws -> JSONObject {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/vectors/reconcile.json")
        return try #require(try JSONParser().parse(try Data(contentsOf: file)).objectValue)
    }

    static func strings(_ value: JSONValue?) -> [String] { (value?.arrayValue ?? []).compactMap(\.stringValue) }

    @Test func fingerprintsMatchTheVectors() throws {
        let fingerprints = try Self.vectors()["fingerprints"]?.arrayValue ?? []
        #expect(fingerprints.count == 3)
        for vector in fingerprints {
            let ids = Self.strings(vector["ids"])
            #expect(Reconciliation.fingerprint(ids[...]) == vector["fingerprint"]?.stringValue)
        }
        #expect(Reconciliation.fingerprint([]) == "e3b0c44298fc1c149afbf4c8996fb924")
    }

    /// As the answerer: each vector request gets the vector response, byte for byte.
    /// As the asker: the same requests come out, and the same ids are found missing each way.
    @Test func anExchangeReproducesInBothDirections() throws {
        let exchange = try #require(try Self.vectors()["exchange"]?.objectValue)
        let answerer = Self.strings(exchange["answerer_ids"])
        let rounds = exchange["rounds"]?.arrayValue ?? []
        #expect(rounds.count >= 2)
        var asker = Reconciliation.Asker(holding: Self.strings(exchange["asker_ids"]))
        for round in rounds {
            let request = try #require(round["request"]).canonicalBytes()
            let response = try #require(round["response"]).canonicalBytes()
            let asked = try Reconciliation.parseRequest(request)
            let answers = Reconciliation.answer(asked, holding: answerer)
            #expect(try Reconciliation.response(answers).canonicalBytes() == response)
            let asking = asker.nextRequest()
            let next = try #require(asking)
            #expect(try Reconciliation.request(next).canonicalBytes() == request)
            asker.take(try Reconciliation.parseResponse(response, asked: next))
        }
        #expect(asker.nextRequest() == nil)
        #expect(asker.missingHere.sorted() == Self.strings(exchange["missing_here"]))
        #expect(asker.missingThere.sorted() == Self.strings(exchange["missing_there"]))
        #expect(asker.missingHere.count == 3 && asker.missingThere.count == 2)
    }

    /// Any two sets converge, however they differ: empty, disjoint, one inside the other, large.
    @Test(arguments: [(0, 0, 0), (0, 500, 0), (500, 0, 0), (2_000, 1_990, 7), (3_000, 3_000, 1_500), (40, 40, 40)])
    func anyTwoSetsFindExactlyTheirDifference(only answerer: Int, asker: Int, shared: Int) throws {
        func ids(_ label: String, _ count: Int) -> [String] {
            (0..<count).map { SHA256Hex.hash(Array("\(label)\($0)".utf8)) }
        }
        let common = ids("both", shared)
        let theirs = (common + ids("answerer", answerer)).sorted()
        let ours = (common + ids("asker", asker)).sorted()
        var side = Reconciliation.Asker(holding: ours)
        var rounds = 0
        while let asked = side.nextRequest() {
            rounds += 1
            // Through the wire format, as a real exchange goes.
            let request = try Reconciliation.parseRequest(try Reconciliation.request(asked).canonicalBytes())
            let response = try Reconciliation.response(Reconciliation.answer(request, holding: theirs)).canonicalBytes()
            side.take(try Reconciliation.parseResponse(response, asked: asked))
            #expect(rounds < 100)
        }
        #expect(Set(side.missingHere) == Set(theirs).subtracting(ours))
        #expect(Set(side.missingThere) == Set(ours).subtracting(theirs))
    }

    @Test func malformedRequestsAreRefusedWithTheRuleBroken() throws {
        let id = String(repeating: "ab", count: 32)
        let fingerprint = String(repeating: "0", count: 32)
        func range(_ extra: String = "") -> String {
            "{\"lower\":null,\"upper\":null,\"fingerprint\":\"\(fingerprint)\",\"count\":0\(extra)}"
        }
        let cases: [(String, String)] = [
            ("not json", "must be JSON"),
            ("{\"ranges\":[]}", "1 to 64 ranges"),
            ("{\"ranges\":[" + Array(repeating: range(), count: 65).joined(separator: ",") + "]}", "1 to 64 ranges"),
            (
                "{\"ranges\":[{\"lower\":\"\(id.uppercased())\",\"upper\":null,\"fingerprint\":\"\(fingerprint)\",\"count\":0}]}",
                "lower must be null or an event id"
            ),
            (
                "{\"ranges\":[{\"lower\":null,\"upper\":\"abc\",\"fingerprint\":\"\(fingerprint)\",\"count\":0}]}",
                "upper must be null or an event id"
            ),
            (
                "{\"ranges\":[{\"lower\":null,\"upper\":null,\"fingerprint\":\"xyz\",\"count\":0}]}",
                "fingerprint (32 lower-case hex digits)"
            ),
            (
                "{\"ranges\":[{\"lower\":null,\"upper\":null,\"fingerprint\":\"\(fingerprint)\",\"count\":-1}]}",
                "count (a whole number)"
            ),
            (
                "{\"ranges\":[{\"lower\":null,\"upper\":null,\"fingerprint\":\"\(fingerprint)\",\"count\":1.5}]}",
                "count (a whole number)"
            ),
            ("{\"ranges\":[[[[[1]]]]]}", "must be JSON"),
            (String(repeating: " ", count: Reconciliation.maxRequestBytes + 1), "at most 65536 bytes"),
        ]
        for (body, rule) in cases {
            #expect { try Reconciliation.parseRequest(Array(body.utf8)) } throws: { error in
                "\(error)".contains(rule)
            }
        }
        // A range whose bounds are the wrong way round holds nothing: answered, not refused.
        let backwards =
            "{\"ranges\":[{\"lower\":\"\(id)\",\"upper\":\"\(String(repeating: "00", count: 32))\",\"fingerprint\":\"e3b0c44298fc1c149afbf4c8996fb924\",\"count\":0}]}"
        let asked = try Reconciliation.parseRequest(Array(backwards.utf8))
        #expect(Reconciliation.answer(asked, holding: [id]) == [.same(asked[0].range)])
    }

    @Test func answersThatDoNotFitTheQuestionAreRefused() throws {
        let asked = [Reconciliation.Summary(.all, of: [])]
        let lower = String(repeating: "11", count: 32)
        for (body, rule) in [
            ("{\"answers\":[]}", "one answer per range"),
            ("{\"answers\":[{\"lower\":\"\(lower)\",\"upper\":null,\"result\":\"same\"}]}", "not asked for"),
            ("{\"answers\":[{\"lower\":null,\"upper\":null,\"result\":\"maybe\"}]}", "same, ids or split"),
            ("{\"answers\":[{\"lower\":null,\"upper\":null,\"result\":\"split\",\"parts\":[]}]}", "16 parts"),
        ] {
            #expect { try Reconciliation.parseResponse(Array(body.utf8), asked: asked) } throws: { error in
                "\(error)".contains(rule)
            }
        }
    }
}
