import CIXCanonicalJSON

/// A signed node record carried among events: in exports, and in pull pages,
/// pushes and fetch answers, so that a node that is not a direct peer of an
/// author can still learn which keys speak for it (`Protocol/federation.md`).
public enum NodeRecord: Sendable {
    case descriptor(NodeDescriptor)
    case statement(KeyStatement)

    /// The record on a line, nil if the line is not one (an event has no `type`).
    /// A line that names a record type but does not verify throws why.
    public static func parse(_ bytes: [UInt8]) throws(CoreError) -> NodeRecord? {
        guard case .object(let object)? = try? JSONParser(limits: .init(maxDepth: 16, maxBytes: 8 << 20)).parse(bytes),
            let type = object["type"]?.stringValue
        else { return nil }
        switch type {
        case "node": return .descriptor(try NodeDescriptor(record: object))
        case KeyStatement.Action.add.rawValue, KeyStatement.Action.revoke.rawValue:
            return .statement(try KeyStatement(record: object))
        default: return nil
        }
    }

    /// The canonical line (without the line feed).
    public var bytes: [UInt8] {
        let record =
            switch self {
            case .descriptor(let descriptor): descriptor.record
            case .statement(let statement): statement.record
            }
        // A record that was parsed or signed from JSON values always has a canonical form.
        return (try? JSONValue.object(record).canonicalBytes()) ?? []
    }
}
