import CIXStore
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// Leases on work (`WorkLeases`) as PostgreSQL session advisory locks, on a
/// connection of their own: a lease is held as long as that connection lives,
/// so a daemon that dies — even by `kill -9` — lets go of its leases when the
/// server sees the connection close, and another daemon takes them over.
/// Lease keys are in the two-key lock space (`CIX` and the work's hash), apart
/// from the writers' and the migrations' one-key locks.
final class PostgresLeases: WorkLeases {
    let connections: PostgresConnections
    private let state = Mutex<(connection: PostgresConnection?, held: Set<String>)>((nil, []))
    /// The first key of every lease ("CI").
    static let space: Int32 = 0x4349

    init(connections: PostgresConnections) {
        self.connections = connections
    }

    func hold(_ work: String) -> Bool {
        state.withLock { state in
            if let connection = state.connection, connection.isClosed {
                // The server lost the connection, and every lease with it: start again.
                state.connection = nil
                state.held = []
            }
            if state.held.contains(work) { return true }
            do {
                let connection = try state.connection ?? connections.openDedicated()
                state.connection = connection
                let taken =
                    try connection.value(
                        "SELECT pg_try_advisory_lock(\(Self.space), hashtext(\(work)))",
                        as: Bool.self
                    ) ?? false
                if taken { state.held.insert(work) }
                return taken
            } catch {
                // Unreachable: hold nothing, so that no two daemons do the same work.
                return false
            }
        }
    }

    func release(_ work: String) {
        state.withLock { state in
            guard state.held.remove(work) != nil, let connection = state.connection, !connection.isClosed else {
                return
            }
            _ = try? connection.run("SELECT pg_advisory_unlock(\(Self.space), hashtext(\(work)))")
        }
    }
}

extension PostgresStore {
    /// Leases on work shared between the daemons of this store.
    package func leases() -> any WorkLeases { PostgresLeases(connections: connections) }
}
