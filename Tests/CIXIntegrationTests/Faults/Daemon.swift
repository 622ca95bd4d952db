import CIXNode
import Foundation

/// A real `cix serve` process on 127.0.0.1 (a free port), for tests that act
/// on the process itself: signals, tracing, fault injection.
final class Daemon: @unchecked Sendable {
    // Invariant: `process` and `log` are set once in `start` and only read afterwards.
    let process: Process
    let log: URL
    let url: String

    /// The `cix` executable built beside the tests.
    static let executable: URL = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "cix"
        )
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/cix")
    }()

    private init(process: Process, log: URL, url: String) {
        self.process = process
        self.log = log
        self.url = url
    }

    var pid: Int32 { process.processIdentifier }

    /// Starts `cix serve` on the node in `directory` and waits (at most 30 s) until it says where it listens.
    static func start(_ directory: NodeDirectory, arguments: [String] = []) async throws -> Daemon {
        let log = directory.root.appendingPathComponent("daemon.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = executable
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
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
}

/// `strace` attached to a running process, making every `fsync` and `fdatasync`
/// of all its threads fail with EIO until it is stopped.
final class SyncFault: @unchecked Sendable {
    // Invariant: `process` is set once in `attach`.
    let process: Process
    let output: URL

    private init(process: Process, output: URL) {
        self.process = process
        self.output = output
    }

    static func attach(to pid: Int32, log: URL) async throws -> SyncFault {
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

    var text: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// How many syncs were made to fail so far.
    var injected: Int { text.components(separatedBy: "(INJECTED)").count - 1 }

    /// Ends strace, so syncs work again. SIGKILL, because strace inherits the test
    /// runner's blocked signals and would never see SIGINT or SIGTERM; the kernel
    /// detaches the traced threads when their tracer dies, and they run on.
    func lift() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
