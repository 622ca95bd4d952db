import CIXCanonicalJSON

/// `contact`: the reporter's contact details, sealed to the one body the
/// event is addressed to (`SealedContact`). Only that body can open them;
/// every other node, the author's included, holds ciphertext.
public struct ContactBody: Sendable, Equatable {
    /// The body the details are sealed to; the event's audience is exactly this node.
    public var to: NodeID
    /// The X25519 key from that body's descriptor, lower-case hex.
    public var sealKey: String
    /// The HPKE encapsulated key, lower-case hex.
    public var enc: String
    /// The sealed contact card, lower-case hex.
    public var ciphertext: String

    public init(to: NodeID, sealKey: String, enc: String, ciphertext: String) {
        self.to = to
        self.sealKey = sealKey
        self.enc = enc
        self.ciphertext = ciphertext
    }

    init(_ fields: BodyFields) {
        to = fields.node("to") ?? NodeID(unchecked: String(repeating: "0", count: 64))
        sealKey = fields.text("seal_key")
        enc = fields.text("enc")
        ciphertext = fields.text("ciphertext")
    }

    public var json: JSONObject {
        JSONObject([
            "to": .string(to.hex), "seal_key": .string(sealKey), "enc": .string(enc),
            "ciphertext": .string(ciphertext),
        ])
    }
}
