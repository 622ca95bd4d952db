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
        abstract: "Check the database file, every stored event, and that the projections equal a fresh fold.",
        discussion: """
            First SQLite's own checks (integrity_check, and the search index's integrity-check) name any \
            damaged table or index; then every event is verified again and every issue folded afresh. \
            Exit status 0 only if everything is sound; otherwise each fault is named, with what to do: \
            `cix repair` rebuilds what is derived from the log, and a damaged log needs a backup.
            """
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
            Output.printJSON(Self.json(report))
        } else {
            Self.print(report, data: data.data)
        }
        if !report.isSound { throw ExitCode.failure }
    }

    static func json(_ report: StoreVerifier.Report) -> JSONValue {
        func faults(_ list: [StoreVerifier.Fault]) -> JSONValue {
            .array(list.map { .object(JSONObject(["id": .string($0.id), "reason": .string($0.reason)])) })
        }
        var object = JSONObject([
            "sound": .bool(report.isSound), "events": .number(Double(report.events)),
            "issues": .number(Double(report.issues)), "bad_events": faults(report.badEvents),
            "bad_issues": faults(report.badIssues),
            "damage": .array(
                report.damage.map {
                    .object(
                        JSONObject([
                            "object": .string($0.object), "part": .string($0.part.rawValue),
                            "detail": .string($0.detail), "repairable": .bool($0.isRepairable),
                        ])
                    )
                }
            ),
            "repairable": .bool(report.isRepairable), "inert_events": .number(Double(report.inert)),
            "notices": faults(report.notices),
        ])
        if let unreadable = report.unreadable { object["unreadable"] = .string(unreadable) }
        return .object(object)
    }

    static func print(_ report: StoreVerifier.Report, data: String) {
        for damage in report.damage { Swift.print("damaged \(damage)") }
        if let unreadable = report.unreadable { Swift.print("could not read every event: \(unreadable)") }
        for fault in report.badEvents { Swift.print("bad event \(fault)") }
        for fault in report.badIssues { Swift.print("bad issue \(fault)") }
        for notice in report.notices { Swift.print("notice \(notice)") }
        guard !report.isSound else {
            Swift.print("sound: \(report.events) events and \(report.issues) issues verified")
            if report.inert > 0 {
                Swift.print(
                    "\(report.inert) \(report.inert == 1 ? "event is" : "events are") signed by a key that did not speak "
                        + "for its author at its time: held, and rejected by the fold on every node"
                )
            }
            return
        }
        Swift.print(
            "NOT SOUND: "
                + [
                    (report.damage.count, "damaged table or index", "damaged tables or indexes"),
                    (report.badEvents.count, "bad event", "bad events"),
                    (report.badIssues.count, "bad issue", "bad issues"),
                ].map { "\($0.0) \($0.0 == 1 ? $0.1 : $0.2)" }.joined(separator: ", ")
        )
        if report.isRepairable {
            Swift.print(
                "To repair: stop the daemon, then run `cix repair --data \(data)`: it rebuilds the projections, "
                    + "the search index and every index from the log, which is intact."
            )
        } else {
            let held = report.damage.filter { !$0.isRepairable }.map(\.object)
            Swift.print(
                "The damage is in what is held nowhere else (\((held.isEmpty ? ["the events"] : held).joined(separator: ", "))): "
                    + "stop the daemon and restore store.sqlite from a backup. Events lost since the backup "
                    + "come back from peers on the next pulls."
            )
        }
    }
}

struct RepairCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Rebuild a damaged store from its event log, then verify it.",
        discussion: """
            Copies the event log and every record held nowhere else into a fresh file, reading each \
            table's own pages, rebuilds the projections, the search index and every index from the log, \
            checks the new file, and puts it in place; the damaged file is kept beside it as \
            store.sqlite.damaged-TIME. Stop the daemon first: repair refuses while it runs. If a table \
            held nowhere else cannot be read, nothing is changed, and the store must be restored from a backup.
            """
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var output: JSONOption

    func run() async throws {
        let quiet = output.json
        let result = try await Output.runAsync { () async throws(NodeError) in
            try await StoreRepair.repair(data.directory) { step in
                if !quiet { Output.printError(step) }
            }
        }
        if output.json {
            var object = VerifyCommand.json(result.report).objectValue ?? JSONObject()
            if let repair = result.repair {
                object["damaged_copy"] = .string(repair.damagedPath)
                var copied = JSONObject()
                for (table, rows) in repair.copied { copied[table] = .number(Double(rows)) }
                object["copied"] = .object(copied)
            }
            Output.printJSON(.object(object))
        } else {
            VerifyCommand.print(result.report, data: data.data)
            if result.report.isSound {
                if let repair = result.repair {
                    print(
                        "repaired; the damaged file is kept at \(repair.damagedPath): remove it once the node is checked"
                    )
                } else {
                    print("repaired: every projection rebuilt from the log in PostgreSQL")
                }
            }
        }
        if !result.report.isSound { throw ExitCode.failure }
    }
}
