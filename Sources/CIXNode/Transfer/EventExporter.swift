import CIXCanonicalJSON
import CIXCore
import CIXStore
import Foundation

/// Writes a node's signed records as NDJSON: key statements, node
/// descriptors, then every event in local order (parents before children).
///
/// Only signed records leave: residents' contact details, pending events and
/// projections are never exported. Partner-only events are exported only
/// with `includePartnerOnly` (a backup of one's own node), never by default.
package struct EventExporter: Sendable {
    package let store: any NodeStore

    package init(store: any NodeStore) {
        self.store = store
    }

    /// Streams the export to `handle`; returns the number of events written.
    @discardableResult
    package func export(to handle: FileHandle, includePartnerOnly: Bool) throws(NodeError) -> Int {
        do {
            var buffer = Data()
            let statements = KeyRings.applied(try store.keyStatements())
            for statement in statements.sorted(by: { ($0.node.hex, $0.from, $0.hash) < ($1.node.hex, $1.from, $1.hash) }
            ) {
                buffer.append(contentsOf: try JSONValue.object(statement.record).canonicalBytes() + [0x0A])
            }
            for descriptor in try store.descriptors() {
                buffer.append(contentsOf: try JSONValue.object(descriptor.record).canonicalBytes() + [0x0A])
            }
            try handle.write(contentsOf: buffer)
            var cursor: Int64 = 0
            var written = 0
            while true {
                let page = try store.events(after: cursor, limit: 2_048)
                guard let last = page.last else { break }
                buffer.removeAll(keepingCapacity: true)
                for event in page where includePartnerOnly || event.isPublic {
                    buffer.append(contentsOf: event.bytes)
                    buffer.append(0x0A)
                    written += 1
                }
                try handle.write(contentsOf: buffer)
                cursor = last.seq
            }
            return written
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(.io, "export failed: \(error)")
        }
    }
}
