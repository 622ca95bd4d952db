import CIXCanonicalJSON
import CIXCore
import Foundation

/// Signed records (key statements, node descriptors) as every backend keeps them:
/// their canonical bytes in, and parsed and verified once out, by the SHA-256 of
/// the bytes (pages and the fold ask for the same few records again and again).
package enum StoredRecords {
    static let statements = BoundedCache<String, KeyStatement?>(capacity: 10_000)
    static let descriptors = BoundedCache<String, NodeDescriptor?>(capacity: 5_000)

    /// A record's canonical bytes, as stored.
    package static func bytes(of record: JSONObject) -> [UInt8] {
        // A record that was parsed or built from JSON values always has a canonical form.
        (try? JSONValue.object(record).canonicalBytes()) ?? []
    }

    /// The key statement stored as `data`; nil if it no longer parses or verifies.
    package static func statement(from data: Data) -> KeyStatement? {
        statements.value(for: SHA256Hex.hash(data)) {
            guard case .object(let object)? = try? JSONParser().parse(Array(data)) else { return nil }
            return try? KeyStatement(record: object)
        }
    }

    /// The node descriptor stored as `data`; nil if it no longer parses or verifies.
    package static func descriptor(from data: Data) -> NodeDescriptor? {
        descriptors.value(for: SHA256Hex.hash(data)) {
            guard case .object(let record)? = try? JSONParser().parse(Array(data)) else { return nil }
            return try? NodeDescriptor(record: record)
        }
    }
}
