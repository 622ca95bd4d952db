import CIXCanonicalJSON

/// The signing rule shared by node descriptors and key statements: the
/// record's canonical form without `sig` is hashed with SHA-256, and `sig` is
/// the signer's Ed25519 signature of a type prefix followed by that hash in hex.
enum SignedObject {
    /// Adds `signer` and `sig` to the record.
    static func sign(_ record: JSONObject, prefix: String, with key: SigningKey) throws(CoreError) -> JSONObject {
        var record = record
        record["signer"] = .string(key.publicKey.hex)
        record["sig"] = nil
        let hash = try digest(of: record)
        record["sig"] = .string(Hex.encode(key.sign(Array((prefix + hash).utf8))))
        return record
    }

    /// Checks `sig` under `signer`, returning the signer's key and the record's hash.
    static func verify(_ record: JSONObject, prefix: String) throws(CoreError) -> (signer: PublicKey, hash: String) {
        guard let signerHex = record["signer"]?.stringValue, let sigHex = record["sig"]?.stringValue,
            let signature = Hex.decode(sigHex, count: 64)
        else { throw .schema("a signed record needs signer and sig") }
        let signer = try PublicKey(hex: signerHex)
        let hash = try digest(of: record.removing(["sig"]))
        guard signer.isValidSignature(signature, for: Array((prefix + hash).utf8)) else {
            throw CoreError(.badSignature, "signature does not verify under the record's signer")
        }
        return (signer, hash)
    }

    static func digest(of record: JSONObject) throws(CoreError) -> String {
        do {
            return SHA256Hex.hash(try JSONValue.object(record).canonicalBytes())
        } catch {
            throw CoreError(.malformedJSON, error.description)
        }
    }
}
