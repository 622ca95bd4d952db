/// The sum of event ids, each read as a 256-bit unsigned integer (its 32 bytes
/// big-endian, so the integers order as the ids do), modulo 2^256: what the
/// `sum` fingerprint of set reconciliation hashes (`Protocol/federation.md`,
/// Repair). The sum of a range is the sum of its parts' sums, so a store can
/// keep sums for fixed parts of the id space as events arrive and give the sum
/// of any range without reading every id in it.
package struct IDSum: Sendable, Equatable {
    /// The value's four 64-bit words, most significant first.
    private var high: UInt64 = 0
    private var upper: UInt64 = 0
    private var lower: UInt64 = 0
    private var low: UInt64 = 0

    package init() {}

    /// Adds one id, given as 64 lower-case hex digits (anything else adds nothing: ids are checked where they are read).
    package mutating func add(id: String) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var digits = 0
        for byte in id.utf8 {
            let value: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = UInt64(byte - UInt8(ascii: "a") + 10)
            default: return
            }
            switch digits / 16 {
            case 0: words.0 = words.0 << 4 | value
            case 1: words.1 = words.1 << 4 | value
            case 2: words.2 = words.2 << 4 | value
            case 3: words.3 = words.3 << 4 | value
            default: return
            }
            digits += 1
        }
        guard digits == 64 else { return }
        add(words.0, words.1, words.2, words.3)
    }

    /// Adds another sum.
    package mutating func add(_ other: IDSum) { add(other.high, other.upper, other.lower, other.low) }

    /// Takes another sum away (adds its negation modulo 2^256).
    package mutating func subtract(_ other: IDSum) {
        var negated = IDSum()
        negated.add(~other.high, ~other.upper, ~other.lower, ~other.low)
        negated.add(0, 0, 0, 1)
        add(negated)
    }

    /// Adds `value` · 2^(32·(7 − `limb`)): a sum, over some ids, of their 32-bit limb number `limb`
    /// (0: the most significant), as a store keeps them in integers of its own.
    package mutating func add(limbSum value: UInt128, limb: Int) {
        precondition((0...7).contains(limb), "an id has eight 32-bit limbs")
        // The value as 256 bits, then shifted left by whole 32-bit limbs; what passes the top is dropped.
        var limbs = [UInt32](repeating: 0, count: 12)
        for index in 0..<4 { limbs[11 - index] = UInt32(truncatingIfNeeded: value >> (32 * index)) }
        let shift = 7 - limb
        var shifted = [UInt32](repeating: 0, count: 8)
        for index in 0..<8 where index + shift + 4 < 12 { shifted[index] = limbs[index + shift + 4] }
        let words = (0..<4).map { word in UInt64(shifted[2 * word]) << 32 | UInt64(shifted[2 * word + 1]) }
        add(words[0], words[1], words[2], words[3])
    }

    /// The 32 bytes of the sum, big-endian.
    package var bytes: [UInt8] {
        [high, upper, lower, low].flatMap { word in
            (0..<8).reversed().map { UInt8(truncatingIfNeeded: word >> (8 * $0)) }
        }
    }

    /// Adds four words, most significant first, carrying upwards and dropping the last carry.
    private mutating func add(_ first: UInt64, _ second: UInt64, _ third: UInt64, _ fourth: UInt64) {
        var carry = false
        func plus(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let (partial, overflowA) = a.addingReportingOverflow(b)
            let (result, overflowB) = partial.addingReportingOverflow(carry ? 1 : 0)
            carry = overflowA || overflowB
            return result
        }
        low = plus(low, fourth)
        lower = plus(lower, third)
        upper = plus(upper, second)
        high = plus(high, first)
    }
}
