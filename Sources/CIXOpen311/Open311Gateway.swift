import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXRouting
import CIXStore
import Crypto
import Foundation

/// GeoReport v2 on top of a node: every resource as an `Open311Document`, and
/// the two POSTs turned into signed CIX events.
///
/// A request becomes a signed `issue.report`, routed like any report; its
/// reporter fields stay in this node's private contact table and log. An
/// update becomes this agency's own `status` (or a `decline`). Reads cover
/// every issue the node holds, from any node of the federation.
package struct Open311Gateway: Sendable {
    package let node: LocalNode

    package init(node: LocalNode) {
        self.node = node
    }

    /// A failure in the spec's terms: HTTP status and description.
    package struct Failure: Error, Sendable {
        package let status: Int
        package let description: String
        /// For a failure that is not the client's: what went wrong, for the
        /// server's one error mapping (503 for storage faults, else 500) and its log.
        package let cause: (any Error & Sendable)?

        package init(_ status: Int, _ description: String) {
            self.status = status
            self.description = description
            self.cause = nil
        }

        init(unexpected error: any Error) {
            self.status = 500
            self.description = "the node could not answer"
            self.cause = error
        }
    }

    // MARK: Reads

    package func discovery() -> Open311Document {
        let base = node.config.node.url + "/open311/v2/"
        return .root(
            "discovery",
            .item([
                ("changeset", .text("2026-11-26T00:00:00Z")),
                ("contact", .text("\(node.config.node.name), \(node.config.node.url)")),
                ("key_service", .text("API keys are issued by this node's operator (cix apikey add).")),
                (
                    "endpoints",
                    .list(
                        container: "endpoints",
                        element: "endpoint",
                        [
                            .item([
                                ("specification", .text("http://wiki.open311.org/GeoReport_v2")), ("url", .text(base)),
                                ("changeset", .text("2026-11-26T00:00:00Z")), ("type", .text("production")),
                                (
                                    "formats",
                                    .list(
                                        container: "formats",
                                        element: "format",
                                        [.text("text/xml"), .text("application/json")]
                                    )
                                ),
                            ])
                        ]
                    )
                ),
            ])
        )
    }

    /// The categories this node serves (its published descriptor's), or the whole taxonomy with
    /// `all=true`, `[open311] all_services`, or when the node has published none.
    package func services(_ query: [String: String]) throws(Failure) -> Open311Document {
        guard query["all"] == nil || query["all"] == "true" || query["all"] == "false" else {
            throw Failure(400, "all must be true or false")
        }
        var categories = Taxonomy.categories
        if query["all"] != "true", node.config.open311?.all_services != true {
            let served: Set<String>
            do {
                served = Set(try node.store.descriptor(of: node.id)?.categories ?? [])
            } catch {
                throw Failure(unexpected: error)
            }
            if !served.isEmpty { categories = categories.filter { served.contains($0.code) } }
        }
        return .list(container: "services", element: "service", categories.map(Open311Catalog.service))
    }

    package func definition(_ code: String) throws(Failure) -> Open311Document {
        guard let category = Taxonomy.category(open311: code) else {
            throw Failure(404, "service_code \(code) not found")
        }
        return Open311Catalog.definition(category)
    }

    /// `GET requests`: by ids, or by filters within the window (default the last 90 days, at most 1,000).
    package func requests(_ query: [String: String], now: Timestamp) throws(Failure) -> Open311Document {
        var summaries: [IssueSummary] = []
        do {
            if let ids = query["service_request_id"], !ids.isEmpty {
                for id in ids.split(separator: ",").compactMap({
                    EventID(String($0).trimmingCharacters(in: .whitespaces))
                }) {
                    summaries += try node.store.issues(IssueQuery(issue: id.hex, limit: 1))
                }
            } else {
                let end = try query["end_date"].map(Self.date) ?? now
                let start =
                    try query["start_date"].map(Self.date)
                    ?? Timestamp(secondsSinceEpoch: end.secondsSinceEpoch - 90 * 86_400)
                // GeoReport v2 allows comma-separated lists of codes and of statuses.
                var categories: [String?] = [nil]
                if let codes = query["service_code"], !codes.isEmpty {
                    categories = try Self.list(codes).map { code throws(Failure) in
                        guard let known = Taxonomy.category(open311: code) else {
                            throw Failure(404, "service_code \(code) not found")
                        }
                        return known.code
                    }
                }
                var statuses: Set<String> = ["open", "closed"]
                if let given = query["status"], !given.isEmpty {
                    statuses = Set(Self.list(given).map { $0.lowercased() })
                    guard statuses.isSubset(of: ["open", "closed"]) else {
                        throw Failure(400, "status must be open, closed, or both separated by a comma")
                    }
                }
                var seen: Set<String> = []
                for category in Set(categories) {
                    let candidates = try node.store.issues(
                        IssueQuery(
                            category: category,
                            reportedFrom: start.secondsSinceEpoch,
                            reportedTo: end.secondsSinceEpoch,
                            limit: 1_000
                        )
                    )
                    for summary in candidates where seen.insert(summary.id).inserted {
                        let open = OverallStatus(rawValue: summary.status)?.isOpen ?? true
                        if statuses.contains(open ? "open" : "closed") { summaries.append(summary) }
                    }
                }
                summaries = Array(summaries.sorted { ($0.reportedAt, $0.id) > ($1.reportedAt, $1.id) }.prefix(1_000))
            }
            return .list(container: "service_requests", element: "request", try summaries.compactMap(request))
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(unexpected: error)
        }
    }

    package func request(id: String) throws(Failure) -> Open311Document {
        guard let issue = EventID(id.lowercased()) else { throw Failure(404, "service_request_id \(id) not found") }
        do {
            guard let summary = try node.store.issues(IssueQuery(issue: issue.hex, limit: 1)).first,
                let view = try request(summary)
            else {
                throw Failure(404, "service_request_id \(id) not found")
            }
            return .list(container: "service_requests", element: "request", [view])
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(unexpected: error)
        }
    }

    /// One request's fields, from the folded issue.
    func request(_ summary: IssueSummary) throws -> Open311Document? {
        guard let id = EventID(summary.id), let state = try node.store.issueState(id) else { return nil }
        let names = Dictionary(
            try node.store.descriptors().map { ($0.node, $0.name) },
            uniquingKeysWith: { first, _ in first }
        )
        let category = state.report.flatMap { Taxonomy.category($0.category) }
        let agencies = state.agencies.values.sorted { $0.node < $1.node }.map {
            "\(names[$0.node] ?? $0.node.short): \($0.status.rawValue)"
        }
        let latestNote =
            state.agencies.values.compactMap(\.note).last ?? state.agencies.values.compactMap(\.reason).last
        let report = state.report
        var fields: [(String, Open311Document)] = []
        fields.append(("service_request_id", .text(state.id.hex)))
        fields.append(("status", .text(Open311Status.openOrClosed(state.overall))))
        fields.append(("status_notes", latestNote.map { Open311Document.text($0) } ?? .null))
        fields.append(("service_name", category.map { Open311Document.text($0.name) } ?? .null))
        fields.append(("service_code", category.map { Open311Document.text($0.open311) } ?? .null))
        let description = report.map { $0.description.isEmpty ? $0.title : $0.description } ?? "[redacted]"
        fields.append(("description", .text(description)))
        fields.append(("agency_responsible", .text(agencies.joined(separator: "; "))))
        fields.append(("service_notice", .null))
        fields.append(("requested_datetime", .text(Self.format(state.reportedAt))))
        fields.append(("updated_datetime", .text(Self.format(state.updatedAt))))
        fields.append(("expected_datetime", .null))
        fields.append(("address", report?.address.map { Open311Document.text($0) } ?? .null))
        fields.append(("address_id", .null))
        fields.append(("zipcode", .null))
        fields.append(("lat", report.map { Open311Document.number($0.latitude) } ?? .null))
        fields.append(("long", report.map { Open311Document.number($0.longitude) } ?? .null))
        fields.append(("media_url", .null))
        return .item(fields)
    }

    /// mySociety's `GET servicerequestupdates`: every agency's answers first seen in the window, each
    /// attributed to the agency that gave it. Answers the fold gave no effect (a status from a body
    /// that had declined, say) are left out. This node's own answers carry its own status (as posted,
    /// when posted through Open311); another body's carry the state of the report as a whole, so that
    /// one body's decline never reads as this body's.
    package func updates(_ query: [String: String], now: Timestamp) throws(Failure) -> Open311Document {
        let end = try query["end_date"].map(Self.date) ?? now
        let start =
            try query["start_date"].map(Self.date) ?? Timestamp(secondsSinceEpoch: end.secondsSinceEpoch - 86_400)
        do {
            let stored = try node.store.events(
                kinds: [.status, .accept, .decline, .transfer, .duplicate],
                seenFrom: start,
                to: end,
                limit: 1_000
            )
            // Bodies not on CIX too, by the names the nodes relaying for them give.
            let names = Dictionary(
                try node.store.nodeNames().compactMap { id, name in NodeID(id).map { ($0, name) } },
                uniquingKeysWith: { first, _ in first }
            )
            let posted = try node.open311PostedStatuses(events: stored.map(\.id))
            var states: [EventID: IssueState] = [:]
            var items: [Open311Document] = []
            for item in stored {
                guard let event = try? Event.decodeStored(item.bytes) else { continue }
                if states[event.issue] == nil { states[event.issue] = try node.store.issueState(event.issue) }
                guard let state = states[event.issue],
                    state.timeline.contains(where: { $0.event == event.id && $0.effect == .applied })
                else { continue }
                let update = Open311Update(event: event, state: state, names: names, ownNode: node.id)
                items.append(
                    .item([
                        ("update_id", .text(event.id.hex)), ("service_request_id", .text(event.issue.hex)),
                        ("status", .text(posted[event.id.hex]?.uppercased() ?? update.status)),
                        ("updated_datetime", .text(Self.format(item.firstSeen))),
                        ("description", .text(update.description)), ("media_url", .text("")),
                        ("external_status_code", .text(update.code)), ("agency_name", .text(update.agency)),
                        ("agency_node", .text(event.author.hex)),
                    ])
                )
            }
            return .list(container: "service_request_updates", element: "request_update", items)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(unexpected: error)
        }
    }

    /// The items of a comma-separated list, trimmed, without empty ones.
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    // MARK: Dates

    /// W3C/ISO 8601 with a time zone, as the spec requires; CIX's own form is accepted too.
    static func date(_ text: String) throws(Failure) -> Timestamp {
        if let stamp = Timestamp(text) { return stamp }
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds],
        ] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text) {
                return Timestamp(secondsSinceEpoch: Int64(date.timeIntervalSince1970))
            }
        }
        throw Failure(400, "\(text) is not a date with a time zone (e.g. 2026-11-26T09:00:00Z)")
    }

    static func format(_ stamp: Timestamp) -> String {
        String(stamp.description.dropLast()) + "+00:00"
    }
}
