import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXTesting
import Testing

/// The checks a node makes on a peer's new audit head (`nodes.md`, Audit head), case by case.
@Suite("Audit witness")
struct AuditWitnessTests {
    static let a = String(repeating: "a", count: 64)
    static let b = String(repeating: "b", count: 64)

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let held: AuditHead?
        let fresh: AuditHead?
        let hashThen: String?
        /// Words the finding must contain; nil: consistent.
        let finding: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "nothing held before",
            held: nil,
            fresh: AuditHead(entries: 3, head: a),
            hashThen: nil,
            finding: nil
        ),
        Case(
            name: "unchanged",
            held: AuditHead(entries: 3, head: a),
            fresh: AuditHead(entries: 3, head: a),
            hashThen: nil,
            finding: nil
        ),
        Case(
            name: "grown, prefix kept",
            held: AuditHead(entries: 3, head: a),
            fresh: AuditHead(entries: 9, head: b),
            hashThen: a,
            finding: nil
        ),
        Case(
            name: "grown, prefix rewritten",
            held: AuditHead(entries: 3, head: a),
            fresh: AuditHead(entries: 9, head: b),
            hashThen: b,
            finding: "rewritten before entry 3"
        ),
        Case(
            name: "grown, will not say",
            held: AuditHead(entries: 3, head: a),
            fresh: AuditHead(entries: 9, head: b),
            hashThen: nil,
            finding: "would not give its audit hash at entry 3"
        ),
        Case(
            name: "shorter",
            held: AuditHead(entries: 9, head: a),
            fresh: AuditHead(entries: 3, head: a),
            hashThen: nil,
            finding: "went back from 9 to 3 entries"
        ),
        Case(
            name: "same length, other head",
            held: AuditHead(entries: 3, head: a),
            fresh: AuditHead(entries: 3, head: b),
            hashThen: nil,
            finding: "entries were altered"
        ),
        Case(
            name: "stopped publishing",
            held: AuditHead(entries: 3, head: a),
            fresh: nil,
            hashThen: nil,
            finding: "stopped publishing"
        ),
    ]

    @Test(arguments: cases)
    func theFindingFollowsTheTable(_ example: Case) {
        let finding = AuditWitness.finding(
            node: "Police",
            held: example.held,
            fresh: example.fresh,
            hashThen: example.hashThen
        )
        if let expected = example.finding {
            #expect(finding?.contains(expected) == true, "\(finding ?? "nil")")
        } else {
            #expect(finding == nil, "\(finding ?? "")")
        }
    }

    @Test func aDescriptorCarriesItsAuditHeadSignedAndABadOneIsRefused() throws {
        let key = FixedKeys.key(0x20)
        let node = NodeID(genesisKey: key.publicKey)
        let made = try NodeDescriptor.make(
            node: node,
            name: "Police",
            kind: .police,
            url: "https://police.example",
            version: 2,
            at: Timestamp(secondsSinceEpoch: 1_900_000_000),
            audit: AuditHead(entries: 12, head: Self.a),
            signer: key
        )
        let read = try NodeDescriptor(record: made.record)
        #expect(read.audit == AuditHead(entries: 12, head: Self.a))
        var forged = made.record
        forged["audit"] = .object(JSONObject(["entries": .number(13), "head": .string(Self.a)]))
        #expect(throws: CoreError.self) { try NodeDescriptor(record: forged) }
        var malformed = made.record
        malformed["audit"] = .object(JSONObject(["entries": .number(-1), "head": .string("zz")]))
        #expect(throws: CoreError.self) { try NodeDescriptor(record: malformed) }
    }
}
