import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXRouting
import CIXStore
import CIXTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// What `Protocol/openapi.yaml` promises of methods and parameters, checked
/// on the router itself (schemathesis checks the whole document on a live node).
@Suite("The API's methods and parameters")
struct APIContractTests {
    static let openAPI = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Protocol/openapi.yaml").standardized

    @Test func headWhereverGetAnd405WithAllowForAnyOtherMethod() async throws {
        let node = try InProcessNode.make("methods")
        defer { node.remove() }
        try await node.test { client in
            let get = try await client.execute(uri: "/api/v1/issues", method: .get)
            let head = try await client.execute(uri: "/api/v1/issues", method: .head)
            #expect(head.status == .ok && head.body.readableBytes == 0)
            #expect(head.headers[.contentType] == get.headers[.contentType])
            for (method, path, allow) in [
                (HTTPRequest.Method.post, "/api/v1/issues", "GET, HEAD"),
                (.delete, "/healthz", "GET, HEAD"),
                (.put, "/federation/v1/events", "GET, HEAD, POST"),
                (HTTPRequest.Method("QUERY")!, "/api/v1/issues/\(String(repeating: "a", count: 64))", "GET, HEAD"),
                (.post, "/issues/abc/sent", "GET, HEAD"),
                (.get, "/issues/abc/confirm", "POST"),
                (.patch, "/", "GET, HEAD"),
            ] {
                let answer = try await client.execute(uri: path, method: method)
                #expect(answer.status == .methodNotAllowed, "\(method) \(path)")
                #expect(answer.headers[.allow] == allow, "\(method) \(path)")
                #expect(answer.text.contains(#""error":"method_not_allowed""#), "\(answer.text)")
            }
            #expect(try await client.execute(uri: "/no/such/thing", method: .post).status == .notFound)
        }
    }

    @Test func parametersAreReadExactlyAsPublished() async throws {
        let node = try InProcessNode.make("parameters")
        defer { node.remove() }
        for (title, longitude) in [("East of the line", 179.5), ("West of the line", -179.5), ("Greenwich", 0.0)] {
            _ = try node.node.report(
                ReportSubmission(title: title, category: "litter", latitude: 1, longitude: longitude),
                now: .now()
            )
        }
        try await node.test { client in
            func titles(_ query: String) async throws -> [String] {
                let answer = try await client.execute(uri: "/api/v1/issues?\(query)", method: .get)
                #expect(answer.status == .ok, "\(query): \(answer.text)")
                return (try JSONParser().parse(Array(buffer: answer.body))["issues"]?.arrayValue ?? []).compactMap {
                    $0["title"]?.stringValue
                }.sorted()
            }
            func refused(_ query: String) async throws -> String {
                let answer = try await client.execute(uri: "/api/v1/issues?\(query)", method: .get)
                #expect(answer.status == .badRequest, "\(query)")
                return try JSONParser().parse(Array(buffer: answer.body))["message"]?.stringValue ?? ""
            }
            // West greater than east: the box crosses the antimeridian (RFC 7946).
            #expect(try await titles("bbox=179,-10,-179,10") == ["East of the line", "West of the line"])
            #expect(try await titles("bbox=-1,-10,1,10") == ["Greenwich"])
            // South and north the wrong way round are taken the other way round.
            #expect(try await titles("bbox=-1,10,1,-10") == ["Greenwich"])
            // Empty filters mean any, as the filter form sends them.
            #expect(try await titles("status=&category=&agency=&q=&bbox=&sort=").count == 3)
            #expect(try await refused("status=open&status=fixed").contains("“status” is given more than once"))
            #expect(try await refused("page=").contains("page must be a whole number from 1 to 10000"))
            #expect(try await refused("limit=+5").contains("limit"))
            #expect(try await refused("limit=201").contains("limit must be a whole number from 1 to 200"))
            #expect(try await refused("status=%20open").contains("unknown status"))
            #expect(try await refused("bbox=1,2,3").contains("bbox"))
            #expect(try await refused("q=\(String(repeating: "a", count: 201))").contains("at most 200"))
            let geo = try await client.execute(uri: "/api/v1/issues.geojson?limit=1001", method: .get)
            #expect(geo.status == .badRequest)
        }
    }

    /// The published category codes are the taxonomy's, the same ones the server takes.
    @Test func theCategoryEnumIsTheTaxonomy() throws {
        let document = try String(contentsOf: Self.openAPI, encoding: .utf8)
        let line = try #require(document.split(separator: "\n").first { $0.contains("enum: [\"\", pothole") })
        let inner = line.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }
        let codes = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(codes == ["\"\""] + Taxonomy.categories.map(\.code))
    }

    /// The server's bbox grammar and the published pattern accept the same texts.
    @Test func theBboxGrammarIsThePublishedPattern() throws {
        let document = try String(contentsOf: Self.openAPI, encoding: .utf8)
        let line = try #require(document.split(separator: "\n").first { $0.contains("pattern: \"^(-?(180") })
        let quoted = line.split(separator: "\"", omittingEmptySubsequences: false)[1]
        let pattern = try NSRegularExpression(pattern: String(quoted).replacingOccurrences(of: "\\\\", with: "\\"))
        // As ECMA-262 reads it: `$` is the end of the text, never before a last newline.
        func published(_ text: String) -> Bool {
            let whole = NSRange(text.startIndex..., in: text)
            return pattern.firstMatch(in: text, range: whole)?.range == whole
        }
        var samples = [
            "", "0,0,0,0", "-180,-90,180,90", "180.0,90.00,-180.000,-90.0", "180.1,0,0,0", "0,90.01,0,0",
            "099,0,0,0", "0,090,0,0", "1.,0,0,0", ".5,0,0,0", "+1,0,0,0", "1e2,0,0,0", "-0,-0,-0,-0",
            "0,0,0", "0,0,0,0,0", " 0,0,0,0", "0,0,0,0\n", "nan,0,0,0", "0x1,0,0,0", "１,0,0,0", "12.345678,-45.5,1,2",
        ]
        var random = SeededGenerator(seed: 42)
        let pieces = ["-", "0", "1", "9", "17", "18", "180", "90", "89", ".", ".0", ".5", "00", "199", "100"]
        for _ in 0..<5_000 {
            samples.append(
                (0..<4).map { _ in
                    (0..<Int.random(in: 1...3, using: &random)).map { _ in pieces.pick(using: &random) }.joined()
                }
                .joined(separator: ",")
            )
        }
        for sample in samples {
            let server = sample.isEmpty || BoundingBox(sample) != nil
            #expect(server == published(sample), "“\(sample)”: server \(server), published \(published(sample))")
        }
    }
}
