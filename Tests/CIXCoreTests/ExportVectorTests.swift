import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXTesting
import Foundation
import Testing

/// `Protocol/vectors/export.json` read back: a fresh node importing its lines answers each as the
/// vector says, and the canonical examples are the exact bytes of the pretty ones.
@Suite("Export vectors")
struct ExportVectorTests {
    @Test func aFreshNodeAnswersEachLineAsTheVectorSays() async throws {
        let vector = try #require(
            try Fixtures.json(Fixtures.protocolFolder.appendingPathComponent("vectors/export.json")).objectValue
        )
        let lines = (vector["lines"]?.arrayValue ?? []).compactMap(\.stringValue)
        let expected = (vector["results"]?.arrayValue ?? []).compactMap { $0.objectValue?["result"]?.stringValue }
        #expect(lines.count == 10 && expected.count == lines.count)

        let folder = TemporaryDirectory("export-vector")
        defer { folder.remove() }
        let node = try LocalNode.create(
            in: NodeDirectory(path: folder.file("node").path),
            name: "Reader",
            kind: .mirror,
            url: "https://127.0.0.1:1",
            listen: nil,
            now: .now()
        )
        let file = folder.file("export.ndjson")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let report = try await EventImporter(node: node).importFile(file, source: "import", now: { .now() })
        let verdicts = Dictionary(report.verdicts.map { ($0.line, $0.code) }, uniquingKeysWith: { first, _ in first })
        for (index, result) in expected.enumerated() {
            let answer = verdicts[index + 1] ?? "record"
            #expect(answer == result, "line \(index + 1)")
        }
        #expect(report.records == expected.filter { $0 == "record" }.count)
    }

    @Test func canonicalExamplesAreThePrettyOnesBytes() throws {
        for kind in EventKind.allCases {
            let folder = Fixtures.protocolFolder.appendingPathComponent("examples")
            let pretty = try Fixtures.json(folder.appendingPathComponent("\(kind.rawValue).json"))
            let canonical = try Array(
                Data(contentsOf: folder.appendingPathComponent("\(kind.rawValue).canonical.json"))
            )
            #expect(try pretty.canonicalBytes() == canonical, "\(kind.rawValue)")
            #expect(try Event.decode(canonical).kind == kind)
        }
    }
}
