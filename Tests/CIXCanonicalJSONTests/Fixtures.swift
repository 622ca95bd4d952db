import Foundation

/// Where the test data lives: `Tests/Fixtures` and `Protocol/` in this repository.
enum Fixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let external = packageRoot.appendingPathComponent("Tests/Fixtures/external")

    static func files(in folder: String) -> [URL] {
        let url = external.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.sorted().map { url.appendingPathComponent($0) }
    }

    static func bytes(_ url: URL) -> [UInt8] {
        (try? Data(contentsOf: url)).map(Array.init) ?? []
    }
}
