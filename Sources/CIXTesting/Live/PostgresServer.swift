import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL cluster of a test's own: `initdb` in a temporary directory,
/// password (SCRAM) authentication for the user `cix`, a server on loopback
/// at a free port, stopped (fast shutdown) by `stop`. As root, the server runs
/// as the `postgres` user, since PostgreSQL refuses to run as root. Debian's
/// `postgresql` package provides the programs (`.ci/setup` installs it).
package final class PostgresServer: Sendable {
    package let port: Int
    package let passwordFile: String
    /// The cluster's data directory (its tables' files and WAL).
    package let data: String
    let bin: String
    let asRoot: Bool

    package static let password = "a long test password for the cix user"

    /// `postgresql://cix@127.0.0.1:PORT/postgres?sslmode=disable`.
    package var url: String { "postgresql://cix@127.0.0.1:\(port)/postgres?sslmode=disable" }

    init(port: Int, passwordFile: String, data: String, bin: String, asRoot: Bool) {
        self.port = port
        self.passwordFile = passwordFile
        self.data = data
        self.bin = bin
        self.asRoot = asRoot
    }

    /// The folder holding `initdb`, `pg_ctl` and `postgres`, if PostgreSQL is installed.
    static func binaries() -> String? {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: >) {
            let folder = "/usr/lib/postgresql/\(version)/bin"
            if FileManager.default.isExecutableFile(atPath: folder + "/pg_ctl") { return folder }
        }
        return nil
    }

    /// Starts a cluster in `folder`, with `settings` (`name=value`) beside the defaults; nil when
    /// PostgreSQL is not installed.
    package static func start(
        in folder: TemporaryDirectory,
        maxConnections: Int = 50,
        settings: [String] = []
    ) async throws -> PostgresServer? {
        guard let bin = binaries() else { return nil }
        let asRoot = geteuid() == 0
        let root = folder.file("postgres").path
        let data = root + "/data"
        let passwordFile = root + "/password"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: passwordFile))
        if asRoot {
            // The server's user must reach its folder and read the password file.
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.url.path)
            try await run("/bin/chown", ["-R", "postgres:postgres", root])
        }
        let server = PostgresServer(
            port: try freePort(),
            passwordFile: passwordFile,
            data: data,
            bin: bin,
            asRoot: asRoot
        )
        try await server.tool(
            "initdb",
            ["-D", data, "-U", "cix", "--auth=scram-sha-256", "--pwfile=\(passwordFile)", "-E", "UTF8", "--no-locale"]
        )
        try await server.serve(
            in: root,
            settings: (["fsync=on", "max_connections=\(maxConnections)"] + settings).map { "-c \($0)" }.joined(
                separator: " "
            )
        )
        return server
    }

    /// Runs `body` with a cluster of its own in `folder`, stopped afterwards whether `body`
    /// succeeds or throws. Where PostgreSQL is not installed, fails saying how to install it.
    package static func with(
        in folder: TemporaryDirectory,
        settings: [String] = [],
        _ body: (PostgresServer) async throws -> Void
    ) async throws {
        guard let server = try await start(in: folder, settings: settings) else {
            throw TestFailure("PostgreSQL is not installed; .ci/setup installs it (apt-get install postgresql)")
        }
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// Makes a new, empty database on this server and returns its URL (as `url`, another database).
    package func createDatabase(_ name: String) async throws -> String {
        try await runSQL("CREATE DATABASE \(name)")
        return "postgresql://cix@127.0.0.1:\(port)/\(name)?sslmode=disable"
    }

    /// Runs one SQL statement as the cluster's superuser, in `database`, with `psql`.
    package func runSQL(_ sql: String, in database: String = "postgres") async throws {
        try await tool(
            "psql",
            ["-h", "127.0.0.1", "-p", "\(port)", "-U", "cix", "-d", database, "-q", "-c", sql],
            environment: ["PGPASSWORD=\(Self.password)"]
        )
    }

    /// Starts a streaming replica of this server in `folder` (`pg_basebackup -R`, then a hot
    /// standby on a port of its own), waiting until it accepts reads.
    package func startReplica(in folder: TemporaryDirectory) async throws -> PostgresServer {
        let root = folder.file("postgres-replica").path
        let replicaData = root + "/data"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        if asRoot { try await Self.run("/bin/chown", ["-R", "postgres:postgres", root]) }
        let replica = PostgresServer(
            port: try Self.freePort(),
            passwordFile: passwordFile,
            data: replicaData,
            bin: bin,
            asRoot: asRoot
        )
        try await tool(
            "pg_basebackup",
            ["-h", "127.0.0.1", "-p", "\(port)", "-U", "cix", "-D", replicaData, "-R", "-X", "stream"],
            environment: ["PGPASSWORD=\(Self.password)"]
        )
        try await replica.serve(in: root, settings: "-c hot_standby=on")
        return replica
    }

    /// Starts the server on its data, on loopback at its port, logging into `root`, and waits until it
    /// accepts connections: up to two minutes, as under a whole test suite's load on two cores a start
    /// once outlasted 30 s. If it does not start, the error carries the end of its log.
    func serve(in root: String, settings: String) async throws {
        let log = root + "/server.log"
        do {
            try await tool(
                "pg_ctl",
                [
                    "-D", data, "-l", log, "-w", "-t", "120", "-o",
                    "-p \(port) -c listen_addresses=127.0.0.1 -k \(root) \(settings)", "start",
                ]
            )
        } catch {
            let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw TestFailure("\(error)\nserver.log ends: \(said.suffix(1_500))")
        }
    }

    /// Starts the server again after `stop`, on the same data and port.
    package func resume() async throws {
        try await serve(in: URL(fileURLWithPath: data).deletingLastPathComponent().path, settings: "-c fsync=on")
    }

    /// Stops the server (fast shutdown: clients are disconnected, nothing acknowledged is lost).
    package func stop() async {
        try? await tool("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "30", "stop"])
    }

    /// Runs one of PostgreSQL's programs (as the `postgres` user under root), with `environment`
    /// (`NAME=value`) added to this process's.
    func tool(_ name: String, _ arguments: [String], environment: [String] = []) async throws {
        let program = (environment.isEmpty ? [] : ["/usr/bin/env"] + environment) + ["\(bin)/\(name)"]
        let command = (asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []) + program
        try await Self.run(command[0], Array(command.dropFirst()) + arguments)
    }

    /// Runs a program to its end. Not by `Process`: Foundation on Linux learns that a child ended
    /// when every holder of a descriptor it gives the child has closed it, and the server `pg_ctl`
    /// leaves running would hold it for ever. `posix_spawn` and `waitpid` ask the kernel instead.
    static func run(_ program: String, _ arguments: [String]) async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("cix-pg-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of this process goes with it: the server `pg_ctl` leaves running would keep
        // other tests' listening sockets open, and their nodes could not restart on their ports.
        guard let closeFrom = closeFrom else {
            throw TestFailure("glibc has no posix_spawn_file_actions_addclosefrom_np")
        }
        _ = closeFrom(&actions, 3)
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer {
            for argument in argv { free(argument) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, environ)
        guard spawned == 0 else { throw TestFailure("cannot start \(program): error \(spawned)") }
        var status: Int32 = 0
        while true {
            let ended = waitpid(pid, &status, WNOHANG)
            if ended == pid { break }
            guard ended == 0 || errno == EINTR else { throw TestFailure("lost \(program) (errno \(errno))") }
            try await Task.sleep(for: .milliseconds(50))
        }
        let exited = status & 0x7f == 0
        guard exited, (status >> 8) & 0xff == 0 else {
            let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw TestFailure("\(program) \(arguments.joined(separator: " ")) failed (status \(status)): \(said)")
        }
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module does not show.
    nonisolated(unsafe) static let closeFrom:
        (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
            else { return nil }
            return unsafeBitCast(
                symbol,
                to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self
            )
        }()

    /// A TCP port nothing listens on now, below the kernel's ephemeral range (32768 and up):
    /// the nodes of other tests bind port 0 and restart on the port they got, so a port the
    /// kernel hands out could be theirs a moment later.
    package static func freePort() throws -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: 20_000..<30_000)
            if try isFree(port) { return port }
        }
        throw TestFailure("no free port between 20000 and 30000")
    }

    static func isFree(_ port: Int) throws -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestFailure("no socket for a free port") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
        }
        return bound == 0
    }
}
