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

    package func services() -> Open311Document {
        .list(container: "services", element: "service", Taxonomy.categories.map(Open311Catalog.service))
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
                var category: String?
                if let code = query["service_code"] {
                    guard let known = Taxonomy.category(open311: code) else {
                        throw Failure(404, "service_code \(code) not found")
                    }
                    category = known.code
                }
                let status = query["status"]?.lowercased()
                guard status == nil || status == "open" || status == "closed" else {
                    throw Failure(400, "status must be open or closed")
                }
                let candidates = try node.store.issues(
                    IssueQuery(
                        category: category,
                        reportedFrom: start.secondsSinceEpoch,
                        reportedTo: end.secondsSinceEpoch,
                        limit: 1_000
                    )
                )
                summaries = candidates.filter { summary in
                    guard let status else { return true }
                    let open = OverallStatus(rawValue: summary.status)?.isOpen ?? true
                    return (status == "open") == open
                }
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

    /// mySociety's `GET servicerequestupdates`: agencies' answers first seen in the window.
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
            var items: [Open311Document] = []
            for item in stored {
                guard let event = try? Event.decodeStored(item.bytes) else { continue }
                let status: String
                var description = event.content?.texts.first ?? ""
                var agencyState: AgencyStatus?
                if case .status(let body)? = event.content { agencyState = body.state }
                switch event.kind {
                case .status: status = agencyState.map(Open311Status.extended) ?? "OPEN"
                case .accept: status = "INVESTIGATING"
                case .decline: status = "NOT_COUNCILS_RESPONSIBILITY"
                case .transfer: status = "INTERNAL_REFERRAL"
                default: status = "DUPLICATE"
                }
                if description.isEmpty { description = status.replacingOccurrences(of: "_", with: " ").lowercased() }
                items.append(
                    .item([
                        ("update_id", .text(event.id.hex)), ("service_request_id", .text(event.issue.hex)),
                        ("status", .text(status)),
                        ("updated_datetime", .text(Self.format(item.firstSeen))), ("description", .text(description)),
                        ("media_url", .text("")),
                        ("external_status_code", .text(agencyState?.rawValue ?? event.kind.rawValue)),
                    ])
                )
            }
            return .list(container: "service_request_updates", element: "request_update", items)
        } catch {
            throw Failure(unexpected: error)
        }
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
