import CIXNode
import Foundation

/// A real `cix serve` process on 127.0.0.1 (a free port), for tests that act
/// on the process itself: signals, tracing, fault injection.
package final class Daemon: @unchecked Sendable {
    // Invariant: `process` and `log` are set once in `start` and only read afterwards.
    package let process: Process
    package let log: URL
    package let url: String

    private init(process: Process, log: URL, url: String) {
        self.process = process
        self.log = log
        self.url = url
    }

    package var pid: Int32 { process.processIdentifier }

    /// Starts `cix serve` on the node in `directory` and waits (at most 30 s) until it says where it listens.
    package static func start(_ directory: NodeDirectory, arguments: [String] = []) async throws -> Daemon {
        let log = directory.root.appendingPathComponent("daemon.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["serve", "--data", directory.root.path, "--listen", "127.0.0.1:0"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        for _ in 0..<300 {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"https://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                return Daemon(process: process, log: log, url: String(text[range]))
            }
            guard process.isRunning else { throw TestFailure("cix serve stopped while starting:\n\(text)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.terminate()
        throw TestFailure("cix serve did not say where it listens within 30 s")
    }

    /// SIGTERM, then waits for the process to end.
    package func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    package var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
}

/// `strace` attached to a running process, making every `fsync` and `fdatasync`
/// of all its threads fail with EIO until it is stopped.
package final class SyncFault: @unchecked Sendable {
    // Invariant: `process` is set once in `attach`.
    let process: Process
    let output: URL

    private init(process: Process, output: URL) {
        self.process = process
        self.output = output
    }

    package static func attach(to pid: Int32, log: URL) async throws -> SyncFault {
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "strace", "-f", "-p", String(pid), "-e", "trace=fsync,fdatasync", "-e", "inject=fsync,fdatasync:error=EIO",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let fault = SyncFault(process: process, output: log)
        for _ in 0..<100 {
            if fault.text.contains("attached") {
                // Every thread is attached by the time strace reports the first; leave it a moment.
                try await Task.sleep(for: .milliseconds(500))
                return fault
            }
            guard process.isRunning else {
                throw TestFailure("strace could not attach (is it installed?):\n\(fault.text)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.terminate()
        throw TestFailure("strace did not attach within 10 s")
    }

    package var text: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// How many syncs were made to fail so far.
    package var injected: Int { text.components(separatedBy: "(INJECTED)").count - 1 }

    /// Ends strace, so syncs work again. SIGKILL, because strace inherits the test
    /// runner's blocked signals and would never see SIGINT or SIGTERM; the kernel
    /// detaches the traced threads when their tracer dies, and they run on.
    package func lift() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
