/// Formats a double exactly as ECMAScript's `Number.prototype.toString()`
/// does, which RFC 8785 section 3.2.2.3 makes the canonical number form.
///
/// The shortest digit string that round-trips (and, among those, the closest
/// to the value) comes from Swift's own `description`, which implements that
/// guarantee; this type only re-lays those digits out by ECMAScript's rules.
enum ECMAScriptNumber {
    static func format(_ value: Double) throws(CanonicalJSONError) -> String {
        guard value.isFinite else { throw .unrepresentable("NaN and infinity have no JSON form") }
        if value == 0 { return "0" }  // also -0
        // Integers below 10^21 print in full; those within ±2^53 are exact as Int64.
        if value.magnitude <= 9_007_199_254_740_991, value.rounded(.towardZero) == value {
            return String(Int64(value))
        }
        let (digits, pointPosition) = shortestDigits(of: value.magnitude)
        let sign = value < 0 ? "-" : ""
        return sign + layout(digits: digits, n: pointPosition)
    }

    /// The significant digits d1…dk and n such that the value is 0.d1…dk × 10^n.
    static func shortestDigits(of magnitude: Double) -> (digits: [UInt8], n: Int) {
        let text = magnitude.description  // e.g. "123.45", "1e-07", "1.5e+300"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...].filter { $0 != "+" }) ?? 0
        }
        var digits: [UInt8] = []
        var pointPosition = 0
        var seenPoint = false
        for character in mantissa {
            if character == "." {
                seenPoint = true
                continue
            }
            guard let digit = character.asciiValue.map({ $0 - UInt8(ascii: "0") }) else { continue }
            if !seenPoint { pointPosition += 1 }
            digits.append(digit)
        }
        while let first = digits.first, first == 0 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while let last = digits.last, last == 0 { digits.removeLast() }
        return (digits, pointPosition + exponent)
    }

    /// ECMA-262 Number::toString, steps for k digits and decimal position n.
    static func layout(digits: [UInt8], n: Int) -> String {
        let k = digits.count
        let text = String(decoding: digits.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
        if k <= n && n <= 21 {
            return text + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            let split = text.index(text.startIndex, offsetBy: n)
            return text[..<split] + "." + text[split...]
        }
        if -6 < n && n <= 0 {
            return "0." + String(repeating: "0", count: -n) + text
        }
        let exponent = n - 1
        let exponentText = exponent >= 0 ? "e+\(exponent)" : "e-\(-exponent)"
        if k == 1 { return text + exponentText }
        return text.prefix(1) + "." + text.dropFirst() + exponentText
    }
}
