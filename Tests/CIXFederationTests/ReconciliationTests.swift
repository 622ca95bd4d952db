import CIXCanonicalJSON
import CIXCore
import CIXStore
import CIXTesting
import Foundation
import Testing

@testable import CIXFederation

/// Set reconciliation's rules, from the committed vectors, both ways, and its refusals.
@Suite("Set reconciliation")
struct ReconciliationTests {
    static func vectors(_ name: String = "reconcile.json") throws -> JSONObject {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/vectors/\(name)")
        return try #require(try JSONParser().parse(try Data(contentsOf: file)).objectValue)
    }

    static func strings(_ value: JSONValue?) -> [String] { (value?.arrayValue ?? []).compactMap(\.stringValue) }

    /// `count` ids made from `label`.
    static func ids(_ label: String, _ count: Int) -> [String] {
        (0..<count).map { SHA256Hex.hash(Array("\(label)\($0)".utf8)) }
    }

    @Test func fingerprintsMatchTheVectors() throws {
        let fingerprints = try Self.vectors()["fingerprints"]?.arrayValue ?? []
        #expect(fingerprints.count == 3)
        for vector in fingerprints {
            let ids = Self.strings(vector["ids"])
            #expect(Reconciliation.fingerprint(ids[...]) == vector["fingerprint"]?.stringValue)
        }
        #expect(Reconciliation.fingerprint([]) == "e3b0c44298fc1c149afbf4c8996fb924")
    }

    /// The `sum` fingerprints, each intermediate value checked on its own: the sum by byte-wise
    /// addition with carries (not `IDSum`'s words), the fingerprint by hashing the sum and count.
    @Test func sumFingerprintsMatchTheVectors() throws {
        let fingerprints = try Self.vectors("reconcile-sum.json")["fingerprints"]?.arrayValue ?? []
        #expect(fingerprints.count == 5)
        for vector in fingerprints {
            let ids = Self.strings(vector["ids"])
            var bytes = [UInt8](repeating: 0, count: 32)
            for id in ids {
                let value = try #require(Hex.decode(id, count: 32))
                var carry = 0
                for index in (0..<32).reversed() {
                    let total = Int(bytes[index]) + Int(value[index]) + carry
                    bytes[index] = UInt8(total & 0xFF)
                    carry = total >> 8
                }
            }
            #expect(Hex.encode(bytes) == vector["sum"]?.stringValue)
            #expect(vector["count"]?.numberValue == Double(ids.count))
            let count = (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(ids.count) >> (8 * $0)) }
            let expected = String(SHA256Hex.hash(bytes + count).prefix(32))
            #expect(expected == vector["fingerprint"]?.stringValue)
            #expect(Reconciliation.fingerprint(ids[...], scheme: .sum) == expected)
        }
        // The wrapping pair sums to zero: 2^256 - 1 + 1.
        #expect(fingerprints[3]["sum"]?.stringValue == String(repeating: "0", count: 64))
    }

    /// As the answerer: each vector request gets the vector response, byte for byte.
    /// As the asker: the same requests come out, and the same ids are found missing each way.
    @Test(arguments: [("reconcile.json", Reconciliation.Scheme.sha256), ("reconcile-sum.json", .sum)])
    func anExchangeReproducesInBothDirections(file: String, scheme: Reconciliation.Scheme) throws {
        let exchange = try #require(try Self.vectors(file)["exchange"]?.objectValue)
        let answerer = Self.strings(exchange["answerer_ids"])
        let rounds = exchange["rounds"]?.arrayValue ?? []
        #expect(rounds.count >= 2)
        var asker = Reconciliation.Asker(holding: Self.strings(exchange["asker_ids"]), scheme: scheme)
        for round in rounds {
            let request = try #require(round["request"]).canonicalBytes()
            let response = try #require(round["response"]).canonicalBytes()
            let asked = try Reconciliation.parseRequest(request)
            #expect(asked.scheme == scheme)
            let answers = Reconciliation.answer(asked.ranges, holding: answerer, scheme: asked.scheme)
            #expect(try Reconciliation.response(answers).canonicalBytes() == response)
            let asking = asker.nextRequest()
            let next = try #require(asking)
            #expect(try Reconciliation.request(next, scheme: scheme).canonicalBytes() == request)
            asker.take(try Reconciliation.parseResponse(response, asked: next))
        }
        #expect(asker.nextRequest() == nil)
        #expect(asker.missingHere.sorted() == Self.strings(exchange["missing_here"]))
        #expect(asker.missingThere.sorted() == Self.strings(exchange["missing_there"]))
        #expect(asker.missingHere.count == 3 && asker.missingThere.count == 2)
    }

    /// Any two sets converge, however they differ: empty, disjoint, one inside the other, large;
    /// by either scheme.
    @Test(arguments: [(0, 0, 0), (0, 500, 0), (500, 0, 0), (2_000, 1_990, 7), (3_000, 3_000, 1_500), (40, 40, 40)])
    func anyTwoSetsFindExactlyTheirDifference(only answerer: Int, asker: Int, shared: Int) throws {
        let common = Self.ids("both", shared)
        let theirs = (common + Self.ids("answerer", answerer)).sorted()
        let ours = (common + Self.ids("asker", asker)).sorted()
        for scheme in [Reconciliation.Scheme.sha256, .sum] {
            var side = Reconciliation.Asker(holding: ours, scheme: scheme)
            var rounds = 0
            while let asked = side.nextRequest() {
                rounds += 1
                // Through the wire format, as a real exchange goes.
                let request = try Reconciliation.parseRequest(
                    try Reconciliation.request(asked, scheme: scheme).canonicalBytes()
                )
                let answers = Reconciliation.answer(request.ranges, holding: theirs, scheme: request.scheme)
                let response = try Reconciliation.response(answers).canonicalBytes()
                side.take(try Reconciliation.parseResponse(response, asked: asked))
                #expect(rounds < 100)
            }
            #expect(Set(side.missingHere) == Set(theirs).subtracting(ours))
            #expect(Set(side.missingThere) == Set(ours).subtracting(theirs))
        }
    }

    /// An answerer that keeps sums answers every request exactly as one that reads every id: the same
    /// bytes, round after round, whether the kept sums settle, split or leave a range to a pass.
    @Test(arguments: [(0, 0, 9_000), (3, 1, 9_000), (700, 0, 6_000), (1, 4_500, 5_000)])
    func keptSumsAnswerAsAPassOverTheIDsDoes(only answerer: Int, asker: Int, shared: Int) throws {
        let common = Self.ids("kept both", shared)
        let theirs = (common + Self.ids("kept answerer", answerer)).sorted()
        let ours = (common + Self.ids("kept asker", asker)).sorted()
        let passing = Reconciliation.SortedIDs(theirs)
        let keeping = Reconciliation.SortedIDs(theirs, keepsSums: true)
        var side = Reconciliation.Asker(holding: Reconciliation.SortedIDs(ours, keepsSums: true), scheme: .sum)
        var splitsFromKeptSums = 0
        while let asked = side.nextRequest() {
            let byPass = Reconciliation.answer(asked, in: passing, scheme: .sum)
            for passUpTo in [Reconciliation.passUpTo, 64] {
                let byKept = Reconciliation.answer(asked, in: keeping, scheme: .sum, passUpTo: passUpTo)
                #expect(
                    try Reconciliation.response(byKept).canonicalBytes()
                        == Reconciliation.response(byPass).canonicalBytes()
                )
            }
            for summary in asked where summary.count > 64 {
                if case .split? = Reconciliation.keptAnswer(summary, in: keeping, passUpTo: 64) {
                    splitsFromKeptSums += 1
                }
            }
            side.take(byPass)
        }
        #expect(Set(side.missingHere) == Set(theirs).subtracting(ours))
        #expect(Set(side.missingThere) == Set(ours).subtracting(theirs))
        #expect(splitsFromKeptSums > 0 || theirs == ours)
    }

    /// Kept limb sums, as a store keeps them in 64-bit integers, add up to the sum of the ids; taking
    /// a sum away undoes adding it.
    @Test func limbSumsAndSubtractionAgreeWithAddingIDs() {
        let ids = (0..<5_000).map { SHA256Hex.hash(Array("limb \($0)".utf8)) } + [String(repeating: "f", count: 64)]
        var direct = IDSum()
        var limbs = [UInt128](repeating: 0, count: 8)
        for id in ids {
            direct.add(id: id)
            let utf8 = Array(id.utf8)
            for limb in 0..<8 {
                limbs[limb] += UInt128(
                    UInt32(String(decoding: utf8[(8 * limb)..<(8 * limb + 8)], as: UTF8.self), radix: 16)!
                )
            }
        }
        var kept = IDSum()
        for limb in 0..<8 { kept.add(limbSum: limbs[limb], limb: limb) }
        #expect(kept == direct)
        var part = IDSum()
        for id in ids.prefix(1_234) { part.add(id: id) }
        var rest = direct
        rest.subtract(part)
        var expected = IDSum()
        for id in ids.dropFirst(1_234) { expected.add(id: id) }
        #expect(rest == expected)
        rest.add(part)
        #expect(rest == direct)
    }

    @Test func malformedRequestsAreRefusedWithTheRuleBroken() throws {
        let id = String(repeating: "ab", count: 32)
        let other = String(repeating: "11", count: 32)
        let fingerprint = String(repeating: "0", count: 32)
        func range(_ extra: String = "") -> String {
            "{\"lower\":null,\"upper\":null,\"fingerprint\":\"\(fingerprint)\",\"count\":0\(extra)}"
        }
        let cases: [(String, String)] = [
            ("not json", "must be JSON"),
            ("{\"ranges\":[\(range())],\"scheme\":\"md5\"}", "scheme must be \"sha256\" or \"sum\""),
            ("{\"ranges\":[\(range())],\"scheme\":1}", "scheme must be \"sha256\" or \"sum\""),
            ("{\"ranges\":[\(range())],\"more\":1}", "and nothing else"),
            ("{\"ranges\":[\(range())],\"authors\":[]}", "authors must list 1 to 64 node ids"),
            ("{\"ranges\":[\(range())],\"authors\":\"\(id)\"}", "authors must list 1 to 64 node ids"),
            ("{\"ranges\":[\(range())],\"authors\":[\"\(id.uppercased())\"]}", "64 lower-case hex digits"),
            ("{\"ranges\":[\(range())],\"authors\":[\"\(id)\",\"\(id)\"]}", "none twice"),
            ("{\"ranges\":[\(range())],\"authors\":[\"\(id)\\n\"]}", "64 lower-case hex digits"),
            ("{\"ranges\":[\(range())],\"authors\":[\"\(id)\",1]}", "authors must list"),
            (
                "{\"ranges\":[\(range())],\"authors\":["
                    + (0..<65).map { "\"\(String(format: "%064x", $0))\"" }
                    .joined(separator: ",") + "]}",
                "authors must list 1 to 64 node ids"
            ),
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
        #expect(asked.scheme == .sha256)
        #expect(Reconciliation.answer(asked.ranges, holding: [id]) == [.same(asked.ranges[0].range)])
        let named = "{\"ranges\":[\(range())],\"scheme\":\"sum\"}"
        #expect(try Reconciliation.parseRequest(Array(named.utf8)).scheme == .sum)
        #expect(try Reconciliation.parseRequest(Array(named.utf8)).authors == nil)
        // In any order: read as a set.
        let narrowed = "{\"ranges\":[\(range())],\"authors\":[\"\(id)\",\"\(other)\"]}"
        #expect(try Reconciliation.parseRequest(Array(narrowed.utf8)).authors?.map(\.hex) == [other, id])
    }

    /// A set narrowed to some authors' events. As the answerer: each request's `authors` pick the
    /// events it answers from, and it gives the vector's response byte for byte. As the asker: its
    /// own events by those authors give the vector's requests, and it finds what the vector finds.
    @Test func anExchangeNarrowedToSomeAuthorsReproducesInBothDirections() throws {
        let vectors = try Self.vectors("reconcile-authors.json")
        let named = Self.strings(vectors["authors"])
        let exchange = try #require(vectors["exchange"]?.objectValue)
        func events(_ name: String) -> [(id: String, author: String)] {
            (exchange[name]?.arrayValue ?? []).compactMap { event in
                guard let id = event["id"]?.stringValue, let author = event["author"]?.stringValue else { return nil }
                return (id, author)
            }
        }
        let answerer = events("answerer_events")
        let ours = events("asker_events")
        #expect(Set(answerer.map(\.author)).count == 3 && named.count == 2 && named == named.sorted())
        let authors = named.compactMap(NodeID.init)
        var asker = Reconciliation.Asker(holding: ours.filter { named.contains($0.author) }.map(\.id), scheme: .sum)
        let rounds = exchange["rounds"]?.arrayValue ?? []
        #expect(rounds.count >= 2)
        for round in rounds {
            let request = try #require(round["request"]).canonicalBytes()
            let response = try #require(round["response"]).canonicalBytes()
            let asked = try Reconciliation.parseRequest(request)
            let narrowedTo = Set(asked.authors?.map(\.hex) ?? [])
            #expect(asked.scheme == .sum && narrowedTo == Set(named))
            let set = answerer.filter { narrowedTo.contains($0.author) }.map(\.id)
            let answers = Reconciliation.answer(asked.ranges, holding: set, scheme: .sum)
            #expect(try Reconciliation.response(answers).canonicalBytes() == response)
            let asking = asker.nextRequest()
            let next = try #require(asking)
            #expect(try Reconciliation.request(next, scheme: .sum, authors: authors).canonicalBytes() == request)
            asker.take(try Reconciliation.parseResponse(response, asked: next))
        }
        #expect(asker.nextRequest() == nil)
        #expect(asker.missingHere.sorted() == Self.strings(exchange["missing_here"]))
        #expect(asker.missingThere.sorted() == Self.strings(exchange["missing_there"]))
        // Of the seven events one side lacks, three are by the two authors named.
        #expect(asker.missingHere.count == 2 && asker.missingThere.count == 1)
        let wholeAnswerer = Set(answerer.map(\.id))
        let wholeAsker = Set(ours.map(\.id))
        #expect(wholeAnswerer.subtracting(wholeAsker).count == 4 && wholeAsker.subtracting(wholeAnswerer).count == 3)
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
