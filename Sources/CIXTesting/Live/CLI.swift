import Foundation

/// Runs the real `cix` executable built beside the tests (or in `.build/debug`).
package struct CLI: Sendable {
    package struct Result: Sendable {
        package let status: Int32
        package let stdout: String
        package let stderr: String
    }

    package static let executable: URL = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "cix"
        )
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        // Sources/CIXTesting/Live/CLI.swift: the package root is four folders up.
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { root.deleteLastPathComponent() }
        return root.appendingPathComponent(".build/debug/cix")
    }()

    package let data: String

    package init(data: String) {
        self.data = data
    }

    /// Runs `cix ARGS --data DATA` (or without `--data`), with `input` on standard input, to its end
    /// without holding a thread: tests that run towns in this process share the few threads of
    /// Swift's pool with those towns' nodes, and a thread blocked on a child process stalls every
    /// node of every test meanwhile. (There is deliberately no blocking variant.)
    package func runAsync(_ arguments: [String], input: String? = nil, withData: Bool = true) async throws -> Result {
        let folder = FileManager.default.temporaryDirectory
        let outFile = folder.appendingPathComponent("cix-cli-\(UUID().uuidString).out")
        let errFile = folder.appendingPathComponent("cix-cli-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outFile)
            try? FileManager.default.removeItem(at: errFile)
        }
        let out = try FileHandle(forWritingTo: outFile)
        let err = try FileHandle(forWritingTo: errFile)
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments + (withData ? ["--data", data] : [])
        process.standardOutput = out
        process.standardError = err
        // Standard input from a file, so that nothing waits on a pipe.
        let inFile = folder.appendingPathComponent("cix-cli-\(UUID().uuidString).in")
        FileManager.default.createFile(atPath: inFile.path, contents: Data((input ?? "").utf8))
        defer { try? FileManager.default.removeItem(at: inFile) }
        process.standardInput = try FileHandle(forReadingFrom: inFile)
        try process.run()
        await process.exit()
        try out.close()
        try err.close()
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: outFile, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        )
    }

    /// Starts `cix ARGS --data DATA` without waiting.
    package func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments + ["--data", data]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}
