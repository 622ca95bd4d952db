import CIXCore
import CIXRouting
import CIXStore

/// The one way events from outside this node get in: push, pull, import
/// and reconciliation all come through here.
///
/// Each line is decoded and verified (size, canonical form, schemas, hashes,
/// signature: `Event.decode`, on every core), then checked against what this
/// node may hold (`check`) and whom it blocks, then offered to the log, whose ingest plan
/// decides by key authority and causal place. Every line gets its own
/// verdict; a bad line never affects the others.
package struct Acceptance: Sendable {
    package let log: any EventLog & NodeRegistry
    /// This node: partner-only events must name it.
    package let holder: NodeID

    package init(log: any EventLog & NodeRegistry, holder: NodeID) {
        self.log = log
        self.holder = holder
    }

    /// Decodes, verifies, checks and stores lines; `source` is recorded as where they came from.
    package func accept(_ lines: [[UInt8]], source: String, now: Timestamp) async throws(StoreError) -> [Verdict] {
        let decoded = await ParallelDecoder.decode(lines.enumerated().map { ($0.offset + 1, $0.element) })
        let events = try takeRecords(decoded) { lines[$0 - 1] }
        return try await accept(decoded: events, source: source, now: now)
    }

    /// Takes the node records (`NodeRecord`: key statements, descriptors) among lines that did not
    /// decode as events: statements first, in the order rings apply them, then descriptors, so the
    /// events beside them can use them. Returns the lines left to judge as events; a record that does
    /// not verify, or whose signer does not speak for its node, stays as a refused line with why.
    package func takeRecords(
        _ decoded: [(line: Int, result: Result<Event, CoreError>)],
        bytes: (Int) -> [UInt8]
    ) throws(StoreError) -> [(line: Int, result: Result<Event, CoreError>)] {
        var rest: [(line: Int, result: Result<Event, CoreError>)] = []
        var statements: [(line: Int, statement: KeyStatement)] = []
        var descriptors: [(line: Int, descriptor: NodeDescriptor)] = []
        for item in decoded {
            guard case .failure = item.result else {
                rest.append(item)
                continue
            }
            do {
                switch try NodeRecord.parse(bytes(item.line)) {
                case .statement(let statement)?: statements.append((item.line, statement))
                case .descriptor(let descriptor)?: descriptors.append((item.line, descriptor))
                case nil: rest.append(item)
                }
            } catch {
                rest.append((item.line, .failure(error)))
            }
        }
        guard !statements.isEmpty || !descriptors.isEmpty else { return decoded }
        let refusals = try keep(statements.map(\.statement))
        for (line, statement) in statements {
            if let refusal = refusals[statement.hash] { rest.append((line, .failure(refusal))) }
        }
        for (line, descriptor) in descriptors {
            do {
                try log.saveDescriptor(descriptor)
            } catch {
                guard error.code == .corrupt else { throw error }
                rest.append((line, .failure(CoreError(.keyNotAuthorised, error.message))))
            }
        }
        return rest.sorted { $0.line < $1.line }
    }

    /// Keeps key statements not yet held, in the order rings apply them (so one that a later one
    /// builds on comes first), skipping those held without a write; returns each refusal by hash.
    package func keep(_ statements: [KeyStatement]) throws(StoreError) -> [String: CoreError] {
        guard !statements.isEmpty else { return [:] }
        let held = Set(try log.keyStatements().map(\.hash))
        var refusals: [String: CoreError] = [:]
        for statement in statements.sorted(by: { ($0.from, $0.hash) < ($1.from, $1.hash) })
        where !held.contains(statement.hash) {
            do {
                try log.addKeyStatement(statement)
            } catch {
                guard error.code == .corrupt else { throw error }
                refusals[statement.hash] = CoreError(.keyNotAuthorised, error.message)
            }
        }
        return refusals
    }

    /// The same for lines already decoded and verified (the importer and the puller overlap that with storing).
    package func accept(
        decoded: [(line: Int, result: Result<Event, CoreError>)],
        source: String,
        now: Timestamp
    ) async throws(StoreError) -> [Verdict] {
        var verdicts: [Int: Verdict] = [:]
        var admitted: [(line: Int, event: Event)] = []
        let blocked = try log.hiddenEvents().authors
        for (line, result) in decoded {
            switch result {
            case .failure(let error):
                verdicts[line] = Verdict(line: line, id: nil, result: .rejected(error))
            case .success(let event):
                if blocked.contains(event.author.hex) {
                    let refusal = CoreError(.blocked, "this node blocks events by node \(event.author.hex)")
                    verdicts[line] = Verdict(line: line, id: event.id, result: .rejected(refusal))
                } else if let refusal = Self.check(event, holder: holder) {
                    verdicts[line] = Verdict(line: line, id: event.id, result: .rejected(refusal))
                } else {
                    admitted.append((line, event))
                }
            }
        }
        if !admitted.isEmpty {
            let outcomes = try await log.ingest(admitted.map(\.event), source: source, now: now)
            for (item, outcome) in zip(admitted, outcomes) {
                verdicts[item.line] = Verdict(line: item.line, id: item.event.id, result: outcome.result)
            }
        }
        return decoded.compactMap { verdicts[$0.line] }
    }

    /// The rules about what this node may hold, beyond the event's own validity:
    /// a partner-only event must include this node in its audience, and a
    /// report or edit must name a category of the shared taxonomy.
    package static func check(_ event: Event, holder: NodeID) -> CoreError? {
        guard event.audience.includes(holder, author: event.author) else {
            return CoreError(.notInAudience, "this node may not hold this partner-only event")
        }
        let category: String? =
            switch event.content {
            case .report(let body)?: body.category
            case .edit(let body)?: body.category
            default: nil
            }
        if let category, Taxonomy.category(category) == nil {
            return CoreError(.unknownCategory, "category \"\(category)\" is not in the shared taxonomy")
        }
        return nil
    }
}
