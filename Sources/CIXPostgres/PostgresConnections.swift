import CIXStore
import Dispatch
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// A small pool of connections answering synchronously, as the store protocols ask.
///
/// The store protocols are synchronous (GRDB's shape: a page handler reads the
/// store and renders). The connections run on an event loop of their own, so a
/// caller that waits for an answer blocks only itself, never the threads that
/// carry the connections' I/O: waiting cannot starve the driver.
final class PostgresConnections: Sendable {
    let group: MultiThreadedEventLoopGroup
    let configuration: PostgresConnection.Configuration
    let logger: Logger
    private let idle = Mutex<[PostgresConnection]>([])
    /// Each pooled connection's `statement_timeout` in milliseconds, where it is not 0 (none).
    private let timeouts = Mutex<[ObjectIdentifier: Int64]>([:])
    private let dedicated = Mutex<[PostgresConnection]>([])
    private let opened = Atomic<Int>(0)
    private let closed = Atomic<Bool>(false)
    /// At most this many connections are open at once; callers beyond wait for one.
    private let slots: DispatchSemaphore

    init(configuration: PostgresConnection.Configuration, size: Int, logger: Logger) {
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.configuration = configuration
        self.logger = logger
        self.slots = DispatchSemaphore(value: size)
    }

    /// Runs `work` on a connection of the pool, opening one if none is idle. The server cancels
    /// any of its statements that runs longer than `timeout` seconds (nil: none does).
    func withConnection<T>(timeout: Int? = nil, _ work: (PostgresConnection) throws -> T) throws -> T {
        guard !closed.load(ordering: .acquiring) else {
            throw StoreError(code: .unavailable, message: "the PostgreSQL store was closed", cause: nil)
        }
        slots.wait()
        defer { slots.signal() }
        // A connection the server closed while it was idle (a restart) is dropped, never used:
        // the driver would queue a query on it that no answer ever completes.
        let connection =
            try idle.withLock { held in
                while let candidate = held.popLast() {
                    if !candidate.isClosed { return candidate }
                    timeouts.withLock { $0[ObjectIdentifier(candidate)] = nil }
                }
                return nil
            } ?? open()
        let key = ObjectIdentifier(connection)
        defer {
            if connection.isClosed {
                timeouts.withLock { $0[key] = nil }
            } else {
                idle.withLock { $0.append(connection) }
            }
        }
        // Set only where it changes: most uses of a connection keep the last one's setting.
        let milliseconds = Int64(timeout ?? 0) * 1_000
        if timeouts.withLock({ $0[key] ?? 0 }) != milliseconds {
            try connection.run(PostgresQuery(unsafeSQL: "SET statement_timeout = \(milliseconds)"))
            timeouts.withLock { $0[key] = milliseconds == 0 ? nil : milliseconds }
        }
        return try work(connection)
    }

    /// Runs `work` in a transaction (`begin` opens it): committed if it returns, rolled back if it throws.
    func transaction<T>(
        begin: PostgresQuery = "BEGIN",
        timeout: Int? = nil,
        _ work: (PostgresConnection) throws -> T
    ) throws -> T {
        try withConnection(timeout: timeout) { connection in
            try connection.run(begin)
            do {
                let result = try work(connection)
                try connection.run("COMMIT")
                return result
            } catch {
                if !connection.isClosed { _ = try? connection.run("ROLLBACK") }
                throw error
            }
        }
    }

    /// A connection outside the pool, for a session of its own (leases); closed with the pool.
    func openDedicated() throws -> PostgresConnection {
        guard !closed.load(ordering: .acquiring) else {
            throw StoreError(code: .unavailable, message: "the PostgreSQL store was closed", cause: nil)
        }
        let connection = try open()
        dedicated.withLock { $0.append(connection) }
        return connection
    }

    private func open() throws -> PostgresConnection {
        let id = opened.add(1, ordering: .relaxed).newValue
        return try PostgresConnection.connect(on: group.next(), configuration: configuration, id: id, logger: logger)
            .wait()
    }

    /// Closes every idle and dedicated connection and stops the event loop (once).
    ///
    /// Waits for both, except on an event-loop thread (a store's last reference can be dropped
    /// on one, when a server's router is torn down): waiting there is forbidden, and would stop
    /// the process, so the closing is handed to a thread of Dispatch's and the call returns at once.
    func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let connections =
            idle.withLock { held in
                defer { held.removeAll() }
                return held
            }
            + dedicated.withLock { held in
                defer { held.removeAll() }
                return held
            }
        let group = group
        let finish = { @Sendable in
            for connection in connections where !connection.isClosed { _ = try? connection.close().wait() }
            try? group.syncShutdownGracefully()
        }
        if MultiThreadedEventLoopGroup.currentEventLoop == nil {
            finish()
        } else {
            DispatchQueue.global().async(execute: finish)
        }
    }
}

extension PostgresConnection {
    /// How long one statement may take before the connection is given up (closed, so that it
    /// is not used again) and the statement fails: a server that vanishes mid-answer costs a
    /// caller this long at most.
    static let statementDeadline: Int64 = 120

    /// Runs a statement and returns its rows, waiting for them (`answer`; upkeep that rewrites
    /// tables passes a longer `deadline` in seconds).
    @discardableResult
    func run(
        _ query: PostgresQuery,
        deadline: Int64 = statementDeadline,
        logger: Logger = PostgresStore.quiet
    ) throws -> [PostgresRow] {
        try answer(self.query(query, logger: logger), deadline: deadline).rows
    }

    /// Waits for a statement's answer, at most `deadline` seconds; after it the connection is
    /// closed (so that it is not used again) and the statement fails.
    func answer<T: Sendable>(_ pending: EventLoopFuture<T>, deadline: Int64 = statementDeadline) throws -> T {
        do {
            return try pending.wait(atMost: .seconds(deadline))
        } catch let error as PostgresDeadline {
            let closing: EventLoopFuture<Void> = close()
            closing.whenComplete { _ in }
            throw error
        }
    }

    /// The rows of a query, each decoded as `T` (a column type or a tuple of them).
    func rows<each Column: PostgresDecodable>(
        _ query: PostgresQuery,
        as type: (repeat each Column).Type
    ) throws -> [(repeat each Column)] {
        try run(query).map { try $0.decode(type) }
    }

    /// The rows of a one-column query, decoded as `T`.
    func rows<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type) throws -> [T] {
        try run(query).map { try $0.decode(T.self) }
    }

    /// The one value of a query that answers one row of one column (nil if no row).
    func value<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type) throws -> T? {
        try run(query).first.map { try $0.decode(T.self) }
    }
}

/// SQL built from pieces with their bound values, numbered as it grows.
struct SQLBuilder {
    private(set) var sql = ""
    private(set) var bindings = PostgresBindings()

    /// A placeholder for `value`, bound.
    mutating func bind<T: PostgresDynamicTypeEncodable>(_ value: T) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    mutating func append(_ text: String) { sql += text }
}

/// A statement that got no answer in time.
struct PostgresDeadline: Error, Sendable, CustomStringConvertible {
    let seconds: Int64
    var description: String { "no answer from the PostgreSQL server within \(seconds) s" }
}

extension EventLoopFuture where Value: Sendable {
    /// Waits for the value, at most `deadline`; after it, fails with `PostgresDeadline`.
    func wait(atMost deadline: TimeAmount) throws -> Value {
        let promise = eventLoop.makePromise(of: Value.self)
        let settled = NIOLockedValueBox(false)
        // Whichever comes first settles the promise; the other finds it settled.
        let first = { @Sendable () -> Bool in
            settled.withLockedValue { done in
                defer { done = true }
                return !done
            }
        }
        let timer = eventLoop.scheduleTask(in: deadline) {
            if first() { promise.fail(PostgresDeadline(seconds: deadline.nanoseconds / 1_000_000_000)) }
        }
        whenComplete { result in
            timer.cancel()
            if first() { promise.completeWith(result) }
        }
        return try promise.futureResult.wait()
    }
}
