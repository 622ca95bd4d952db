import CIXCore
import CIXStore
import Foundation
import PostgresNIO

extension PostgresStore {
    package func appendCopied(_ events: [StoredEvent]) throws(StoreError) {
        let decoded = try decoded(events)
        let kinds = decoded.map(\.kind.rawValue)
        let depths = decoded.map { Int64($0.depth) }
        try write("copying \(events.count) events", provesHealth: true) { connection in
            try connection.run(
                """
                INSERT INTO event (seq, id, issue, kind, author, depth, is_public, first_seen, source, bytes)
                SELECT seq, id, issue, kind, author, depth, is_public, first_seen, source, decode(bytes, 'hex')
                FROM unnest(\(events.map(\.seq))::int8[], \(events.map(\.id))::text[], \(events.map(\.issue))::text[],
                    \(kinds)::text[], \(events.map(\.author))::text[], \(depths)::int8[],
                    \(events.map(\.isPublic))::bool[], \(events.map(\.firstSeen.secondsSinceEpoch))::int8[],
                    \(events.map(\.source))::text[], \(events.map { Hex.encode($0.bytes) })::text[])
                    AS copied (seq, id, issue, kind, author, depth, is_public, first_seen, source, bytes)
                """
            )
            // Numbers given explicitly do not move the sequence: new events follow the copied ones.
            try connection.run(
                "SELECT setval(pg_get_serial_sequence('event', 'seq'), (SELECT max(seq) FROM event))"
            )
        }
    }

    package func attachmentHashes() throws(StoreError) -> [String] {
        try read("listing photos") { connection in
            try connection.rows("SELECT hash FROM attachment ORDER BY hash", as: String.self)
        }
    }
}
