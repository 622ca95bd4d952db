import Foundation

/// Reads a file as lines of bytes in bounded memory (NDJSON).
///
/// A line longer than `maxLineBytes` is not held: it comes back as
/// `.tooLong` so the caller can report it, and reading goes on after it.
struct LineReader {
    enum Line {
        case text(number: Int, bytes: [UInt8])
        case tooLong(number: Int)
    }

    private let handle: FileHandle
    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var position = 0
    private var skipping = false
    private var atEnd = false
    private(set) var lineNumber = 0
    private(set) var bytesRead: Int64 = 0

    init(handle: FileHandle, maxLineBytes: Int) {
        self.handle = handle
        self.maxLineBytes = maxLineBytes
    }

    /// The next line without its newline (blank lines skipped), or nil at the end.
    mutating func next() throws -> Line? {
        while true {
            if let newline = buffer[position...].firstIndex(of: 0x0A) {
                let line = Array(buffer[position..<newline])
                position = newline + 1
                lineNumber += 1
                if skipping {
                    skipping = false
                    return .tooLong(number: lineNumber)
                }
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
                return .text(number: lineNumber, bytes: line.last == 0x0D ? Array(line.dropLast()) : line)
            }
            if buffer.count - position > maxLineBytes {
                skipping = true
                buffer.removeAll(keepingCapacity: true)
                position = 0
            }
            if atEnd {
                guard position < buffer.count || skipping else { return nil }
                lineNumber += 1
                let rest = Array(buffer[position...])
                buffer.removeAll()
                position = 0
                if skipping {
                    skipping = false
                    return .tooLong(number: lineNumber)
                }
                if rest.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { return nil }
                return .text(number: lineNumber, bytes: rest)
            }
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty {
                atEnd = true
            } else {
                bytesRead += Int64(chunk.count)
                buffer.removeSubrange(0..<position)
                position = 0
                buffer.append(contentsOf: chunk)
            }
        }
    }
}
