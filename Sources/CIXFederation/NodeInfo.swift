import CIXCanonicalJSON
import CIXCore

/// What a node serves at `/.well-known/cix/node`: its signed descriptor and key statements.
package struct NodeInfo: Sendable {
    package static let path = "/.well-known/cix/node"

    package let descriptor: NodeDescriptor
    package let statements: [KeyStatement]

    package init(descriptor: NodeDescriptor, statements: [KeyStatement]) {
        self.descriptor = descriptor
        self.statements = statements
    }

    /// Parses and checks the document: signatures, and that the descriptor's signer speaks for the node.
    package init(json: [UInt8]) throws {
        guard case .object(let object) = try JSONParser(limits: .init(maxDepth: 16, maxBytes: 8 << 20)).parse(json),
            let record = object["descriptor"]?.objectValue
        else { throw FederationError(.badResponse, "node document has no descriptor") }
        let descriptor = try NodeDescriptor(record: record)
        let statements = try (object["key_statements"]?.arrayValue ?? []).map { value throws -> KeyStatement in
            guard let record = value.objectValue else {
                throw FederationError(.badResponse, "a key statement is not an object")
            }
            return try KeyStatement(record: record)
        }
        let ring = KeyRing(node: descriptor.node, statements: statements)
        guard ring.isAuthorised(descriptor.signer, at: descriptor.at) else {
            throw FederationError(
                .badResponse,
                "the descriptor is signed by a key that does not speak for \(descriptor.node.hex)"
            )
        }
        self.descriptor = descriptor
        self.statements = statements
    }

    package var json: JSONObject {
        JSONObject([
            "descriptor": .object(descriptor.record), "key_statements": .array(statements.map { .object($0.record) }),
        ])
    }
}

/// A page of a pull: NDJSON lines of events, then a line `{"cursor":N}`.
package struct PullPage: Sendable {
    package let events: [[UInt8]]
    package let cursor: Int64
    /// Size of the response body, for measuring the wire overhead.
    package let bodyBytes: Int

    package init(ndjson: [UInt8]) throws {
        self.bodyBytes = ndjson.count
        var events: [[UInt8]] = []
        var cursor: Int64?
        for line in ndjson.split(separator: 0x0A, omittingEmptySubsequences: true) {
            if line.starts(with: Array("{\"cursor\":".utf8)) {
                guard case .object(let object) = try JSONParser().parse(line), let value = object["cursor"]?.numberValue
                else {
                    throw FederationError(.badResponse, "malformed cursor line")
                }
                cursor = Int64(value)
            } else {
                events.append(Array(line))
            }
        }
        guard let cursor else { throw FederationError(.badResponse, "pull response has no cursor line (cut off?)") }
        self.events = events
        self.cursor = cursor
    }
}
