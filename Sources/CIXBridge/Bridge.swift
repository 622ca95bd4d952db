import CIXCore
import CIXFederation
import CIXMail
import CIXNode
import CIXRouting
import CIXStore
import Foundation

/// Reaches the bodies of `[[external]]` for this node: every report routed to
/// one of them is queued in the outbox, sent (by Open311, or by e-mail through
/// `[mail]`) with retries, and marked on the issue by the body's relay
/// identity ("received", with the body's reference); the answers its Open311
/// endpoint gives are read back and signed onto the issue the same way, so
/// every node sees them, marked as relayed (`Protocol/nodes.md`, Relays).
package struct Bridge: Sendable {
    package let node: LocalNode
    /// How long a delivery is retried before it is given up (72 hours).
    package var giveUpAfter: Int64 = 72 * 3_600

    package init(node: LocalNode) { self.node = node }

    /// What one round of deliveries did.
    package struct Round: Sendable, Equatable {
        package var sent = 0
        package var retrying = 0
        package var failed = 0
        package var lastError: String?
    }

    var records: any BridgeStore { node.bridgeRecords }

    /// Queues every report now routed to an external body and not yet queued; returns how many.
    @discardableResult
    package func queueNew(now: Timestamp) throws(NodeError) -> Int {
        let relays = try node.externalBodies().map(\.id)
        do {
            let waiting = try records.undelivered(to: relays, limit: 500)
            try records.queueDeliveries(waiting, at: now)
            return waiting.count
        } catch {
            throw NodeError(error)
        }
    }

    /// Sends what is due; each success is marked on the issue by the body's relay identity.
    package func deliverDue(now: Timestamp, limit: Int = 50) async throws(NodeError) -> Round {
        let bodies = Dictionary(uniqueKeysWithValues: try node.externalBodies().map { ($0.id, $0) })
        let due: [BridgeDelivery]
        do { due = try records.dueDeliveries(at: now, limit: limit) } catch { throw NodeError(error) }
        var round = Round()
        for delivery in due {
            guard let body = bodies[delivery.key.relay] else {
                try fail(delivery, "this body is no longer in [[external]]", retry: false, now: now, into: &round)
                continue
            }
            let reference: String
            do throws(BridgeError) {
                reference = try await send(delivery.key.issue, to: body, now: now)
            } catch {
                let expired = now.secondsSinceEpoch - delivery.queuedAt.secondsSinceEpoch >= giveUpAfter
                try fail(delivery, error.message, retry: error.retryable && !expired, now: now, into: &round)
                continue
            }
            do {
                try records.deliverySent(delivery.key, reference: reference, at: now)
            } catch {
                throw NodeError(error)
            }
            let note = Self.sentNote(body, reference: reference)
            _ = try? node.act(
                .status(StatusBody(state: .received, note: note)),
                on: delivery.key.issue,
                relay: body,
                now: now
            )
            round.sent += 1
        }
        return round
    }

    func fail(
        _ delivery: BridgeDelivery,
        _ message: String,
        retry: Bool,
        now: Timestamp,
        into round: inout Round
    ) throws(NodeError) {
        // 30 s, 1 min, 2 min … at most an hour between attempts.
        let wait = min(Int64(30) << min(delivery.attempts, 7), 3_600)
        let next = retry ? Timestamp(secondsSinceEpoch: now.secondsSinceEpoch + wait) : nil
        do {
            try records.deliveryFailed(delivery.key, error: message, retryAt: next, at: now)
        } catch {
            throw NodeError(error)
        }
        if retry { round.retrying += 1 } else { round.failed += 1 }
        round.lastError = message
    }

    static func sentNote(_ body: ExternalBody, reference: String) -> String {
        switch body.via {
        case .open311: "Sent to \(body.name) by Open311; their reference is \(reference)."
        case .email: "Sent to \(body.name) by e-mail (\(body.config.email ?? "")); replies reach the node that sent it."
        }
    }

    /// Sends one report; returns the body's reference for it.
    func send(_ issue: EventID, to body: ExternalBody, now: Timestamp) async throws(BridgeError) -> String {
        let state: IssueState?
        let contact: ReporterContact?
        do {
            state = try node.store.issueState(issue)
            contact = try node.contact(forIssue: issue)
        } catch {
            throw .retry("cannot read issue \(issue.hex.prefix(12)): \(error)")
        }
        guard let state, let report = state.report else {
            throw .refused("issue \(issue.hex.prefix(12)) has no report to send (it was redacted)")
        }
        let link = "\(node.config.node.url)/issues/\(issue.hex)"
        let text = [report.title, report.description, "Reported through \(node.config.node.name): \(link)"]
            .filter { !$0.isEmpty }.joined(separator: "\n\n")
        // The resident's details go only where they agreed the bodies handling it may contact them.
        let shared = contact.flatMap { $0.mayShare ? $0 : nil }
        switch body.via {
        case .open311:
            var fields: [(String, String)] = [
                ("service_code", body.serviceCode(for: report.category)),
                ("lat", String(report.latitude)), ("long", String(report.longitude)), ("description", text),
            ]
            if let address = report.address { fields.append(("address_string", address)) }
            if let shared {
                if let email = shared.email { fields.append(("email", email)) }
                if let phone = shared.phone { fields.append(("phone", phone)) }
                if let name = shared.name { fields.append(("first_name", name)) }
            }
            return try await endpoint(for: body).submit(fields)
        case .email:
            guard let address = body.config.email, let recipient = try? MailAddress(address) else {
                throw .refused("the e-mail address of \(body.name) is not usable")
            }
            let category = Taxonomy.category(report.category)?.name ?? report.category
            var lines = [
                "A report for \(body.name), sent by \(node.config.node.name) (CIX).", "", "Title: \(report.title)",
                "Category: \(category)", "Place: \(report.latitude), \(report.longitude)",
            ]
            if let address = report.address { lines.append("Address: \(address)") }
            if !report.description.isEmpty { lines += ["", report.description] }
            if let shared {
                lines += ["", "The resident agreed that the bodies handling this may contact them:"]
                lines += [shared.name, shared.email, shared.phone].compactMap { $0 }
            }
            lines += ["", "The report and everything said about it: \(link)"]
            let key = "bridge:\(issue.hex):\(body.id.hex)"
            do {
                _ = try node.mailRecords.queueMail(
                    [
                        QueuedMail(
                            key: key,
                            recipient: recipient.text,
                            subject: "Report \(issue.hex.prefix(12)): \(report.title)",
                            body: lines.joined(separator: "\n"),
                            unsubscribe: nil
                        )
                    ],
                    cursor: nil,
                    at: now
                )
            } catch {
                throw .retry("cannot queue the mail: \(error)")
            }
            return key
        }
    }

    func endpoint(for body: ExternalBody) throws(BridgeError) -> Open311Endpoint {
        func file(_ name: String?) -> String? {
            name.flatMap { try? String(contentsOf: node.directory.file($0), encoding: .utf8) }
        }
        guard let base = body.config.open311_url,
            let key = file(body.config.open311_api_key_file)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !key.isEmpty
        else { throw .refused("[[external]] \(body.config.id): the Open311 API key file cannot be read") }
        return Open311Endpoint(
            base: base,
            apiKey: key,
            jurisdiction: body.config.open311_jurisdiction,
            caPEM: file(body.config.open311_ca_file),
            addresses: node.config.allowsPrivateAddresses ? .anyAddress : .publicOnly
        )
    }

    /// Reads each Open311 body's answers since it was last read (with five minutes of overlap,
    /// so an answer stamped late is not missed) and signs each new one onto its issue.
    /// Returns how many were relayed.
    @discardableResult
    package func relayAnswers(now: Timestamp) async throws(NodeError) -> Int {
        var relayed = 0
        for body in try node.externalBodies() where body.via == .open311 {
            let since: Timestamp
            do {
                since =
                    try records.pollCursor(relay: body.id)
                    .map { Timestamp(secondsSinceEpoch: $0.secondsSinceEpoch - 300) }
                    ?? Timestamp(secondsSinceEpoch: now.secondsSinceEpoch - 7 * 86_400)
            } catch {
                throw NodeError(error)
            }
            let answers: [Open311Endpoint.Answer]
            do throws(BridgeError) {
                answers = try await endpoint(for: body).answers(from: since, to: now)
            } catch {
                throw NodeError(.unavailable, "reading the answers of \(body.name): \(error.message)")
            }
            for answer in answers {
                do {
                    guard let issue = try records.deliveredIssue(relay: body.id, reference: answer.request),
                        let content = Self.content(of: answer, from: body),
                        try records.markAnswerRelayed(relay: body.id, answer: answer.id, at: now)
                    else { continue }
                    // One the authority rules refuse (an answer after its part ended) is left out.
                    if (try? node.act(content, on: issue, relay: body, now: now)) != nil { relayed += 1 }
                } catch {
                    throw NodeError(error)
                }
            }
            do { try records.setPollCursor(relay: body.id, to: now) } catch { throw NodeError(error) }
        }
        return relayed
    }

    /// An Open311 answer as the body's relayed event: its status in FixMyStreet's words mapped to
    /// CIX's, with what it said. Statuses with no CIX meaning are not relayed.
    static func content(of answer: Open311Endpoint.Answer, from body: ExternalBody) -> EventBody? {
        let said = answer.description.trimmingCharacters(in: .whitespacesAndNewlines)
        let note = String(("Relayed from \(body.name)'s Open311" + (said.isEmpty ? "." : ": \(said)")).prefix(2_000))
        let state: AgencyStatus
        switch answer.status {
        case "NOT_COUNCILS_RESPONSIBILITY":
            return .decline(
                DeclineBody(reason: String((said.isEmpty ? "Not theirs, \(body.name) says." : said).prefix(500)))
            )
        case "OPEN", "CONFIRMED", "ACKNOWLEDGED", "FOR_TRIAGE": state = .acknowledged
        case "INVESTIGATING", "INTERNAL_REFERRAL": state = .investigating
        case "ACTION_SCHEDULED": state = .scheduled
        case "IN_PROGRESS": state = .inProgress
        case "FIXED": state = .fixed
        case "NO_FURTHER_ACTION", "UNABLE_TO_FIX", "WONT_FIX", "NOT_FIXED": state = .wontFix
        case "CLOSED", "DUPLICATE": state = .closed
        default: return nil
        }
        return .status(StatusBody(state: state, note: note))
    }
}
