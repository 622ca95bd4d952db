import CIXCore

extension Timestamp {
    /// A time written in a test or vector: always well formed.
    package static func fixed(_ text: String) -> Timestamp {
        guard let time = Timestamp(text) else { preconditionFailure("\(text) is not a CIX timestamp") }
        return time
    }
}

extension Collection {
    /// A random element of a collection that is never empty (the fixtures' lists).
    package func pick(using random: inout some RandomNumberGenerator) -> Element {
        guard let element = randomElement(using: &random) else { preconditionFailure("picking from an empty list") }
        return element
    }
}
