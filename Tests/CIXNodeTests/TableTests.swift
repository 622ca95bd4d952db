import CIXCore
import CIXNode
import CIXStore
import CIXTesting
import Foundation
import Testing

extension IntakeCase: CustomTestStringConvertible {
    package var testDescription: String { name }
}

/// The shared tables of good and bad input, judged by the node layer itself:
/// the intake pipeline for reports, the acceptance step (through an import
/// file) for delivered lines. The web form, Open311, the CLI, push and pull
/// are held to the same tables in their own test targets.
@Suite("Intake and acceptance tables")
struct TableTests {
    func withNode(_ body: (LocalNode, TemporaryDirectory) async throws -> Void) async throws {
        try await NodeTests().withNode(body)
    }

    @Test(arguments: IntakeCase.all)
    func theIntakePipelineJudges(_ row: IntakeCase) async throws {
        try await withNode { node, _ in
            let submission = ReportSubmission(
                title: row.title,
                description: row.description,
                category: row.category,
                latitude: row.latitude,
                longitude: row.longitude,
                reporterEmail: row.email
            )
            do {
                let receipt = try node.intake.report(submission, now: .now())
                #expect(row.isAccepted, "taken, though it should be refused for \(row.refusedFor ?? "")")
                let report = try #require(try node.store.issueState(receipt.id)?.report)
                #expect(report.title == row.storedTitle && report.description == row.storedDescription)
            } catch let error as IntakeError {
                guard case .invalid(let problems) = error else { throw error }
                #expect(problems.map(\.field).contains(row.refusedFor ?? "-"), "\(problems)")
                #expect(try node.counts().events == 0, "nothing is stored when a submission is refused")
            }
        }
    }

    @Test func theAcceptanceStepJudgesAnImportFile() async throws {
        try await withNode { node, folder in
            let table = AcceptanceCase.table()
            let file = folder.file("lines.ndjson")
            try Data(table.flatMap { $0.bytes + [UInt8(0x0A)] }).write(to: file)
            let report = try await EventImporter(node: node).importFile(file, source: "test", now: { .now() })
            #expect(report.verdicts.map(\.code) == table.map(\.verdict))
        }
    }
}
