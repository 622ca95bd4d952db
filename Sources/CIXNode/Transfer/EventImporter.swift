import CIXCanonicalJSON
import CIXCore
import CIXStore
import Foundation

/// Imports an NDJSON file of signed records: node descriptors, key statements and events.
///
/// Every line is verified before anything is stored; a bad line is reported
/// with its number and reason and never stops the good ones. Lines are taken
/// in batches, each stored in one durable transaction, while the next batch
/// is verified on the other cores; memory stays bounded by the batch size.
/// Killed part-way, an import leaves whole batches behind, and running it
/// again completes it (what is held comes back as duplicate).
package struct EventImporter: Sendable {
    package let store: any NodeStore
    let acceptance: Acceptance
    package var batchSize: Int

    package init(node: LocalNode, batchSize: Int = 4_096) {
        self.store = node.store
        self.acceptance = Acceptance(log: node.store, holder: node.id)
        self.batchSize = batchSize
    }

    /// Imports `url`, calling `progress` with (lines done, bytes read) after each batch.
    package func importFile(
        _ url: URL,
        source: String,
        now: @Sendable () -> Timestamp,
        progress: @Sendable (Int, Int64) -> Void = { _, _ in }
    ) async throws(NodeError) -> ImportReport {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw NodeError(.notFound, "cannot read \(url.path): \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        var reader = LineReader(handle: handle, maxLineBytes: 4 << 20)
        var report = ImportReport()
        var storing: [(line: Int, result: Result<Event, CoreError>)] = []
        while true {
            var batch: [(line: Int, bytes: [UInt8])] = []
            do {
                while batch.count < batchSize, let line = try reader.next() {
                    switch line {
                    case .text(let number, let bytes): batch.append((number, bytes))
                    case .tooLong(let number):
                        report.rejected.append(.init(line: number, reason: "too_large: line is longer than 4 MiB"))
                        report.verdicts.append(
                            Verdict(
                                line: number,
                                id: nil,
                                result: .rejected(CoreError(.tooLarge, "line is longer than 4 MiB"))
                            )
                        )
                    }
                }
            } catch {
                throw NodeError(.io, "cannot read \(url.path): \(error)")
            }
            // Verify this batch while the previous one is written.
            async let decoded = ParallelDecoder.decode(batch)
            try await commit(storing, into: &report, now: now())
            storing = []
            let verified = await decoded
            let bytes = Dictionary(batch.map { ($0.line, $0.bytes) }, uniquingKeysWith: { first, _ in first })
            do {
                storing = try acceptance.takeRecords(verified) { bytes[$0] ?? [] }
            } catch {
                throw NodeError(error)
            }
            report.records += verified.count - storing.count
            report.lines = reader.lineNumber
            progress(reader.lineNumber, reader.bytesRead)
            if batch.isEmpty { break }
        }
        try await commit(storing, into: &report, now: now())
        report.rejected.sort { $0.line < $1.line }
        report.verdicts.sort { $0.line < $1.line }
        return report
    }

    private func commit(
        _ lines: [(line: Int, result: Result<Event, CoreError>)],
        into report: inout ImportReport,
        now: Timestamp
    ) async throws(NodeError) {
        guard !lines.isEmpty else { return }
        let verdicts: [Verdict]
        do {
            verdicts = try await acceptance.accept(decoded: lines, source: "import", now: now)
        } catch {
            throw NodeError(error)
        }
        report.verdicts += verdicts
        for verdict in verdicts {
            switch verdict.result {
            case .stored: report.accepted += 1
            case .duplicate: report.duplicates += 1
            case .pending: report.pending += 1
            case .rejected(let error): report.rejected.append(.init(line: verdict.line, reason: error.description))
            }
        }
    }
}
