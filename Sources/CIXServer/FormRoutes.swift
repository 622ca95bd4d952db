import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXNode
import CIXPhoto
import CIXRouting
import CIXWeb
import Foundation
import Hummingbird
import HTTPTypes

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
    /// Largest form body: a photo plus the text fields.
    static let maxBody = Photo.maxUploadBytes + 64 * 1024

    func register(on router: Hummingbird.Router<NodeRequestContext>) {
        router.post("/report") { request, context in
            await post(request, context) { site, form in try report(site, form) }
        }
        router.post("/issues/:id/:action") { request, context in
            await post(request, context) { site, form in try contribute(site, form, context) }
        }
    }

    /// The anti-forgery cookie of the request, if it has a well-formed one.
    static func formCookie(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == FormGuard.cookieName else { continue }
                let value = String(parts[1])
                if value.count == 32, Hex.decode(value, count: 16) != nil { return value }
            }
        }
        return nil
    }

    /// Checks what every post needs, parses the form, and renders the handler's result or error.
    func post(_ request: Request, _ context: NodeRequestContext, _ handle: (Site, FormData) throws -> WebAnswer) async -> Response {
        let answer = await answer(request, context, handle)
        if answer.status == .seeOther { await cache.clear() }
        return answer.response
    }

    func answer(_ request: Request, _ context: NodeRequestContext, _ handle: (Site, FormData) throws -> WebAnswer) async -> WebAnswer {
        let site: Site
        do {
            site = try Site.load(node)
        } catch {
            return WebAnswer(status: .internalServerError, headers: [:], body: ByteBuffer(), shared: false)
        }
        let messages = MessagePage(site: site)
        guard site.takesReports else {
            return WebAnswer.html(
                messages.reportElsewhere(intake: (try? site.intakeNodes()) ?? []), status: .methodNotAllowed,
                headers: [.allow: "GET, HEAD"], shared: false)
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
            let form = try FormData.parse(Array(body.readableBytesView), contentType: request.headers[.contentType] ?? "")
            guard forms.accepts(token: form["csrf"], cookie: Self.formCookie(request)) else {
                throw WebError(403, "this form has expired or did not come from this site; please reload the page and send it again")
            }
            return try handle(site, form)
        } catch {
            let error = WebError(error)
            var headers: HTTPFields = [:]
            if error.status == 429 { headers[.retryAfter] = "60" }
            if error.status == 503 { headers[.retryAfter] = "30" }
            return WebAnswer.html(messages.error(error), status: .init(code: error.status), headers: headers, shared: false)
        }
    }

    func report(_ site: Site, _ form: FormData) throws -> WebAnswer {
        var problems: [String] = []
        func text(_ name: String, _ label: String, max: Int, required: Bool = false) -> String? {
            let value = form[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if value.isEmpty {
                if required { problems.append("\(label) is needed.") }
                return nil
            }
            if value.count > max { problems.append("\(label) may be at most \(max) characters.") }
            return value
        }
        let category = form["category"] ?? ""
        if Taxonomy.category(category) == nil { problems.append("Choose the kind of problem.") }
        let title = text("title", "A short title", max: 200, required: true)
        let description = text("description", "The details", max: 8_000)
        let address = text("address", "The address", max: 300)
        let name = text("name", "Your name", max: 200)
        let email = text("email", "Your email", max: 200)
        let phone = text("phone", "Your phone number", max: 50)
        let latitude = form["lat"].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        let longitude = form["lon"].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        if latitude.map({ !(-90...90).contains($0) }) ?? true || longitude.map({ !(-180...180).contains($0) }) ?? true {
            problems.append("Give the place: click the map, or type a latitude (−90 to 90) and longitude (−180 to 180).")
        }
        var attachments: [Attachment] = []
        if let upload = form.files["photo"], !upload.bytes.isEmpty {
            do {
                let photo = try Photo.sanitize(upload.bytes)
                let stored = try node.store.saveAttachment(Data(photo.bytes), type: photo.format.rawValue, at: .now())
                attachments.append(Attachment(hash: stored.hash, type: photo.format.rawValue, size: Int64(photo.bytes.count)))
            } catch let error as PhotoError {
                problems.append("The photo could not be used: \(error.message).")
            }
        }
        guard problems.isEmpty, let title, let latitude, let longitude else {
            var values = form.fields
            values["csrf"] = nil
            return WebAnswer.html(
                ReportPage(site: site, formToken: form["csrf"] ?? "", values: values, problems: problems).render(),
                status: .unprocessableContent, shared: false)
        }
        var report = NewReport(
            title: title, description: description, category: category, latitude: latitude, longitude: longitude,
            address: address, reporterName: name, reporterEmail: email, reporterPhone: phone)
        report.attachments = attachments
        do {
            let (event, _) = try node.reportAndRoute(report, now: .now())
            return WebAnswer.seeOther("/issues/\(event.id.hex)/sent")
        } catch where error.code == .unavailable {
            throw error
        } catch {
            throw WebError(422, "the report could not be signed: \(error.message)")
        }
    }

    func contribute(_ site: Site, _ form: FormData, _ context: NodeRequestContext) throws -> WebAnswer {
        guard let id = context.parameters.get("id").flatMap(EventID.init) else { throw WebError(404, "no such issue") }
        func field(_ name: String) -> String? {
            guard let value = form[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            return value
        }
        let content: EventBody
        switch context.parameters.get("action") {
        case "confirm":
            content = .confirm(ConfirmBody(note: field("note")))
        case "solution":
            guard let text = field("text") else { throw WebError(422, "describe the solution you propose") }
            content = .solution(TextBody(text: text))
        case "offer":
            guard let what = field("what") else { throw WebError(422, "say what help you offer") }
            content = .offer(OfferBody(what: what, when: field("when"), by: field("by")))
        default:
            throw WebError(404, "residents can confirm, propose a solution or offer help")
        }
        let kind = content.kind
        do {
            _ = try node.act(content, on: id, now: .now())
        } catch {
            if error.code == .notFound { throw WebError(404, "this node holds no issue \(id.hex)") }
            if error.code == .unavailable { throw error }
            throw WebError(422, "that could not be added: \(error.message)")
        }
        return WebAnswer.seeOther("/issues/\(id.hex)?added=\(kind.rawValue)")
    }
}
