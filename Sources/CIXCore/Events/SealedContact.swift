import CIXCanonicalJSON
import Crypto
import Foundation

/// A resident's contact details as they are sealed: name, e-mail and phone,
/// each optional, at least one given.
public struct ContactCard: Sendable, Equatable {
    public var name: String?
    public var email: String?
    public var phone: String?

    public init(name: String? = nil, email: String? = nil, phone: String? = nil) {
        self.name = name
        self.email = email
        self.phone = phone
    }

    /// The plaintext's rules (`schemas/contact-card.schema.json`).
    public static let schema = Schema.object(
        [
            .optional("name", .text(min: 1, max: 200), "the resident's name as they gave it"),
            .optional("email", .text(min: 3, max: 254), "their e-mail address"),
            .optional("phone", .text(min: 3, max: 50), "their phone number"),
        ],
        minMembers: 1
    )

    /// The card as JSON; its canonical bytes are what is sealed.
    public var json: JSONObject {
        var writer = BodyWriter()
        writer.set("name", name)
        writer.set("email", email)
        writer.set("phone", phone)
        return writer.object
    }
}

/// Sealing contact details to one body (`Protocol/events.md`, Sealed contact
/// details): HPKE (RFC 9180) in base mode with DHKEM(X25519, HKDF-SHA256),
/// HKDF-SHA256 and ChaCha20-Poly1305, to the X25519 key in the body's
/// descriptor. The info string binds the card to its issue and its
/// recipient, so a sealed card copied into another issue, or readdressed,
/// does not open.
public enum SealedContact {
    static let suite = HPKE.Ciphersuite.Curve25519_SHA256_ChachaPoly

    /// `cix-contact-v1:` + issue id + `:` + recipient node id, as ASCII.
    public static func info(issue: EventID, to node: NodeID) -> Data {
        Data("cix-contact-v1:\(issue.hex):\(node.hex)".utf8)
    }

    /// Seals `card` for `node`, whose descriptor publishes `sealKey` (hex).
    public static func seal(
        _ card: ContactCard,
        issue: EventID,
        to node: NodeID,
        sealKey: String
    ) throws(CoreError) -> ContactBody {
        do {
            try ContactCard.schema.validate(.object(card.json), at: "contact")
        } catch {
            throw error
        }
        guard let raw = Hex.decode(sealKey, count: 32),
            let key = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: raw)
        else { throw .schema("the recipient's seal_key is not an X25519 key") }
        let plaintext: [UInt8]
        do {
            plaintext = try JSONValue.object(card.json).canonicalBytes()
        } catch {
            throw .schema("the contact card cannot be serialised: \(error)")
        }
        guard plaintext.count + 16 <= Limits.maxSealedContactBytes else {
            throw .schema("the contact details are too long to seal")
        }
        do {
            var sender = try HPKE.Sender(recipientKey: key, ciphersuite: suite, info: info(issue: issue, to: node))
            let ciphertext = try sender.seal(plaintext)
            return ContactBody(
                to: node,
                sealKey: sealKey,
                enc: Hex.encode(sender.encapsulatedKey),
                ciphertext: Hex.encode(ciphertext)
            )
        } catch {
            throw .schema("the contact details could not be sealed: \(error)")
        }
    }

    /// Opens a card sealed to this node's `key`; refuses one sealed to another key,
    /// altered, or moved to another issue or recipient.
    public static func open(_ body: ContactBody, issue: EventID, with key: SealKey) throws(CoreError) -> ContactCard {
        guard body.sealKey == key.publicHex else {
            throw .schema("these details are sealed to the key \(body.sealKey.prefix(12))…, not to this node's key")
        }
        guard let enc = Hex.decode(body.enc, count: 32), let ciphertext = Hex.decode(body.ciphertext) else {
            throw .schema("the sealed contact is not hexadecimal")
        }
        let plaintext: Data
        do {
            var recipient = try HPKE.Recipient(
                privateKey: key.privateKey,
                ciphersuite: suite,
                info: info(issue: issue, to: body.to),
                encapsulatedKey: Data(enc)
            )
            plaintext = try recipient.open(ciphertext)
        } catch {
            throw .schema("the sealed contact does not open: it was altered, or sealed for another issue or body")
        }
        let object: JSONObject
        do {
            let value = try JSONParser(limits: .init(maxDepth: 2, maxBytes: Limits.maxSealedContactBytes))
                .parse(Array(plaintext))
            try ContactCard.schema.validate(value, at: "contact")
            guard try value.canonicalBytes() == Array(plaintext), let parsed = value.objectValue else {
                throw CoreError.schema("the contact card is not canonical JSON")
            }
            object = parsed
        } catch let error as CoreError {
            throw error
        } catch {
            throw .schema("the contact card is not JSON: \(error)")
        }
        return ContactCard(
            name: object["name"]?.stringValue,
            email: object["email"]?.stringValue,
            phone: object["phone"]?.stringValue
        )
    }
}

/// A node's X25519 key for contact details sealed to it. The private half
/// lives in `keys/seal.key`; the public half is in the node's descriptor.
public struct SealKey: Sendable {
    let privateKey: Curve25519.KeyAgreement.PrivateKey

    public init() { privateKey = Curve25519.KeyAgreement.PrivateKey() }

    /// From the 32 raw private-key bytes.
    public init(raw: [UInt8]) throws(CoreError) {
        do {
            privateKey = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw)
        } catch {
            throw .invalidKey("a seal key is 32 bytes")
        }
    }

    public var raw: [UInt8] { Array(privateKey.rawRepresentation) }

    /// The public key, lower-case hex: the descriptor's `seal_key`.
    public var publicHex: String { Hex.encode(privateKey.publicKey.rawRepresentation) }
}
