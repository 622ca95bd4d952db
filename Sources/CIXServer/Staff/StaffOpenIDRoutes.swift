import CIXCore
import CIXStaff
import CIXWeb
import Foundation
import HTTPTypes
import Hummingbird

/// Sign-in through the organisation's OpenID provider: `/staff/openid/start`
/// sends the browser there, `/staff/openid/callback` takes it back, checks
/// what the provider sent and starts a session. Every refusal is shown with
/// its reason and written to the audit trail.
struct StaffOpenIDRoutes: Sendable {
    let client: OpenIDClient
    let staff: StaffRoutes

    func register(on router: some RouterMethods<NodeRequestContext>) {
        router.get("/staff/openid/start") { request, context in await start(request, context) }
        router.get("/staff/openid/callback") { request, context in await callback(request, context) }
    }

    /// `Set-Cookie` binding a sign-in to the browser that began it. `Lax`, not `Strict`:
    /// the provider sends the browser back with a top-level navigation from its own site.
    static func bindingCookie(_ value: String, maxAge: Int64) -> String {
        "\(OpenIDClient.bindingCookie)=\(value); Path=/staff/openid; Secure; HttpOnly; SameSite=Lax; Max-Age=\(maxAge)"
    }

    func start(_ request: Request, _ context: NodeRequestContext) async -> Response {
        let now = Timestamp.now().secondsSinceEpoch
        if let wait = await staff.signIns.admit(context.client, now: Date().timeIntervalSince1970) {
            var response = staff.signInPage(
                request,
                context,
                problem: "Too many sign-in attempts from your address; please wait \(wait) seconds.",
                status: .tooManyRequests
            )
            response.headers[.retryAfter] = String(wait)
            return response
        }
        do {
            let (location, binding) = try await client.begin(now: now)
            var headers: HTTPFields = [.location: location, .cacheControl: "private, no-store"]
            headers[.setCookie] = Self.bindingCookie(binding, maxAge: OpenIDClient.pendingSeconds)
            return Response(status: .seeOther, headers: headers)
        } catch {
            staff.gate.desk.refuseOpenID("provider: \(error.message)", address: context.client, now: now)
            return staff.signInPage(
                request,
                context,
                problem: "Sign-in through your organisation's provider is not available now: \(error.message).",
                status: .badGateway
            )
        }
    }

    func callback(_ request: Request, _ context: NodeRequestContext) async -> Response {
        let now = Timestamp.now().secondsSinceEpoch
        let query = request.uri.queryParameters
        let desk = staff.gate.desk
        if let error = query["error"] {
            let said = [String(error), query["error_description"].map(String.init)].compactMap { $0 }.joined(
                separator: ": "
            )
            desk.refuseOpenID("the provider answered \(said)", address: context.client, now: now)
            return refused("your organisation's provider did not sign you in (\(said))", request, context, .forbidden)
        }
        let identity: IDTokenCheck.Identity
        do {
            identity = try await client.finish(
                state: query["state"].map(String.init) ?? "",
                code: query["code"].map(String.init) ?? "",
                binding: request.cookie(OpenIDClient.bindingCookie) ?? "",
                now: now
            )
        } catch {
            desk.refuseOpenID("\(error.reason): \(error.message)", address: context.client, now: now)
            let status: HTTPResponse.Status =
                switch error {
                case .provider: .badGateway
                case .state: .badRequest
                default: .forbidden
                }
            return refused(error.message, request, context, status)
        }
        do {
            let signedIn = try desk.signIn(
                identity: identity,
                grants: client.roles.grants(for: identity.roleValues),
                address: context.client,
                now: now
            )
            let site = try Site.load(staff.node)
            var answer = WebAnswer.html(SignInPage.signedIn(site: site, account: signedIn.account), shared: false)
            answer.headers[.setCookie] = StaffGate.sessionCookie(signedIn.cookie, maxAge: StaffDesk.absoluteSeconds)
            answer.headers.append(HTTPField(name: .setCookie, value: Self.bindingCookie("", maxAge: 0)))
            return answer.response
        } catch {
            let failure = RequestFailure(error).answering(request: context.id, logger: context.logger)
            return refused(failure.message, request, context, failure.status)
        }
    }

    func refused(
        _ why: String,
        _ request: Request,
        _ context: NodeRequestContext,
        _ status: HTTPResponse.Status
    ) -> Response {
        var response = staff.signInPage(
            request,
            context,
            problem: "Sign-in through your organisation's provider was refused: \(why).",
            status: status
        )
        response.headers.append(HTTPField(name: .setCookie, value: Self.bindingCookie("", maxAge: 0)))
        return response
    }
}
