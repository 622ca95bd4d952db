import BigInt
import Foundation

/// Whether a canonical Ed25519 encoding names a point on the curve.
///
/// RFC 8032 §5.1.3: from y, x² = (y² − 1) / (d·y² + 1) mod p must have a
/// square root. A key that fails this is not a key at all, and is refused as
/// `invalid_key` before any signature is checked (BoringSSL would refuse it at
/// verification, but as a bad signature). Each encoding is judged once and
/// remembered.
enum Ed25519Curve {
    static let modulus: BigUInt = BigUInt(1) << 255 - BigUInt(19)
    static let curveD: BigUInt = BigUInt(
        "37095705934669439343138083508754565189542113879843219016388785533085940283555"
    )

    /// Whether the 32-byte encoding (y already below p) decodes to a curve point.
    static func isOnCurve(_ encoded: [UInt8]) -> Bool {
        if let known = verdicts.verdict(encoded) { return known }
        let p = modulus
        var little = encoded
        little[31] &= 0x7F
        let y = BigUInt(Data(little.reversed()))
        let y2: BigUInt = (y * y) % p
        let u: BigUInt = (y2 + p - BigUInt(1)) % p
        let v: BigUInt = (curveD * y2 + BigUInt(1)) % p
        // x = u·v³·(u·v⁷)^((p−5)/8); the point exists if v·x² is u or −u.
        let v3: BigUInt = (v * v % p) * v % p
        let v7: BigUInt = (v3 * v3 % p) * v % p
        let exponent: BigUInt = (p - BigUInt(5)) / BigUInt(8)
        let x: BigUInt = (u * v3 % p) * (u * v7 % p).power(exponent, modulus: p) % p
        let check: BigUInt = v * (x * x % p) % p
        let onCurve = check == u || check == (p - u) % p
        verdicts.remember(encoded, onCurve)
        return onCurve
    }

    private static let verdicts = Verdicts()

    /// Encodings judged so far: a node meets a handful of keys, so this stays small.
    private final class Verdicts: @unchecked Sendable {
        // Invariant: `known` is only touched while `lock` is held.
        private let lock = NSLock()
        private var known: [[UInt8]: Bool] = [:]

        func verdict(_ encoded: [UInt8]) -> Bool? { lock.withLock { known[encoded] } }

        func remember(_ encoded: [UInt8], _ onCurve: Bool) {
            lock.withLock {
                if known.count > 4_096 { known.removeAll() }
                known[encoded] = onCurve
            }
        }
    }
}
