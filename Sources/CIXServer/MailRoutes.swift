import CIXCore
import CIXFederation
import CIXNode
import CIXStore
import CIXWeb
import Foundation
import HTTPTypes
import Hummingbird

/// The links in residents' mails, and the form to follow an area. A link
/// (`?f=ID&t=TOKEN`) opens a page with one button; the button's POST, or a
/// mail program's one-click POST to the same address (RFC 8058), makes the
/// change. The token, 128 random bits bound to one follow, is what proves the
/// right to it, so these POSTs need no form cookie; they are rate-limited
/// per address like every form.
struct MailRoutes: Sendable {
    let node: LocalNode
    /// `[mail]`; nil when it is not set: the links in mails already sent still work, nothing new is offered.
    let settings: MailSettings?
    let web: WebRoutes
    let forms: FormRoutes
    let limiter: RateLimiter

    func register(on router: some RouterMethods<NodeRequestContext>) {
        router.get("/mail/confirm") { request, context in
            link(request, context) { site, follow, title, action in
                MailPage(site: site).confirm(follow, title: title, action: action)
            }.response
        }
        router.post("/mail/confirm") { request, context in
            await change(request, context) { follow in
                try node.confirmFollow(id: follow.id, token: follow.token, now: .now())
            } page: { site, follow, title in
                MailPage(site: site).confirmed(follow, title: title)
            }.response
        }
        router.get("/mail/unsubscribe") { request, context in
            link(request, context) { site, follow, title, action in
                MailPage(site: site).unsubscribe(follow, title: title, action: action)
            }.response
        }
        router.post("/mail/unsubscribe") { request, context in
            await change(request, context) { follow in
                try node.endFollow(id: follow.id, token: follow.token)
            } page: { site, _, _ in
                MailPage(site: site).unsubscribed()
            }.response
        }
        guard let settings, !node.areas.isEmpty else { return }
        router.get("/follow") { request, context in
            web.formPage(request, context) { site, token in
                MailPage(site: site).followArea(areas: node.areas.names, formToken: token, values: [:], problems: [])
            }.response
        }
        router.post("/follow") { request, context in
            await forms.post(request, context) { site, form in try followArea(site, form, settings: settings) }
        }
    }

    /// The follow a link names (nil if its id or token is wrong), with its issue's title.
    func linked(_ request: Request) throws -> (MailFollow, String?)? {
        let query = request.uri.queryParameters
        guard let id = query["f"].flatMap({ Int64(String($0)) }), let token = query["t"].map(String.init),
            let follow = try node.follow(id: id, token: token)
        else { return nil }
        let title = try follow.issue.flatMap(EventID.init).flatMap { try node.store.issueState($0)?.report?.title }
        return (follow, title)
    }

    /// GET: the page with the button, posting back to the same address.
    func link(
        _ request: Request,
        _ context: NodeRequestContext,
        _ render: (Site, MailFollow, String?, String) -> HTML
    ) -> WebAnswer {
        do {
            let site = try Site.load(node, language: context.language, path: context.pagePath)
            guard let (follow, title) = try linked(request) else {
                return WebAnswer.html(MailPage(site: site).unknownLink(), status: .notFound, shared: false)
            }
            return WebAnswer.html(render(site, follow, title, request.uri.description), shared: false)
        } catch {
            return WebAnswer.plain(WebError(error, request: context.id, logger: context.logger))
        }
    }

    /// POST: the change, then its page.
    func change(
        _ request: Request,
        _ context: NodeRequestContext,
        _ apply: (MailFollow) throws -> Bool,
        page: (Site, MailFollow, String?) -> HTML
    ) async -> WebAnswer {
        do {
            let site = try Site.load(node, language: context.language, path: context.pagePath)
            if let wait = await limiter.admit(context.client, now: Date().timeIntervalSince1970) {
                return WebRoutes.errorPage(
                    WebError(429, "too many requests from your address; please wait \(wait) seconds and try again"),
                    site: site,
                    context: context
                )
            }
            _ = try? await request.body.collect(upTo: 4_096)
            guard let (follow, title) = try linked(request), try apply(follow) else {
                return WebAnswer.html(MailPage(site: site).unknownLink(), status: .notFound, shared: false)
            }
            return WebAnswer.html(page(site, follow, title), shared: false)
        } catch {
            return WebAnswer.plain(WebError(error, request: context.id, logger: context.logger))
        }
    }

    func followArea(_ site: Site, _ form: FormData, settings: MailSettings) throws -> WebAnswer {
        do {
            let outcome = try node.requestFollow(
                email: form["email"] ?? "",
                issue: nil,
                area: form["area"],
                settings: settings,
                language: site.language,
                now: .now()
            )
            return WebAnswer.html(
                MailPage(site: site).followRequested(already: outcome == .alreadyFollowing),
                shared: false
            )
        } catch {
            guard case .invalid(let problems) = error else { throw error.nodeError ?? error }
            return WebAnswer.html(
                MailPage(site: site).followArea(
                    areas: node.areas.names,
                    formToken: form["csrf"] ?? "",
                    values: ["email": form["email"] ?? "", "area": form["area"] ?? ""],
                    problems: problems
                ),
                status: .unprocessableContent,
                shared: false
            )
        }
    }
}
