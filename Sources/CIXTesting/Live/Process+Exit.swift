import Foundation

extension Process {
    /// Waits for the process to end without holding a thread: tests share the
    /// few threads of Swift's pool with the in-process nodes of other tests,
    /// and a blocked thread can starve them.
    package func exit() async {
        while isRunning {
            try? await Task.sleep(for: .milliseconds(100))
        }
        waitUntilExit()
    }

    /// Runs a tool found on PATH to its end, without holding a thread, and returns
    /// its exit status and everything it wrote (standard output and error together).
    package static func runTool(
        _ tool: String,
        _ arguments: [String],
        in directory: URL? = nil,
        environment: [String: String]? = nil
    ) async throws -> (status: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("cix-tool-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        await process.exit()
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}
