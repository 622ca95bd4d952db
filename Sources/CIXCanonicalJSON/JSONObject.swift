/// A JSON object whose members are always held in RFC 8785 order: sorted by
/// the UTF-16 code units of their names, compared as unsigned integers.
///
/// Member names are unique by exact code units (not by Swift's canonical
/// equivalence): `"A\u{30A}"` and `"\u{C5}"` are two different names.
public struct JSONObject: Sendable, Equatable {
    /// One name and its value.
    public struct Member: Sendable, Equatable {
        public var name: String
        public var value: JSONValue

        public init(_ name: String, _ value: JSONValue) {
            self.name = name
            self.value = value
        }
    }

    /// The members in canonical order.
    public private(set) var members: [Member]

    /// An object with no members.
    public init() { self.members = [] }

    /// Builds an object, refusing a repeated member name.
    public init(members: [Member]) throws(CanonicalJSONError) {
        var sorted = members.map { (units: Array($0.name.utf16), member: $0) }
        sorted.sort { $0.units.lexicographicallyPrecedes($1.units) }
        for index in sorted.indices.dropFirst() where sorted[index].units == sorted[index - 1].units {
            throw .duplicateKey(sorted[index].member.name, offset: nil)
        }
        self.members = sorted.map(\.member)
    }

    /// Builds an object from pairs whose names the caller knows to be distinct.
    ///
    /// A repeated name is a programming error here, so it traps.
    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        do {
            try self.init(members: pairs.map { Member($0.key, $0.value) })
        } catch {
            preconditionFailure("repeated member name in a literal object: \(error)")
        }
    }

    /// The number of members.
    public var count: Int { members.count }

    /// The names in canonical order.
    public var names: [String] { members.map(\.name) }

    /// The value of the member with exactly this name (compared by code units).
    public subscript(name: String) -> JSONValue? {
        get {
            members.first { $0.name.utf8.elementsEqual(name.utf8) }?.value
        }
        set {
            let units = Array(name.utf16)
            if let index = members.firstIndex(where: { $0.name.utf8.elementsEqual(name.utf8) }) {
                if let newValue {
                    members[index].value = newValue
                } else {
                    members.remove(at: index)
                }
            } else if let newValue {
                let index =
                    members.firstIndex { units.lexicographicallyPrecedes(Array($0.name.utf16)) }
                    ?? members.endIndex
                members.insert(Member(name, newValue), at: index)
            }
        }
    }

    /// This object without the named members.
    public func removing(_ names: Set<String>) -> JSONObject {
        var copy = self
        copy.members.removeAll { names.contains($0.name) }
        return copy
    }
}
