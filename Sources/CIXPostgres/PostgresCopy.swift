import CIXCore
import NIOCore
import PostgresNIO

/// Rows for `COPY … FROM STDIN` in PostgreSQL's text format: a line a row, a tab
/// between columns, backslash escapes. COPY streams rows into a table without
/// planning a statement or building arrays: 2.8 times faster than an `INSERT …
/// SELECT unnest(…)` of the log's rows by hand, 1.4 times through the store (`deploy/SCALE.md`).
struct CopyRows {
    private(set) var buffer = ByteBuffer()
    private(set) var count = 0
    private var fresh = true

    /// Ends the current row (a row's fields are added in the table's column order).
    mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        count += 1
        fresh = true
    }

    /// A text field, with the characters COPY treats specially escaped.
    mutating func text(_ value: String) {
        separate()
        let special: (UInt8) -> Bool = { $0 == UInt8(ascii: "\\") || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard value.utf8.contains(where: special) else {
            buffer.writeString(value)
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case 0x09: buffer.writeStaticString("\\t")
            case 0x0A: buffer.writeStaticString("\\n")
            case 0x0D: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    /// An integer field.
    mutating func integer(_ value: Int64) {
        separate()
        buffer.writeString(String(value))
    }

    /// A boolean field.
    mutating func flag(_ value: Bool) {
        separate()
        buffer.writeInteger(UInt8(ascii: value ? "t" : "f"))
    }

    /// A `bytea` field in hex: PostgreSQL's `\x…`, its backslash doubled for COPY.
    mutating func bytes(_ value: [UInt8]) {
        separate()
        buffer.writeStaticString("\\\\x")
        buffer.writeString(Hex.encode(value))
    }

    private mutating func separate() {
        if !fresh { buffer.writeInteger(UInt8(ascii: "\t")) }
        fresh = false
    }
}

extension PostgresConnection {
    /// Streams `rows` into `table` with `COPY … FROM STDIN`, waiting for it as for any statement (`answer`).
    ///
    /// The driver offers COPY only to async code; it runs here on the connection's own event
    /// loop, so it never waits for a thread of the shared pool (the caller may hold the
    /// writers' lock, and callers blocked on that lock may hold every thread of the pool).
    func copy(_ rows: CopyRows, into table: String, columns: [String]) throws {
        guard rows.count > 0 else { return }
        let done = eventLoop.makePromise(of: Void.self)
        let data = rows.buffer
        Task(executorPreference: EventLoopTaskExecutor(eventLoop)) {
            do {
                try await self.copyFrom(table: table, columns: columns, logger: PostgresStore.quiet) { writer in
                    // Chunks of 1 MiB: the driver waits between them while the server reads.
                    var remaining = data
                    while let chunk = remaining.readSlice(length: min(remaining.readableBytes, 1 << 20)),
                        chunk.readableBytes > 0
                    {
                        try await writer.write(chunk)
                    }
                }
                done.succeed(())
            } catch {
                done.fail(error)
            }
        }
        try answer(done.futureResult)
    }
}

/// Runs a task's jobs on an event loop: async driver calls made from synchronous
/// code run on the loop that carries their connection, not on the shared pool.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
