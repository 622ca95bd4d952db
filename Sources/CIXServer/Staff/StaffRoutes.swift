import CIXCore
import CIXFederation
import CIXNode
import CIXStaff
import CIXStore
import CIXWeb
import Foundation
import HTTPTypes
import Hummingbird

/// The staff console under `/staff`: sign-in and out, and the pages of
/// `StaffCaseRoutes` and `StaffAdminRoutes` behind `StaffGate`.
struct StaffRoutes: Sendable {
    let node: LocalNode
    let gate: StaffGate
    let forms: FormGuard
    /// Sign-in attempts per client address, before any password is checked.
    let signIns: RateLimiter
    /// Emptied after each action that changes an issue, so public pages show it at once.
    let cache: PageCache
    /// Sign-in through the organisation's OpenID provider, if `[staff.openid]` is set.
    let openID: OpenIDClient?

    init(node: LocalNode, forms: FormGuard, signInsPerMinute: Int, cache: PageCache) throws(NodeError) {
        self.node = node
        gate = StaffGate(node: node, desk: StaffDesk(records: node.staffRecords, areaNames: node.areas.names))
        self.forms = forms
        signIns = RateLimiter(perMinute: signInsPerMinute, burst: max(1, signInsPerMinute / 2))
        self.cache = cache
        if let settings = node.config.staff?.openid {
            do {
                openID = try OpenIDClient(
                    settings,
                    nodeURL: node.config.node.url,
                    directory: node.directory,
                    areaNames: node.areas.names
                )
            } catch {
                throw NodeError(.badConfig, error.message)
            }
        } else {
            openID = nil
        }
    }

    func register(on router: some RouterMethods<NodeRequestContext>) {
        router.get("/staff/sign-in") { request, context in signInPage(request, context) }
        router.post("/staff/sign-in") { request, context in await signIn(request, context) }
        router.post("/staff/sign-out") { request, context in
            await gate.serve(request, context, post: true) { call in
                gate.desk.signOut(
                    cookie: request.cookie(StaffGate.cookieName) ?? "",
                    actor: call.actor,
                    address: call.address,
                    now: call.now
                )
                var answer = WebAnswer.seeOther("/staff/sign-in?ended=signed-out")
                answer.headers[.setCookie] = StaffGate.sessionCookie("", maxAge: 0)
                return answer
            }
        }
        if let openID { StaffOpenIDRoutes(client: openID, staff: self).register(on: router) }
        StaffCaseRoutes(node: node, gate: gate, cache: cache).register(on: router)
        StaffAdminRoutes(node: node, gate: gate).register(on: router)
        StaffFiguresRoutes(node: node, gate: gate).register(on: router)
        StaffModerationRoutes(node: node, gate: gate, cache: cache).register(on: router)
    }

    /// Why a visitor was sent to sign in, as the page says it.
    static func endedNotice(_ reason: String?) -> String? {
        switch reason {
        case "session":
            "Your session ended (30 minutes unused, 12 hours in all, or ended elsewhere). Please sign in again."
        case "signed-out": "You are signed out."
        case "again": "Please sign in again: this needs your password and code given in the last 10 minutes."
        default: nil
        }
    }

    func signInPage(
        _ request: Request,
        _ context: NodeRequestContext,
        problem: String? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let site: Site
        do { site = try Site.load(node) } catch {
            return WebAnswer.plain(WebError(error, request: context.id, logger: context.logger)).response
        }
        let cookie = FormRoutes.formCookie(request)
        let value = cookie ?? FormGuard.newCookieValue()
        var headers: HTTPFields = [:]
        if cookie == nil {
            headers[.setCookie] = "\(FormGuard.cookieName)=\(value); Path=/; Secure; HttpOnly; SameSite=Strict"
        }
        let page = SignInPage(
            site: site,
            formToken: forms.token(for: value),
            problem: problem,
            notice: Self.endedNotice(request.uri.queryParameters["ended"].map(String.init)),
            openIDLabel: openID?.label
        )
        return WebAnswer.html(page.render(), status: status, headers: headers, shared: false).response
    }

    /// Password and code in, a new session out. The form's own anti-forgery
    /// token (there is no session yet) and Origin are checked first, then the
    /// per-address limit, then the account (`StaffDesk.signIn`: lock after
    /// repeated failures, a code never taken twice).
    func signIn(_ request: Request, _ context: NodeRequestContext) async -> Response {
        let address = context.client
        do {
            try StaffGate.checkOrigin(request)
            let form = try await StaffGate.readForm(request)
            guard forms.accepts(token: form["csrf"], cookie: FormRoutes.formCookie(request)) else {
                throw WebError(
                    403,
                    "this form has expired or did not come from this site; please reload the page and send it again"
                )
            }
            if let wait = await signIns.admit(address, now: Date().timeIntervalSince1970) {
                throw StaffError(
                    .throttled,
                    "too many sign-in attempts from your address; please wait \(wait) seconds",
                    retryAfter: wait
                )
            }
            let signedIn = try await gate.desk.signIn(
                login: form["login"] ?? "",
                password: form["password"] ?? "",
                code: form["code"] ?? "",
                address: address,
                now: Timestamp.now().secondsSinceEpoch
            )
            var answer = WebAnswer.seeOther("/staff")
            answer.headers[.setCookie] = StaffGate.sessionCookie(signedIn.cookie, maxAge: StaffDesk.absoluteSeconds)
            return answer.response
        } catch {
            let failure = RequestFailure(error).answering(request: context.id, logger: context.logger)
            let message = failure.status == .serviceUnavailable ? WebError.storageUnavailable : failure.message
            var response = signInPage(request, context, problem: message.capitalizedFirst, status: failure.status)
            if let retryAfter = failure.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
            return response
        }
    }
}
