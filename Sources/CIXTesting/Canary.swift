import Foundation

/// Raw-byte searches of a node's files, for the tests that prove what a node
/// holds (or does not): a resident's details, a redacted text.
package enum Canary {
    /// Every file under `root`, with its bytes.
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

    /// The files under `root` whose bytes contain `text` (as UTF-8).
    package static func filesHolding(_ text: String, under root: URL) throws -> [String] {
        let needle = Array(text.utf8)
        return try files(under: root).filter { contains($0.bytes, needle) }.map(\.path)
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
