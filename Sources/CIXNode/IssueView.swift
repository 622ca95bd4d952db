import CIXCanonicalJSON
import CIXCore
import CIXStore

/// Everything a person needs to see about one issue, with every node named.
///
/// Every event in the store was verified (hashes, signature, key authority)
/// when it arrived, before it was stored; an entry says so rather than
/// verifying again on every read. `cix verify` re-checks every signature.
package struct IssueView: Sendable {
    package struct Entry: Sendable {
        package let stored: StoredEvent
        package let event: Event?
        /// Verified when this node received it (`stored.firstSeen`).
        package let verified: Bool
        package let failure: String?
    }

    /// The issue as the public sees it, from its public events.
    package let state: IssueState
    package let entries: [Entry]
    /// Its partner-only events, when asked for (the staff console); never part of `state`.
    package let partnerEntries: [Entry]
    package let names: [NodeID: String]

    /// Loads and verifies an issue's events, and folds them. Nodes are named from
    /// `names` (id hex → name) when given, else from the verified descriptors held.
    /// Partner-only events are left out of `state` and `entries`; with
    /// `includingPartnerOnly` (the staff console) they come in `partnerEntries`.
    package static func load(
        _ issue: EventID,
        from node: LocalNode,
        names known: [String: String]? = nil,
        includingPartnerOnly: Bool = false
    )
        throws(NodeError) -> IssueView
    {
        do {
            var entries: [Entry] = []
            var partnerEntries: [Entry] = []
            for item in try node.store.events(ofIssue: issue) where item.isPublic || includingPartnerOnly {
                let entry: Entry
                do {
                    entry = Entry(stored: item, event: try Event.decodeStored(item.bytes), verified: true, failure: nil)
                } catch {
                    entry = Entry(stored: item, event: nil, verified: false, failure: error.description)
                }
                if item.isPublic { entries.append(entry) } else { partnerEntries.append(entry) }
            }
            let events = entries.compactMap(\.event)
            guard let state = IssueFold.fold(events, keys: try node.store.keyRings(for: events)) else {
                throw NodeError(.notFound, "this node holds no issue \(issue.hex)")
            }
            var names: [NodeID: String] = [:]
            if let known {
                for (hex, name) in known { if let id = NodeID(hex) { names[id] = name } }
            } else {
                for descriptor in try node.store.descriptors() { names[descriptor.node] = descriptor.name }
            }
            return IssueView(state: state, entries: entries, partnerEntries: partnerEntries, names: names)
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(.io, "\(error)")
        }
    }

    package func name(_ node: NodeID) -> String { names[node] ?? "node \(node.short)" }

    package var json: JSONObject {
        var events: [JSONValue] = []
        let effects = Dictionary(state.timeline.map { ($0.event.hex, $0) }, uniquingKeysWith: { first, _ in first })
        for entry in entries {
            var object = JSONObject([
                "id": .string(entry.stored.id), "first_seen": .string(entry.stored.firstSeen.description),
                "verified": .bool(entry.verified),
            ])
            if let event = entry.event {
                object["kind"] = .string(event.kind.rawValue)
                object["author"] = .string(event.author.hex)
                object["author_name"] = .string(name(event.author))
                object["at"] = .string(event.at.description)
            }
            if let effect = effects[entry.stored.id] {
                object["effect"] = .string(effect.effect.rawValue)
                if let reason = effect.reason { object["reason"] = .string(reason) }
            }
            if let failure = entry.failure { object["failure"] = .string(failure) }
            events.append(.object(object))
        }
        var agencyNames = JSONObject()
        for node in state.agencies.keys { agencyNames[node.hex] = .string(name(node)) }
        return JSONObject(["state": .object(state.json), "events": .array(events), "names": .object(agencyNames)])
    }

    package var text: String {
        var lines: [String] = []
        if let report = state.report {
            lines.append(report.title)
            lines.append("  id        \(state.id.hex)")
            lines.append("  status    \(state.overall.rawValue)")
            lines.append("  category  \(report.category)")
            lines.append(
                "  where     \(report.latitude), \(report.longitude)\(report.address.map { " (\($0))" } ?? "")"
            )
            if !report.tags.isEmpty { lines.append("  tags      \(report.tags.joined(separator: ", "))") }
            lines.append("  reported  \(state.reportedAt) through \(name(state.origin))")
            if !report.description.isEmpty {
                lines.append("")
                lines.append(report.description)
            }
        } else {
            lines.append("[report redacted]")
            lines.append("  id        \(state.id.hex)")
            lines.append("  status    \(state.overall.rawValue)")
        }
        lines.append("")
        lines.append("Agencies:")
        for node in state.agencies.keys.sorted(by: { name($0) < name($1) }) {
            guard let part = state.agencies[node] else { continue }
            var line = "  \(pad(name(node), 32)) \(pad(part.role.rawValue, 12)) \(pad(part.status.rawValue, 14))"
            if let note = part.note { line += " “\(note)”" }
            line += " (signed by \(name(node)))"
            if let routedBy = part.routedBy {
                line += "\n      routed by \(name(routedBy)): \(part.reason ?? "")"
            } else if let reason = part.reason {
                line += "\n      \(reason)"
            }
            lines.append(line)
        }
        let counts = state.counts
        lines.append("")
        lines.append(
            "\(counts.confirmations) confirmations, \(counts.comments) comments, \(counts.solutions) solutions, \(counts.offers) offers of help"
        )
        lines.append("")
        lines.append("Timeline (each signature verified by this node when the event arrived):")
        let effects = Dictionary(state.timeline.map { ($0.event.hex, $0) }, uniquingKeysWith: { first, _ in first })
        for entry in entries {
            guard let event = entry.event else {
                lines.append("  ✗ \(entry.stored.id.prefix(12)) FAILED VERIFICATION: \(entry.failure ?? "")")
                continue
            }
            let mark = entry.verified ? "✓" : "✗"
            var line =
                "  \(mark) \(event.at)  \(pad(event.kind.rawValue, 12)) by \(name(event.author))  \(event.id.hex.prefix(12))"
            if let effect = effects[event.id.hex], effect.effect != .applied {
                line += "  [\(effect.effect.rawValue)\(effect.reason.map { ": \($0)" } ?? "")]"
            }
            lines.append(line)
            let replaced = state.contributions.first { $0.event == event.id && $0.replacedBy != nil }
            if event.kind != .report, let text = (replaced?.content ?? event.content)?.texts.first {
                lines.append("      \(text)\(replaced == nil ? "" : "  (cleaned by a moderator)")")
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// Pads text with spaces to a column width, for aligned terminal output.
package func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}
