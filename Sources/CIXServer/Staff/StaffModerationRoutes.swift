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
                let notice = request.uri.queryParameters["done"].map { "Report \($0)." }
                return .html(
                    ModerationPage(layout: call.layout, held: try node.heldReports(), notice: notice).render(),
                    shared: false
                )
            }
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
}
