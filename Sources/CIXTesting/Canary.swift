import CIXNode
import CIXPostgres
import Foundation

/// Raw-byte searches of a node's files, for the tests that prove what a node
/// holds (or does not): a resident's details, a redacted text.
package enum Canary {
    /// Every file under `root`, with its bytes. Read in this process: only for stores no `cix`
    /// command will write to afterwards (see `filesHolding`).
    package static func files(under root: URL) throws -> [(path: String, bytes: [UInt8])] {
        let paths = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        return try paths.compactMap { path in
            let url = root.appendingPathComponent(path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { return nil }
            return (path, Array(try Data(contentsOf: url)))
        }
    }

    /// The files holding `text` of `node`'s data directory and, when its store is in
    /// PostgreSQL, of its database and the cluster's WAL (prefixed `postgres:`).
    package static func filesHolding(_ text: String, inStoreOf node: LocalNode) throws -> [String] {
        var found = try filesHolding(text, under: node.directory.root)
        if let postgres = node.store as? PostgresStore {
            let data = try postgres.texts("SELECT current_setting('data_directory')").first ?? ""
            let database = try postgres.integers("SELECT oid::int8 FROM pg_database WHERE datname = current_database()")
            for part in ["base/\(database.first ?? 0)", "pg_wal"] {
                let folder = URL(fileURLWithPath: data).appendingPathComponent(part)
                found += try filesHolding(text, under: folder).map { "postgres:\(part)/\($0)" }
            }
        }
        return found
    }

    /// The files under `root` whose bytes contain `text` (as UTF-8), relative to `root`.
    ///
    /// Searched by `grep` in a child process, not read here: closing any descriptor this process
    /// opened on a live SQLite file drops the POSIX locks its connections hold on it (SQLite's
    /// documented hazard), and a `cix` command writing next would then corrupt the store.
    package static func filesHolding(_ text: String, under root: URL) throws -> [String] {
        let grep = Process()
        grep.executableURL = URL(fileURLWithPath: "/usr/bin/grep")
        grep.arguments = ["-rlaF", "--", text, "."]
        grep.currentDirectoryURL = root
        let output = Pipe()
        let errors = Pipe()
        grep.standardOutput = output
        grep.standardError = errors
        try grep.run()
        let listed = output.fileHandleForReading.readDataToEndOfFile()
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        grep.waitUntilExit()
        // 0: found, 1: found nothing; anything else is grep's own failure, except files that went
        // while it walked (SQLite removes its -wal and -shm files when its last connection closes):
        // what is gone holds nothing.
        let vanished = said.split(separator: "\n").allSatisfy { $0.hasSuffix("No such file or directory") }
        guard grep.terminationStatus <= 1 || vanished else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: root.path, "grep": said])
        }
        return String(decoding: listed, as: UTF8.self).split(separator: "\n").map {
            String($0.hasPrefix("./") ? $0.dropFirst(2) : $0)
        }
    }

    package static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var index = 0
        while let found = haystack[index...].firstIndex(of: first), found + needle.count <= haystack.count {
            if haystack[found..<(found + needle.count)].elementsEqual(needle) { return true }
            index = found + 1
        }
        return false
    }
}
