import CIXCanonicalJSON
import CIXCore
import CIXTesting
import Crypto
import Foundation
import Testing

/// Sealed contact details (`events.md`, Sealed contact details): the vector
/// opens with swift-crypto's HPKE, which was sealed by the RFC's steps written
/// out (`StepwiseHPKE`); what swift-crypto seals opens only for its addressee,
/// issue and key; and the event's own rules (one addressee, origin only).
@Suite("Sealed contacts")
struct SealedContactTests {
    static let vector = ProtocolVectors.contactStory()
    static let police = FixedKeys.police.id

    static func recipientKey() throws -> SealKey { try SealKey(raw: FixedKeys.seed(0xa0)) }

    @Test func theVectorOpensWithSwiftCryptoToItsCardAndNotUnderAnotherIssue() throws {
        let file = try ProtocolVectorTests.load("contact.json")
        let key = try Self.recipientKey()
        #expect(file["seal_key"]?.stringValue == key.publicHex)
        let issue = try #require(EventID(file["issue"]?.stringValue ?? ""))
        let to = try #require(NodeID(file["to"]?.stringValue ?? ""))
        let body = ContactBody(
            to: to,
            sealKey: key.publicHex,
            enc: file["enc"]?.stringValue ?? "",
            ciphertext: file["ciphertext"]?.stringValue ?? ""
        )
        let card = try SealedContact.open(body, issue: issue, with: key)
        let cardBytes = try JSONValue.object(card.json).canonicalBytes()
        #expect(String(decoding: cardBytes, as: UTF8.self) == file["card"]?.stringValue)
        #expect(Array(SealedContact.info(issue: issue, to: to)) == ProtocolVectorTests.bytes(file["info"]))
        // Each `does_not_open` info, given straight to swift-crypto's HPKE, refuses the ciphertext.
        for case .object(let refusal)? in file["does_not_open"]?.arrayValue?.map(Optional.some) ?? [] {
            var recipient = try HPKE.Recipient(
                privateKey: Curve25519.KeyAgreement.PrivateKey(rawRepresentation: FixedKeys.seed(0xa0)),
                ciphersuite: .Curve25519_SHA256_ChachaPoly,
                info: Data(ProtocolVectorTests.bytes(refusal["info"])),
                encapsulatedKey: Data(Hex.decode(body.enc) ?? [])
            )
            #expect(throws: (any Error).self) { try recipient.open(Hex.decode(body.ciphertext) ?? []) }
        }
        // The event in the vector carries exactly this body, and is valid.
        let event = try Event.decode(ProtocolVectorTests.bytes(file["event"]))
        #expect(event.content == .contact(body))
        #expect(event.audience == .partners([to]))
    }

    @Test func whatSwiftCryptoSealsOpensOnlyForItsAddresseeIssueAndBytes() throws {
        let police = SealKey()
        let council = SealKey()
        let issue = Self.vector.report.id
        let card = ContactCard(name: "Bea Resident", email: "bea@example.org")
        let body = try SealedContact.seal(card, issue: issue, to: Self.police, sealKey: police.publicHex)
        #expect(try SealedContact.open(body, issue: issue, with: police) == card)
        #expect(!body.ciphertext.contains(Hex.encode(Array("bea@example.org".utf8))))
        // Another body's key, another issue, another addressee, one changed byte: none opens.
        #expect(throws: CoreError.self) { try SealedContact.open(body, issue: issue, with: council) }
        #expect(throws: CoreError.self) {
            try SealedContact.open(body, issue: Self.vector.route.id, with: police)
        }
        var readdressed = body
        readdressed.to = FixedKeys.volunteers.id
        #expect(throws: CoreError.self) { try SealedContact.open(readdressed, issue: issue, with: police) }
        var altered = body
        altered.ciphertext = (body.ciphertext.hasPrefix("0") ? "1" : "0") + body.ciphertext.dropFirst()
        #expect(throws: CoreError.self) { try SealedContact.open(altered, issue: issue, with: police) }
        // Two seals of one card differ (a fresh ephemeral key each time).
        let again = try SealedContact.seal(card, issue: issue, to: Self.police, sealKey: police.publicHex)
        #expect(again.enc != body.enc && again.ciphertext != body.ciphertext)
    }

    @Test func aCardBreakingItsSchemaIsNeitherSealedNorOpened() throws {
        let police = SealKey()
        let issue = Self.vector.report.id
        #expect(throws: CoreError.self) {
            try SealedContact.seal(ContactCard(), issue: issue, to: Self.police, sealKey: police.publicHex)
        }
        #expect(throws: CoreError.self) {
            try SealedContact.seal(
                ContactCard(name: String(repeating: "n", count: 201)),
                issue: issue,
                to: Self.police,
                sealKey: police.publicHex
            )
        }
        // A sender that seals something other than a card: the recipient refuses what it opens.
        for plaintext in ["{\"nickname\":\"x\"}", "{ \"name\":\"Ann\"}", "not json"] {
            var sender = try HPKE.Sender(
                recipientKey: Curve25519.KeyAgreement.PublicKey(rawRepresentation: Hex.decode(police.publicHex) ?? []),
                ciphersuite: .Curve25519_SHA256_ChachaPoly,
                info: SealedContact.info(issue: issue, to: Self.police)
            )
            let body = ContactBody(
                to: Self.police,
                sealKey: police.publicHex,
                enc: Hex.encode(sender.encapsulatedKey),
                ciphertext: Hex.encode(try sender.seal(Array(plaintext.utf8)))
            )
            #expect(throws: CoreError.self, "\(plaintext)") { try SealedContact.open(body, issue: issue, with: police) }
        }
    }

    @Test func onlyTheOriginsContactApplies() throws {
        var factory = EventFactory()
        let report = factory.report(by: FixedKeys.council, category: "antisocial_behaviour")
        let route = factory.event(
            .route,
            by: FixedKeys.council,
            on: report.id,
            after: [report],
            body: Bodies.route([Self.police])
        )
        let body = try SealedContact.seal(
            ContactCard(phone: "01632 960000"),
            issue: report.id,
            to: FixedKeys.volunteers.id,
            sealKey: SealKey().publicHex
        )
        let byOrigin = factory.event(
            .contact(body),
            by: FixedKeys.council,
            on: report.id,
            after: [route],
            audience: .partners([FixedKeys.volunteers.id])
        )
        let byPolice = factory.event(
            .contact(body),
            by: FixedKeys.police,
            on: report.id,
            after: [route],
            audience: .partners([FixedKeys.volunteers.id])
        )
        let state = try #require(IssueFold.fold([report, route, byOrigin, byPolice]))
        let effects = Dictionary(uniqueKeysWithValues: state.timeline.map { ($0.event, $0) })
        #expect(effects[byOrigin.id]?.effect == .applied)
        #expect(effects[byPolice.id]?.effect == .rejected)
        #expect(effects[byPolice.id]?.reason == "only the origin may share the reporter's contact details")
        // Applied or not, a contact changes nothing else about the issue.
        let without = try #require(IssueFold.fold([report, route]))
        #expect(state.agencies == without.agencies && state.counts == without.counts)
    }
}
