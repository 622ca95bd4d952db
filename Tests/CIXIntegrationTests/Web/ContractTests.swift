import CIXCore
import CIXNode
import CIXTesting
import Foundation
import Testing

/// `Protocol/openapi.yaml` against a live node over HTTPS: schemathesis
/// generates requests from the document (valid and invalid ones, undeclared
/// methods, stateful sequences) and checks every answer against it.
///
/// CI runs 100 examples per operation with a fixed seed, so a failure can be
/// replayed. Before a release, run more: `CIX_CONTRACT_EXAMPLES=1000
/// CIX_CONTRACT_SEED=7 swift test --filter ContractTests` (about 7 minutes).
@Suite("The API keeps its published contract")
struct ContractTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../..").standardized

    @Test func schemathesisFindsNoFailures() async throws {
        let environment = ProcessInfo.processInfo.environment
        let examples = environment["CIX_CONTRACT_EXAMPLES"] ?? "100"
        let seed = environment["CIX_CONTRACT_SEED"] ?? "1"
        let town = try await WebTown.start("contract")
        do {
            _ = try await town.reportAntisocialBehaviour(title: "Noise at night", description: "Every weekend.")
            let certificate = town.folder.file("council-ca.pem")
            try town.council.caPEM.write(to: certificate, atomically: true, encoding: .utf8)
            // The council's data served by the real daemon in a process of its own, so the
            // answers are the executable's, and other tests in this process cannot slow it.
            await town.council.stop()
            let daemon = try await Daemon.start(
                NodeDirectory(path: town.folder.file("council").path),
                arguments: ["--pull-interval", "3600"]
            )
            defer { daemon.stop() }
            var variables = environment
            variables["SCHEMATHESIS_HOOKS"] = "hooks"
            variables["PYTHONPATH"] = Self.repository.appendingPathComponent("Tests/Contract").path
            let (status, output) = try await Process.runTool(
                "schemathesis",
                [
                    "run", Self.repository.appendingPathComponent("Protocol/openapi.yaml").path,
                    "--url", daemon.url, "--tls-verify", certificate.path, "--request-timeout", "30",
                    "--seed", seed, "--max-examples", examples, "--checks", "all",
                    // One worker: with several, Python 3.11's ast module trips over itself in hypothesis.
                    "--workers", "1", "--no-color",
                ],
                in: town.folder.url,
                environment: variables
            )
            let summary = output.components(separatedBy: "SUMMARY").last ?? output
            #expect(status == 0, "schemathesis failed:\n\(output.suffix(6_000))")
            #expect(summary.contains("Tested: 17"), "\(summary)")
            #expect(!summary.contains("failures") && !summary.contains("error"), "\(summary)")
        } catch {
            await town.stop()
            throw error
        }
        await town.stop()
    }
}
