import CIXCanonicalJSON
import Foundation

/// Where the test data lives: `Tests/Fixtures` and `Protocol/` in this repository.
enum Fixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let external = packageRoot.appendingPathComponent("Tests/Fixtures/external")
    static let protocolFolder = packageRoot.appendingPathComponent("Protocol")

    static func json(_ url: URL) throws -> JSONValue {
        try JSONParser(limits: .init(maxDepth: 64, maxBytes: 64 << 20)).parse(Array(try Data(contentsOf: url)))
    }
}
