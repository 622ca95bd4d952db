import ArgumentParser
import CIXCanonicalJSON
import CIXCore
import CIXNode
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every signed record as NDJSON (a backup, or a feed for another node).",
        discussion: """
            Lines are key statements, node descriptors, then events in this node's order. \
            Residents' contact details are never exported. Partner-only events are left out unless \
            --include-partner-only is given (for a backup of your own node).
            """
    )
    @OptionGroup var data: DataOptions
    @Option(help: ArgumentHelp("File to write (default: standard output).", valueName: "FILE")) var out: String?
    @Flag(name: .customLong("include-partner-only"), help: "Also export events meant only for partner nodes.")
    var includePartnerOnly = false

    func run() throws {
        let node = try data.openNode()
        let handle: FileHandle
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil),
                let file = FileHandle(forWritingAtPath: out)
            else { throw Output.fail("cannot write \(out)") }
            handle = file
        } else {
            handle = FileHandle.standardOutput
        }
        let count = try Output.run { () throws(NodeError) in
            try EventExporter(store: node.store).export(to: handle, includePartnerOnly: includePartnerOnly)
        }
        if out != nil {
            try? handle.close()
            Output.printError("Exported \(count) events to \(out ?? "")")
        }
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Verify and store the signed records in an NDJSON file.",
        discussion: """
            Prints counts accepted / duplicate / rejected, and each rejected line with its reason. \
            A bad line never stops the good ones. Safe to run again after an interruption. \
            Exit status 1 if any line was rejected.
            """
    )
    @OptionGroup var data: DataOptions
    @Argument(help: "The NDJSON file.") var file: String
    @OptionGroup var output: JSONOption

    func run() async throws {
        let node = try data.openNode()
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64) ?? 0
        let bar = ProgressBar(label: "importing", total: size)
        let report = try await Output.runAsync { () async throws(NodeError) in
            try await EventImporter(node: node).importFile(
                URL(fileURLWithPath: file),
                source: "import",
                now: { .now() },
                progress: { lines, bytes in
                    bar.update(done: bytes, detail: "\(lines) lines, \(Int(Double(lines) / bar.elapsed)) lines/s")
                }
            )
        }
        bar.finish()
        if output.json {
            Output.printJSON(
                .object(
                    JSONObject([
                        "accepted": .number(Double(report.accepted)), "duplicate": .number(Double(report.duplicates)),
                        "pending": .number(Double(report.pending)), "records": .number(Double(report.records)),
                        "rejected": .array(
                            report.rejected.map {
                                .object(JSONObject(["line": .number(Double($0.line)), "reason": .string($0.reason)]))
                            }
                        ),
                        "verdicts": .array(
                            report.verdicts.map {
                                .object(JSONObject(["line": .number(Double($0.line)), "result": .string($0.code)]))
                            }
                        ),
                    ])
                )
            )
        } else {
            for rejection in report.rejected { print("line \(rejection.line): rejected: \(rejection.reason)") }
            print(report.summary)
        }
        if !report.rejected.isEmpty { throw ExitCode.failure }
    }
}

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-check every stored event and that the projections equal a fresh fold.",
        discussion: "Exit status 0 only if everything is sound; otherwise each bad event or issue is named."
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var output: JSONOption

    func run() async throws {
        let node = try data.openNode()
        let total = Int64((try? node.counts().events) ?? 0)
        let bar = ProgressBar(label: "verifying", total: total)
        let report = try await Output.runAsync { () async throws(NodeError) in
            try await StoreVerifier(store: node.store).verify { done in
                bar.update(done: Int64(done), detail: "\(done) events")
            }
        }
        bar.finish()
        if output.json {
            func faults(_ list: [StoreVerifier.Fault]) -> JSONValue {
                .array(list.map { .object(JSONObject(["id": .string($0.id), "reason": .string($0.reason)])) })
            }
            Output.printJSON(
                .object(
                    JSONObject([
                        "sound": .bool(report.isSound), "events": .number(Double(report.events)),
                        "issues": .number(Double(report.issues)), "bad_events": faults(report.badEvents),
                        "bad_issues": faults(report.badIssues),
                    ])
                )
            )
        } else {
            for fault in report.badEvents { print("bad event \(fault)") }
            for fault in report.badIssues { print("bad issue \(fault)") }
            print(
                report.isSound
                    ? "sound: \(report.events) events and \(report.issues) issues verified"
                    : "NOT SOUND: \(report.badEvents.count) bad events, \(report.badIssues.count) bad issues"
            )
        }
        if !report.isSound { throw ExitCode.failure }
    }
}
