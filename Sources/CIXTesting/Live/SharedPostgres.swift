import CIXNode
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// With `CIX_TEST_STORE=postgres`, every node a live test starts (`LiveNode.start`) keeps its
/// store in PostgreSQL instead of SQLite: a database of its own on one cluster that the test
/// process starts on first use and stops when it exits. CI runs the suites of a body's work
/// (residents, staff, mail, Open311, bridges, privacy) a second time so, on the same real parts.
package actor SharedPostgres {
    package static let shared = SharedPostgres()

    /// Whether this run keeps live nodes' stores in PostgreSQL.
    package static var isChosen: Bool { ProcessInfo.processInfo.environment["CIX_TEST_STORE"] == "postgres" }

    /// The cluster's start, shared by every caller (the actor may be entered again while it runs).
    private var starting: Task<PostgresServer, any Error>?
    private var made = 0

    /// A new, empty database on the shared cluster, as a node's `[store]`.
    package func newStore() async throws -> NodeConfig.Store {
        let server = try await running()
        made += 1
        let name = "node_\(made)"
        var store = NodeConfig.Store(url: try await server.createDatabase(name), password_file: server.passwordFile)
        store.connections = 4
        return store
    }

    private func running() async throws -> PostgresServer {
        if let starting { return try await starting.value }
        let start = Task<PostgresServer, any Error> {
            let folder = TemporaryDirectory("shared-postgres")
            // As deploy/mirror-postgres.toml asks, so that scrubs after redactions can clear the WAL.
            guard
                let started = try await PostgresServer.start(
                    in: folder,
                    maxConnections: 400,
                    settings: ["wal_recycle=off"]
                )
            else {
                throw TestFailure("CIX_TEST_STORE=postgres, but PostgreSQL is not installed; .ci/setup installs it")
            }
            Self.stopAtExit(data: started.data, folder: folder.url.path, asRoot: started.asRoot, bin: started.bin)
            return started
        }
        starting = start
        return try await start.value
    }

    /// Where the cluster is, for the exit handler (which can capture nothing).
    nonisolated(unsafe) private static var cluster: (stop: [String], folder: String)?

    private static func stopAtExit(data: String, folder: String, asRoot: Bool, bin: String) {
        let stop =
            (asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []) + [
                "\(bin)/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop",
            ]
        cluster = (stop, folder)
        atexit {
            guard let (stop, folder) = SharedPostgres.cluster else { return }
            let argv: [UnsafeMutablePointer<CChar>?] = stop.map { strdup($0) } + [nil]
            var pid: pid_t = 0
            if posix_spawn(&pid, stop[0], nil, nil, argv, environ) == 0 {
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
            try? FileManager.default.removeItem(atPath: folder)
        }
    }
}
