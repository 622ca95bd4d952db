import CIXCanonicalJSON
import CIXCore
import Crypto
import Foundation

/// `vectors/contact.json`: contact details sealed to the police for one issue,
/// with every value of RFC 9180's key schedule, so that a re-implementation can
/// check each step. Sealed here by `StepwiseHPKE` (the RFC's steps written out,
/// with a fixed ephemeral key) and opened by swift-crypto's HPKE in the tests.
extension ProtocolVectors {
    /// The recipient's X25519 private key and the sender's ephemeral one: fixed seeds.
    static let contactRecipientSeed = FixedKeys.seed(0xa0)
    static let contactEphemeralSeed = FixedKeys.seed(0xc0)
    static let contactCard = ContactCard(name: "Ann Example", email: "ann@example.org", phone: "01632 960123")

    /// The issue the details belong to: the council's report, routed to the police, and the sealed details.
    package static func contactStory() -> (report: Event, route: Event, contact: Event, steps: StepwiseHPKE.Sealed) {
        var factory = EventFactory(start: Timestamp.fixed("2026-05-01T09:00:00Z"))
        let council = FixedKeys.council
        let police = FixedKeys.police
        let report = factory.report(
            by: council,
            title: "Someone keeps shouting threats at the bus stop",
            category: "antisocial_behaviour",
            lat: 52.2061,
            lon: 0.1211
        )
        let route = factory.event(.route, by: council, on: report.id, after: [report], body: Bodies.route([police.id]))
        let recipient = StepwiseHPKE.publicKey(contactRecipientSeed)
        let info = SealedContact.info(issue: report.id, to: police.id)
        let plaintext = (try? JSONValue.object(contactCard.json).canonicalBytes()) ?? []
        let steps = StepwiseHPKE.seal(plaintext, to: recipient, info: Array(info), ephemeralSeed: contactEphemeralSeed)
        let body = ContactBody(
            to: police.id,
            sealKey: Hex.encode(recipient),
            enc: Hex.encode(steps.enc),
            ciphertext: Hex.encode(steps.ciphertext)
        )
        let contact = factory.event(
            .contact(body),
            by: council,
            on: report.id,
            after: [route],
            audience: .partners([police.id])
        )
        return (report, route, contact, steps)
    }

    static func contact() -> JSONObject {
        let story = contactStory()
        let steps = story.steps
        let plaintext = (try? JSONValue.object(contactCard.json).canonicalBytes()) ?? []
        let other = SealedContact.info(issue: story.route.id, to: FixedKeys.police.id)
        return JSONObject([
            "about":
                "CIX v1 sealed contact details (Protocol/events.md, Sealed contact details): HPKE base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305. Every value of the key schedule is given; a sender picks a fresh ephemeral key each time, so only a fixed one reproduces `enc` and `ciphertext`.",
            "recipient_private_key": .string(Hex.encode(contactRecipientSeed)),
            "seal_key": .string(Hex.encode(StepwiseHPKE.publicKey(contactRecipientSeed))),
            "ephemeral_private_key": .string(Hex.encode(contactEphemeralSeed)),
            "issue": .string(story.report.id.hex),
            "to": .string(FixedKeys.police.id.hex),
            "info": string(SealedContact.info(issue: story.report.id, to: FixedKeys.police.id).map { $0 }),
            "card": .string(String(decoding: plaintext, as: UTF8.self)),
            "shared_secret": .string(Hex.encode(steps.sharedSecret)),
            "key": .string(Hex.encode(steps.key)),
            "base_nonce": .string(Hex.encode(steps.baseNonce)),
            "enc": .string(Hex.encode(steps.enc)),
            "ciphertext": .string(Hex.encode(steps.ciphertext)),
            "event": .string(story.contact.text),
            "does_not_open": .array([
                .object(
                    JSONObject([
                        "name": "the same ciphertext under another issue's info",
                        "info": string(Array(other)),
                    ])
                )
            ]),
        ])
    }
}

/// RFC 9180 single-shot base-mode sealing written out step by step, for
/// DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and ChaCha20-Poly1305, with a given
/// ephemeral key: what the vectors need to be reproducible (and a second
/// implementation to check swift-crypto's against). Never for real use: a
/// fixed ephemeral key makes every seal to one key the same.
package enum StepwiseHPKE {
    package struct Sealed: Sendable {
        package let enc: [UInt8]
        package let sharedSecret: [UInt8]
        package let key: [UInt8]
        package let baseNonce: [UInt8]
        package let ciphertext: [UInt8]
    }

    static let kemSuite = Array("KEM".utf8) + [0x00, 0x20]
    static let suite = Array("HPKE".utf8) + [0x00, 0x20, 0x00, 0x01, 0x00, 0x03]

    package static func publicKey(_ seed: [UInt8]) -> [UInt8] {
        guard let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: seed) else { return [] }
        return Array(key.publicKey.rawRepresentation)
    }

    package static func seal(
        _ plaintext: [UInt8],
        to recipient: [UInt8],
        info: [UInt8],
        ephemeralSeed: [UInt8]
    ) -> Sealed {
        guard let ephemeral = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: ephemeralSeed),
            let peer = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: recipient),
            let dh = try? ephemeral.sharedSecretFromKeyAgreement(with: peer)
        else { preconditionFailure("fixed X25519 keys rejected") }
        let enc = Array(ephemeral.publicKey.rawRepresentation)
        let dhBytes = dh.withUnsafeBytes { Array($0) }
        // Encap: shared_secret = ExtractAndExpand(dh, enc || pkR).
        let eaePRK = labeledExtract(salt: [], label: "eae_prk", ikm: dhBytes, suite: kemSuite)
        let sharedSecret = labeledExpand(
            eaePRK,
            label: "shared_secret",
            info: enc + recipient,
            length: 32,
            suite: kemSuite
        )
        // KeySchedule, mode_base, no PSK.
        let pskIDHash = labeledExtract(salt: [], label: "psk_id_hash", ikm: [], suite: suite)
        let infoHash = labeledExtract(salt: [], label: "info_hash", ikm: info, suite: suite)
        let context = [0x00] + pskIDHash + infoHash
        let secret = labeledExtract(salt: sharedSecret, label: "secret", ikm: [], suite: suite)
        let key = labeledExpand(secret, label: "key", info: context, length: 32, suite: suite)
        let baseNonce = labeledExpand(secret, label: "base_nonce", info: context, length: 12, suite: suite)
        // The first (and only) message: sequence number 0, so the nonce is the base nonce.
        guard let nonce = try? ChaChaPoly.Nonce(data: baseNonce),
            let box = try? ChaChaPoly.seal(
                plaintext,
                using: SymmetricKey(data: key),
                nonce: nonce,
                authenticating: Data()
            )
        else { preconditionFailure("ChaCha20-Poly1305 refused a 32-byte key") }
        return Sealed(
            enc: enc,
            sharedSecret: sharedSecret,
            key: key,
            baseNonce: baseNonce,
            ciphertext: Array(box.ciphertext) + Array(box.tag)
        )
    }

    static func labeledExtract(salt: [UInt8], label: String, ikm: [UInt8], suite: [UInt8]) -> [UInt8] {
        let labeled = Array("HPKE-v1".utf8) + suite + Array(label.utf8) + ikm
        let prk = HKDF<SHA256>.extract(inputKeyMaterial: SymmetricKey(data: labeled), salt: salt)
        return Array(prk)
    }

    static func labeledExpand(_ prk: [UInt8], label: String, info: [UInt8], length: Int, suite: [UInt8]) -> [UInt8] {
        let labeled =
            [UInt8(length >> 8), UInt8(length & 0xff)] + Array("HPKE-v1".utf8) + suite + Array(label.utf8) + info
        let key = HKDF<SHA256>.expand(pseudoRandomKey: prk, info: labeled, outputByteCount: length)
        return key.withUnsafeBytes { Array($0) }
    }
}
