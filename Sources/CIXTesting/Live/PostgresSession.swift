import Foundation

/// A `psql` session of a test's own on a `PostgresServer`, kept open until
/// `close`: statements sent to it run in order, and what they hold (a lock, an
/// open transaction) is held until it ends.
package final class PostgresSession: Sendable {
    let process: Process
    let input: Pipe

    init(server: PostgresServer, database: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "\(server.bin)/psql")
        process.arguments = ["-h", "127.0.0.1", "-p", "\(server.port)", "-U", "cix", "-d", database, "-q"]
        process.environment = ["PGPASSWORD": PostgresServer.password]
        input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Sends SQL (statements ending in `;`) to the session.
    package func send(_ sql: String) throws {
        try input.fileHandleForWriting.write(contentsOf: Data((sql + "\n").utf8))
    }

    /// Ends the session (what it holds is released) and waits for `psql` to exit.
    package func close() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

extension PostgresServer {
    /// Opens a `psql` session on `database`.
    package func session(in database: String = "postgres") throws -> PostgresSession {
        try PostgresSession(server: self, database: database)
    }
}
