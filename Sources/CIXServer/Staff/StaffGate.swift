import CIXCore
import CIXNode
import CIXStaff
import CIXStore
import CIXWeb
import Foundation
import HTTPTypes
import Hummingbird

/// What every staff request passes before its handler: a live session (else
/// to the sign-in page), and for a post the session's anti-forgery token and
/// a same-site Origin. Answers are never cached or shared.
struct StaffGate: Sendable {
    static let cookieName = "cix_staff"
    /// Largest staff form: text fields only.
    static let maxBody = 256 * 1024

    let node: LocalNode
    let desk: StaffDesk

    /// A signed-in request, with what handlers need.
    struct Call: Sendable {
        let site: Site
        let session: StaffSession
        let account: StaffAccount
        let address: String
        let now: Int64
        let form: FormData
        let desk: StaffDesk

        var layout: StaffLayout { StaffLayout(site: site, account: account, csrf: session.csrf) }
        var actor: String { account.login }

        /// Throws 403 (and records the refusal) unless the account's grants allow `permission` here.
        func require(_ permission: Permission, on facts: CaseFacts? = nil, subject: String) throws(StaffError) {
            if case .deny(let reason) = Authoriser.decide(account.grants, permission, on: facts) {
                desk.audit(
                    actor: actor,
                    action: "refused",
                    subject: subject,
                    address: address,
                    detail: "\(permission.rawValue): \(reason)",
                    now: now
                )
                throw StaffError(.forbidden, "Not allowed: \(reason).")
            }
        }

        /// Writes the audit entry for an action, or throws: nothing happens unrecorded.
        func record(_ action: String, subject: String, event: String? = nil, detail: String = "") throws(StaffError) {
            try desk.record(
                actor: actor,
                action: action,
                subject: subject,
                address: address,
                event: event,
                detail: detail,
                now: now
            )
        }
    }

    /// `Set-Cookie` for a session: only over HTTPS, out of scripts' reach, never sent from another site, only under /staff.
    static func sessionCookie(_ value: String, maxAge: Int64) -> String {
        "\(cookieName)=\(value); Path=/staff; Secure; HttpOnly; SameSite=Strict; Max-Age=\(maxAge)"
    }

    static func signInRedirect(_ reason: String?, clearCookie: Bool) -> WebAnswer {
        var answer = WebAnswer.seeOther(reason.map { "/staff/sign-in?ended=\($0)" } ?? "/staff/sign-in")
        if clearCookie { answer.headers[.setCookie] = sessionCookie("", maxAge: 0) }
        return answer
    }

    /// Runs `handle` for a signed-in person; a post must carry the session's token.
    func serve(
        _ request: Request,
        _ context: NodeRequestContext,
        post: Bool,
        _ handle: @Sendable (Call) async throws -> WebAnswer
    ) async -> Response {
        await answer(request, context, post: post, handle).response
    }

    func answer(
        _ request: Request,
        _ context: NodeRequestContext,
        post: Bool,
        _ handle: @Sendable (Call) async throws -> WebAnswer
    ) async -> WebAnswer {
        let site: Site
        do { site = try Site.load(node) } catch {
            return WebAnswer.plain(WebError(error, request: context.id, logger: context.logger))
        }
        let now = Timestamp.now().secondsSinceEpoch
        let cookie = request.cookie(Self.cookieName)
        var layout = StaffLayout(site: site)
        do {
            guard let cookie, let (session, account) = try desk.resume(cookie: cookie, now: now) else {
                return Self.signInRedirect(cookie == nil ? nil : "session", clearCookie: cookie != nil)
            }
            layout = StaffLayout(site: site, account: account, csrf: session.csrf)
            var form = FormData()
            if post {
                try Self.checkOrigin(request)
                form = try await Self.readForm(request)
                let token = Array((form["csrf"] ?? "").utf8)
                guard ConstantTime.equal(token, Array(session.csrf.utf8)) else {
                    throw WebError(
                        403,
                        "this form has expired or did not come from this site; please reload the page and send it again"
                    )
                }
            }
            let call = Call(
                site: site,
                session: session,
                account: account,
                address: context.client,
                now: now,
                form: form,
                desk: desk
            )
            return try await handle(call)
        } catch {
            return Self.failurePage(error, layout: layout, context: context)
        }
    }

    static func checkOrigin(_ request: Request) throws(WebError) {
        if let origin = request.headers[.origin], origin != "https://\(request.head.authority ?? "")" {
            throw WebError(403, "this form was sent from another site (\(origin)), so it was refused")
        }
    }

    static func readForm(_ request: Request) async throws -> FormData {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBody)
        } catch {
            throw WebError(413, "the form is too large (at most \(maxBody / 1024) KiB)")
        }
        return try FormData.parse(Array(body.readableBytesView), contentType: request.headers[.contentType] ?? "")
    }

    /// A failure as a page in the console's frame, with the status the one mapping gives it.
    static func failurePage(_ error: any Error, layout: StaffLayout, context: NodeRequestContext) -> WebAnswer {
        let failure = RequestFailure(error).answering(request: context.id, logger: context.logger)
        let message =
            failure.status == .serviceUnavailable ? WebError.storageUnavailable : failure.message
        let title =
            switch failure.status.code {
            case 403: "Not allowed"
            case 404: "Not found"
            case 429: "Please wait"
            default: "That did not work"
            }
        var headers = failure.responseHeaders
        headers[.contentType] = nil
        return WebAnswer.html(
            layout.message(title: title, message),
            status: failure.status,
            headers: headers,
            shared: false
        )
    }
}

extension LocalNode {
    /// What scoped grants look at in a case: its category, and the named areas its place lies in
    /// (none when the report is redacted).
    func caseFacts(_ report: IssueState.ReportContent?) -> CaseFacts {
        guard let report else { return CaseFacts(category: nil) }
        return CaseFacts(
            category: report.category,
            areas: Set(areas.names(longitude: report.longitude, latitude: report.latitude))
        )
    }
}
