import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXNode
import CIXPhoto
import CIXRouting
import CIXStaff
import CIXWeb
import Foundation
import HTTPTypes
import Hummingbird

/// The residents' forms on an intake node: report, confirm, propose a
/// solution, offer help. Each post must come from this site (anti-forgery
/// token and Origin), within the per-address rate limit; a mirror answers 405
/// and says where to report instead.
struct FormRoutes: Sendable {
    let node: LocalNode
    let forms: FormGuard
    let limiter: RateLimiter
    /// Emptied after each accepted post, so the poster sees the change at once.
    let cache: PageCache
    /// Residents' mail; nil: the forms offer none.
    let mail: MailSettings?
    /// Largest form body: a photo plus the text fields.
    static let maxBody = Photo.maxUploadBytes + 64 * 1024

    func register(on router: some RouterMethods<NodeRequestContext>) {
        router.post("/report") { request, context in
            await post(request, context) { site, form in try report(site, form) }
        }
        router.post("/issues/:id/:action") { request, context in
            let browser = Self.formCookie(request) ?? ""
            return await post(request, context) { site, form in try contribute(site, form, context, browser: browser) }
        }
    }

    /// The anti-forgery cookie of the request, if it has a well-formed one.
    static func formCookie(_ request: Request) -> String? {
        guard let value = request.cookie(FormGuard.cookieName), value.count == 32, Hex.decode(value, count: 16) != nil
        else { return nil }
        return value
    }

    /// Checks what every post needs, parses the form, and renders the handler's result or error.
    func post(
        _ request: Request,
        _ context: NodeRequestContext,
        _ handle: (Site, FormData) throws -> WebAnswer
    ) async -> Response {
        let answer = await answer(request, context, handle)
        if answer.status == .seeOther { await cache.clear() }
        return answer.response
    }

    func answer(
        _ request: Request,
        _ context: NodeRequestContext,
        _ handle: (Site, FormData) throws -> WebAnswer
    ) async -> WebAnswer {
        let site: Site
        do {
            site = try Site.load(node, language: context.language, path: context.pagePath)
        } catch {
            return WebAnswer.plain(WebError(error, request: context.id, logger: context.logger))
        }
        let messages = MessagePage(site: site)
        guard site.takesReports else {
            return WebAnswer.html(
                messages.reportElsewhere(intake: (try? site.intakeNodes()) ?? []),
                status: .methodNotAllowed,
                headers: [.allow: "GET, HEAD"],
                shared: false
            )
        }
        do {
            if let origin = request.headers[.origin], origin != "https://\(request.head.authority ?? "")" {
                throw WebError(403, "this form was sent from another site (\(origin)), so it was refused")
            }
            if let wait = await limiter.admit(context.client, now: Date().timeIntervalSince1970) {
                throw WebError(429, "too many submissions from your address; please wait \(wait) seconds and try again")
            }
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: Self.maxBody)
            } catch {
                throw WebError(413, "the form is too large; a photo may be at most \(Photo.maxUploadBytes >> 20) MiB")
            }
            let form = try FormData.parse(
                Array(body.readableBytesView),
                contentType: request.headers[.contentType] ?? ""
            )
            guard forms.accepts(token: form["csrf"], cookie: Self.formCookie(request)) else {
                throw WebError(
                    403,
                    "this form has expired or did not come from this site; please reload the page and send it again"
                )
            }
            return try handle(site, form)
        } catch {
            return WebRoutes.errorPage(error, site: site, context: context)
        }
    }

    func report(_ site: Site, _ form: FormData) throws -> WebAnswer {
        func coordinate(_ name: String) -> Double? {
            form[name].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        }
        var submission = ReportSubmission(
            title: form["title"] ?? "",
            description: form["description"],
            category: form["category"] ?? "",
            latitude: coordinate("lat"),
            longitude: coordinate("lon"),
            address: form["address"],
            reporterName: form["name"],
            reporterEmail: form["email"],
            reporterPhone: form["phone"],
            photos: form.files["photo"].map { [$0.bytes] } ?? []
        )
        // Sent again after screening warned: what was found is masked rather than refused again.
        submission.screening = form["screened"] == "1" ? .mask : .warn
        submission.wantsUpdates = mail != nil && form["updates"] == "yes"
        submission.sharesContact = form["share"] == "yes"
        submission.language = site.language
        do {
            // Pre-moderated categories wait, unsigned and unsent, for a moderator.
            if node.config.holdsForModeration(category: submission.category) {
                _ = try node.intake.hold(submission, now: .now())
                return WebAnswer.seeOther("/report/held")
            }
            let receipt = try node.intake.report(submission, now: .now())
            return WebAnswer.seeOther("/issues/\(receipt.id.hex)/sent")
        } catch {
            guard case .invalid(let problems) = error else { throw error.nodeError ?? error }
            var values = form.fields
            values["csrf"] = nil
            values["screened"] = problems.contains(where: \.isScreening) ? "1" : nil
            return WebAnswer.html(
                ReportPage(site: site, formToken: form["csrf"] ?? "", values: values, problems: problems)
                    .render(),
                status: .unprocessableContent,
                shared: false
            )
        }
    }

    /// A resident's comment, confirmation (once per browser: `browser` is its form cookie), solution or offer.
    func contribute(
        _ site: Site,
        _ form: FormData,
        _ context: NodeRequestContext,
        browser: String
    ) throws -> WebAnswer {
        guard let id = context.parameters.get("id").flatMap(EventID.init) else { throw WebError(404, "no such issue") }
        func field(_ name: String) -> String? {
            guard let value = form[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                return nil
            }
            return value
        }
        let kind: ContributionSubmission.Kind
        switch context.parameters.get("action") {
        case "flag": return try flag(id, form)
        case "follow": return try follow(id, form, language: site.language)
        case "comment": kind = .comment
        case "confirm": kind = .confirm
        case "solution": kind = .solution
        case "offer": kind = .offer
        default:
            throw WebError(404, "residents can comment, confirm, propose a solution, offer help or report a problem")
        }
        let text = kind == .offer ? form["what"] : kind == .confirm ? form["note"] : form["text"]
        let submission = ContributionSubmission(kind, text: text, when: form["when"], by: form["by"])
        do {
            if kind == .confirm {
                _ = try node.confirmOnce(submission, on: id, browser: browser, email: form["email"], now: .now())
            } else {
                _ = try node.intake.contribute(submission, on: id, now: .now())
            }
        } catch {
            switch error {
            case .invalid(let problems) where problems == [.alreadyConfirmed] || problems == [.alreadyConfirmedByEmail]:
                throw WebError(409, problems: problems)
            case .invalid(let problems): throw WebError(422, problems: problems)
            case .failed(let failure) where failure.code == .notFound:
                throw WebError(404, "this node holds no issue \(id.hex)")
            case .failed(let failure) where failure.code == .unavailable: throw failure
            case .failed(let failure): throw WebError(422, "that could not be added: \(failure.message)")
            }
        }
        return WebAnswer.seeOther("/issues/\(id.hex)?added=\(kind.rawValue)")
    }

    /// Follow an issue by e-mail: a confirmation mail first (double opt-in).
    func follow(_ issue: EventID, _ form: FormData, language: Language) throws -> WebAnswer {
        guard let mail else { throw WebError(404, "this node sends no e-mail") }
        do {
            let outcome = try node.requestFollow(
                email: form["email"] ?? "",
                issue: issue,
                area: nil,
                settings: mail,
                language: language,
                now: .now()
            )
            return WebAnswer.seeOther(
                "/issues/\(issue.hex)?added=\(outcome == .alreadyFollowing ? "following" : "follow")"
            )
        } catch {
            switch error {
            case .invalid(let problems): throw WebError(422, problems: problems)
            case .failed(let failure) where failure.code == .notFound:
                throw WebError(404, "this node holds no issue \(issue.hex)")
            case .failed(let failure): throw failure
            }
        }
    }

    /// A resident's "report this": kept for the moderators (at most `FlagReason.capPerItem` open
    /// per item), only for what this node can remove; nothing is published or sent.
    func flag(_ issue: EventID, _ form: FormData) throws -> WebAnswer {
        guard let state = try node.store.issueState(issue) else {
            throw WebError(404, "this node holds no issue \(issue.hex)")
        }
        let event = form["event"] ?? ""
        guard IssuePage.flaggable(state, site: Site(node: node, names: [:])).contains(where: { $0.event == event })
        else {
            throw WebError(422, "that item cannot be reported on this node; choose one from the list")
        }
        guard let reason = FlagReason(rawValue: form["reason"] ?? "") else {
            throw WebError(422, "choose why you are reporting it")
        }
        let note = SubmittedText.normalise(form["note"]) ?? ""
        guard note.unicodeScalars.count <= FlagReason.maxNote else {
            throw WebError(422, "the note is at most \(FlagReason.maxNote) characters")
        }
        try node.staffRecords.addFlag(
            issue: issue.hex,
            event: event,
            reason: reason.rawValue,
            note: note,
            at: Timestamp.now().secondsSinceEpoch,
            cap: FlagReason.capPerItem
        )
        return WebAnswer.seeOther("/issues/\(issue.hex)?added=flag")
    }
}
