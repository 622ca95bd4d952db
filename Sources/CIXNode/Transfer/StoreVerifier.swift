import CIXCore
import CIXStore

/// Re-checks a whole store: what `cix verify` runs.
///
/// First the backend checks its own storage (for SQLite, `integrity_check`
/// and the search index's `integrity-check`), naming any damaged table or
/// index. Then every stored event is decoded and verified again, in parallel
/// (canonical bytes, schema, body hash, id, signature), its columns are
/// checked against its bytes, and its key must be a key of its author. Then
/// each issue's events are checked for causal structure and folded afresh
/// (with the authors' key rings), and the fold must equal the stored
/// projection byte for byte.
///
/// An event whose key did not speak for its author at its own `at` is sound:
/// the fold rejects it on every node alike. The report counts such events,
/// and notes those dated before their key's revocation but first seen here
/// after it, which whoever holds a stolen key may have backdated: the body
/// can redact them (`Protocol/nodes.md`).
package struct StoreVerifier: Sendable {
    /// Something wrong, named by the event or issue id.
    package struct Fault: Sendable, CustomStringConvertible {
        package let id: String
        package let reason: String
        package var description: String { "\(id): \(reason)" }
    }

    package struct Report: Sendable {
        package var events = 0
        package var issues = 0
        package var badEvents: [Fault] = []
        package var badIssues: [Fault] = []
        /// Events the fold rejects because their key did not speak for the author at their time.
        package var inert = 0
        /// Events dated before their key's revocation but first seen here after it: worth a look.
        package var notices: [Fault] = []
        /// Damage the backend found in its own storage.
        package var damage: [StorageDamage] = []
        /// Why the events could not all be read, when damage stopped the reading.
        package var unreadable: String?
        package var isSound: Bool { badEvents.isEmpty && badIssues.isEmpty && damage.isEmpty && unreadable == nil }
        /// Whether `cix repair` can make the store sound: every fault is in something rebuilt from what is held.
        package var isRepairable: Bool {
            damage.allSatisfy(\.isRepairable) && badEvents.isEmpty
        }
    }

    package let store: any NodeStore

    package init(store: any NodeStore) {
        self.store = store
    }

    package func verify(progress: @Sendable (Int) -> Void = { _ in }) async throws(NodeError) -> Report {
        var report = Report()
        do {
            report.damage = try store.checkStorage()
        } catch {
            throw NodeError(.io, "the store's own check could not run: \(error)")
        }
        do {
            try await verifyEvents(into: &report, progress: progress)
            try verifyIssues(into: &report)
        } catch {
            // Damage already found can stop the reading; otherwise the failure is the answer.
            guard !report.damage.isEmpty else {
                if let error = error as? NodeError { throw error }
                throw NodeError(.io, "verification could not read the store: \(error)")
            }
            report.unreadable = "\(error)"
        }
        return report
    }

    private func verifyEvents(into report: inout Report, progress: @Sendable (Int) -> Void) async throws {
        var rings: [NodeID: KeyRing] = [:]
        var cursor: Int64 = 0
        while true {
            let page = try store.events(after: cursor, limit: 4_096)
            guard let last = page.last else { break }
            cursor = last.seq
            let decoded = await ParallelDecoder.decode(page.enumerated().map { ($0.offset, $0.element.bytes) })
            for (index, result) in decoded {
                let stored = page[index]
                report.events += 1
                switch result {
                case .failure(let error):
                    report.badEvents.append(Fault(id: stored.id, reason: error.description))
                case .success(let event):
                    if event.id.hex != stored.id || event.issue.hex != stored.issue {
                        report.badEvents.append(
                            Fault(
                                id: stored.id,
                                reason:
                                    "stored id or issue does not match the event's bytes (bytes give \(event.id.hex))"
                            )
                        )
                        continue
                    }
                    if rings[event.author] == nil { rings[event.author] = try store.keyRing(for: event.author) }
                    guard let ring = rings[event.author], ring.knows(event.key) else {
                        report.badEvents.append(Fault(id: stored.id, reason: "key is not a key of the author"))
                        continue
                    }
                    if !ring.isAuthorised(event.key, at: event.at) {
                        report.inert += 1
                    } else if !ring.isAuthorised(event.key, at: stored.firstSeen), stored.firstSeen > event.at {
                        report.notices.append(
                            Fault(
                                id: stored.id,
                                reason:
                                    "dated \(event.at), before its key was revoked, but first seen here at \(stored.firstSeen): if the body did not write it, redact it"
                            )
                        )
                    }
                }
            }
            progress(report.events)
        }
    }

    private func verifyIssues(into report: inout Report) throws {
        var projected = try store.projectedStates()
        // Read before the scan: the scan holds the store's reader.
        let keys = KeyRings(statements: try store.keyStatements())
        let bad = Set(report.badEvents.map(\.id))
        var faults: [Fault] = []
        var issues = 0
        try store.forEachIssue { group in
            issues += 1
            let issue = group[0].issue
            var depths: [String: Int] = [:]
            var events: [Event] = []
            for stored in group where !bad.contains(stored.id) {
                guard let event = try? Event.decodeStored(stored.bytes) else { continue }
                let parentDepths = event.prev.map { depths[$0.hex] }
                if parentDepths.contains(where: { $0 == nil }) {
                    faults.append(
                        Fault(id: issue, reason: "event \(stored.id) has a parent that is not in this issue's log")
                    )
                } else if event.depth != (parentDepths.compactMap { $0 }.max() ?? 0) + 1 {
                    faults.append(Fault(id: issue, reason: "event \(stored.id) has the wrong depth"))
                }
                depths[stored.id] = event.depth
                events.append(event)
            }
            let fresh = IssueProjection(events: events, keys: keys)?.state.canonicalBytes()
            let held = projected.removeValue(forKey: issue)
            if fresh != held {
                faults.append(
                    Fault(
                        id: issue,
                        reason: held == nil
                            ? "issue has no projection" : "projection differs from a fresh fold of the log"
                    )
                )
            }
        }
        for stale in projected.keys.sorted() {
            faults.append(Fault(id: stale, reason: "projection exists but the log holds no events of this issue"))
        }
        report.issues = issues
        report.badIssues = faults
    }
}
