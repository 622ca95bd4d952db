/// Comparing secrets (tokens, codes, nonces) in time that does not depend on where the
/// first difference is, so that timing tells an attacker nothing about how close a guess was.
package enum ConstantTime {
    package static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
