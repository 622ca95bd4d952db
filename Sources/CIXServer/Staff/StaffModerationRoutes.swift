import CIXCore
import CIXNode
import CIXStaff
import CIXStore
import CIXWeb
import Foundation
import Hummingbird

/// The moderation queue: held reports approved (published through the
/// intake, then pushed) or rejected (deleted), by those allowed to moderate.
struct StaffModerationRoutes: Sendable {
    let node: LocalNode
    let gate: StaffGate
    let cache: PageCache

    func register(on router: some RouterMethods<NodeRequestContext>) {
        router.get("/staff/moderation") { request, context in
            await gate.serve(request, context, post: false) { call in
                try call.require(.moderate, subject: "moderation")
                let notice =
                    request.uri.queryParameters["done"].map { "Report \($0)." }
                    ?? request.uri.queryParameters["flags"].map {
                        $0 == "removed" ? "Removed everywhere." : "Kept; its flags are closed."
                    }
                let page = ModerationPage(
                    layout: call.layout,
                    held: try node.heldReports(),
                    flagged: try flagged(),
                    notice: notice
                )
                return .html(page.render(), shared: false)
            }
        }
        router.post("/staff/flags/:action") { request, context in
            let action = context.parameters.get("action") ?? ""
            return await gate.serve(request, context, post: true) { call in try await settleFlags(call, action) }
        }
        router.post("/staff/moderation/:id/:action") { request, context in
            let id = Int64(context.parameters.get("id") ?? "") ?? -1
            let action = context.parameters.get("action") ?? ""
            return await gate.serve(request, context, post: true) { call in
                try call.require(.moderate, subject: "moderation")
                switch action {
                case "approve":
                    let receipt = try node.approveHeld(
                        id,
                        title: SubmittedText.normalise(call.form["title"]),
                        description: SubmittedText.normalise(call.form["description"]),
                        now: Timestamp(secondsSinceEpoch: call.now)
                    )
                    try call.record(
                        "moderation-approve",
                        subject: receipt.id.hex,
                        event: receipt.id.hex,
                        detail: "held report \(id)"
                    )
                    await cache.clear()
                    return .seeOther("/staff/moderation?done=published")
                case "reject":
                    let reason = SubmittedText.normalise(call.form["reason"]) ?? ""
                    guard !reason.isEmpty else { throw StaffError(.invalidInput, "say why the report is rejected") }
                    try node.rejectHeld(id)
                    try call.record("moderation-reject", subject: "held report \(id)", detail: reason)
                    return .seeOther("/staff/moderation?done=rejected%20and%20deleted")
                default:
                    throw StaffError(.notFound, "there is no action \(action) on a held report")
                }
            }
        }
    }

    /// Open flags grouped by item, oldest first, with what each item says now.
    func flagged() throws -> [ModerationPage.Flagged] {
        let flags = try node.staffRecords.flags(limit: 2_000)
        var order: [String] = []
        var byEvent: [String: [ResidentFlag]] = [:]
        for flag in flags {
            if byEvent[flag.event] == nil { order.append(flag.event) }
            byEvent[flag.event, default: []].append(flag)
        }
        return try order.prefix(100).compactMap { event -> ModerationPage.Flagged? in
            guard let first = byEvent[event]?.first, let issue = EventID(first.issue),
                let state = try node.store.issueState(issue)
            else { return nil }
            let label =
                IssuePage.flaggable(state, site: Site(node: node, names: [:])).first { $0.event == event }?.label
                ?? "An item"
            let text: String? =
                if event == issue.hex {
                    state.report.map { [$0.title, $0.description].filter { !$0.isEmpty }.joined(separator: "\n\n") }
                } else {
                    state.contributions.first { $0.event.hex == event }.flatMap { item in
                        switch item.content {
                        case .comment(let body)?, .solution(let body)?: body.text
                        case .confirm(let body)?: body.note ?? "(a confirmation without a note)"
                        case .offer(let body)?: body.what
                        default: nil
                        }
                    }
                }
            let counts = Dictionary(grouping: byEvent[event] ?? [], by: \.reason).map { ($0.key, $0.value.count) }
            return ModerationPage.Flagged(
                issue: issue.hex,
                event: event,
                title: state.report?.title ?? "Report removed",
                what: label,
                text: text,
                reasons: counts.sorted { ($1.1, $0.0) < ($0.1, $1.0) },
                notes: (byEvent[event] ?? []).map(\.note).filter { !$0.isEmpty }
            )
        }
    }

    /// Removes a flagged item everywhere (a signed `redact`), or keeps it; either closes its flags.
    func settleFlags(_ call: StaffGate.Call, _ action: String) async throws -> WebAnswer {
        let event = call.form["event"] ?? ""
        let open = try node.staffRecords.flags(limit: 2_000).filter { $0.event == event }
        guard let flag = open.first, let issue = EventID(flag.issue), let target = EventID(event) else {
            throw StaffError(.notFound, "nothing flagged has the id \(event); it may have been dealt with already")
        }
        switch action {
        case "remove":
            try call.require(.redact, on: node.caseFacts(try node.store.issueState(issue)?.report), subject: issue.hex)
            guard let reason = SubmittedText.normalise(call.form["reason"]) else {
                throw StaffError(.invalidInput, "say why it is removed")
            }
            let removal = try node.redact(
                target,
                on: issue,
                reason: reason,
                by: call.actor,
                now: Timestamp(secondsSinceEpoch: call.now)
            )
            try node.staffRecords.dismissFlags(event: event)
            try call.record(
                "flag-remove",
                subject: issue.hex,
                event: removal.id.hex,
                detail: "\(open.count) flag(s) on \(event)"
            )
            await cache.clear()
            return .seeOther("/staff/moderation?flags=removed")
        case "keep":
            try call.require(.moderate, subject: "moderation")
            try node.staffRecords.dismissFlags(event: event)
            try call.record("flag-keep", subject: issue.hex, detail: "\(open.count) flag(s) on \(event)")
            return .seeOther("/staff/moderation?flags=kept")
        default:
            throw StaffError(.notFound, "there is no action \(action) on flags")
        }
    }
}
