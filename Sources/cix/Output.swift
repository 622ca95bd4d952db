import ArgumentParser
import CIXCanonicalJSON
import Foundation

/// Printing for people and scripts: data to standard output, messages and progress to standard error.
enum Output {
    /// Prints an error message and returns the exit code to throw.
    static func fail(_ message: String) -> ExitCode {
        printError("error: \(message)")
        return ExitCode.failure
    }

    /// Prints a mistake in the command line found only while running (an unknown
    /// node prefix, say) and returns exit status 64, as for any other usage error.
    static func misuse(_ message: String) -> ExitCode {
        printError("error: \(message)")
        return ExitCode(64)
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Runs an operation, turning a typed failure into a message and exit status 1.
    static func run<T, E: Error>(_ operation: () throws(E) -> T) throws -> T {
        do {
            return try operation()
        } catch {
            throw fail("\(error)")
        }
    }

    /// `run` for asynchronous work.
    static func runAsync<T, E: Error>(_ operation: () async throws(E) -> T) async throws -> T {
        do {
            return try await operation()
        } catch {
            throw fail("\(error)")
        }
    }

    /// Prints a JSON value in canonical form on one line.
    static func printJSON(_ value: JSONValue) {
        print((try? value.canonicalString()) ?? "null")
    }

    /// Whether standard error is a terminal (progress bars only go there).
    static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

/// A one-line progress bar on standard error, drawn only on a terminal.
struct ProgressBar: Sendable {
    let label: String
    let total: Int64
    let started = Date()

    func update(done: Int64, detail: String) {
        guard Output.isTerminal else { return }
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = "\r\(label) [\(bar)] \(Int(fraction * 100))% \(detail)"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard Output.isTerminal else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    var elapsed: Double { max(Date().timeIntervalSince(started), 0.001) }
}
