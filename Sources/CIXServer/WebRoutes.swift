import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXRouting
import CIXStore
import CIXWeb
import Foundation
import HTTPTypes
import Hummingbird

/// The public pages, feeds, data and static files: everything a resident,
/// an analyst or a mirror's visitor reads. Reads only; posts are `FormRoutes`.
struct WebRoutes: Sendable {
    let node: LocalNode
    let forms: FormGuard
    let cache: PageCache

    func register(on router: some RouterMethods<NodeRequestContext>) {
        get(router, "/") { _, context in page(context) { site in try home(site) } }
        get(router, "/issues") { request, context in page(context) { site in try list(site, request) } }
        get(router, "/issues/:id", perVisitor: true) { request, context in
            formPage(request, context) { site, token in try issue(site, token, request, context) }
        }
        get(router, "/issues/:id/sent") { _, context in page(context) { site in try sent(site, context) } }
        get(router, "/issues/:id/feed.atom") { _, context in
            data(context) { site in
                WebAnswer.text(
                    AtomFeed.issue(try view(context, names: site.names), site: site),
                    type: "application/atom+xml; charset=utf-8"
                )
            }
        }
        get(router, "/nodes") { _, context in
            page(context) { site in
                NodeDirectoryPage(site: site, entries: try nodeEntries(), blocks: try node.store.blockedNodes())
                    .render()
            }
        }
        get(router, "/report", perVisitor: true) { request, context in
            formPage(request, context) { site, token in
                guard site.takesReports else {
                    return MessagePage(site: site).reportElsewhere(intake: try site.intakeNodes())
                }
                let query = try Self.parameters(request)
                // Coordinates and an address chosen from the place search fill the form.
                var values: [String: String] = [:]
                for key in ["lat", "lon"] { values[key] = query[key].flatMap(Double.init).map { String($0) } }
                values["address"] = query["address"].map { String($0.prefix(300)) }
                var page = ReportPage(site: site, formToken: token, values: values)
                page.searchesPlaces = try node.gazetteer.hasPlaces()
                if let text = query["place"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty, page.searchesPlaces {
                    let text = String(text.prefix(100))
                    page.placeSearch = (text, try node.searchPlaces(text))
                }
                return page.render()
            }
        }
        get(router, "/report/held") { _, context in
            page(context) { site in MessagePage(site: site).held() }
        }
        get(router, "/feeds/issues.atom") { request, context in data(context) { site in try issuesFeed(site, request) }
        }
        get(router, "/api/v1/issues") { request, context in
            data(context) { site in
                let filter = try IssueFilter(try Self.parameters(request))
                return WebAnswer.json(IssueData.list(try node.store.issues(filter.query), filter: filter, site: site))
            }
        }
        get(router, "/api/v1/issues.geojson") { request, context in
            data(context) { site in try geoJSON(site, request) }
        }
        get(router, "/api/v1/issues.csv") { request, context in
            data(context) { site in
                var query = try IssueFilter(try Self.parameters(request)).query
                query.limit = 100_000
                query.offset = 0
                return WebAnswer.text(
                    IssueData.csv(try node.store.issues(query), site: site),
                    type: "text/csv; charset=utf-8; header=present",
                    headers: [.contentDisposition: "attachment; filename=\"issues.csv\""]
                )
            }
        }
        get(router, "/api/v1/issues/:id") { _, context in
            data(context) { site in WebAnswer.json(.object(try view(context, names: site.names).json)) }
        }
        get(router, "/api/v1/nodes") { _, context in data(context) { _ in try nodesJSON() } }
        get(router, "/api/v1/nodes.geojson") { _, context in
            data(context) { _ in
                WebAnswer.json(IssueData.areas(try nodeEntries().map(\.descriptor)), type: "application/geo+json")
            }
        }
        get(router, "/api/v1/categories") { _, context in
            data(context) { _ in WebAnswer.json(.object(TaxonomyDocument.json)) }
        }
        // The web app manifest: a phone can keep the site on its home screen, named for this body.
        get(router, "/manifest.webmanifest") { _, context in
            data(context) { site in
                WebAnswer.json(
                    .object(
                        JSONObject([
                            "name": .string(site.words.homeHeading(site.name)),
                            "short_name": .string(String(site.name.prefix(12))),
                            "description": .string(site.words.homeLead),
                            "start_url": "/", "scope": "/", "display": "standalone",
                            "lang": .string(site.language.rawValue),
                            "background_color": "#ffffff", "theme_color": "#1d4f91",
                            "icons": [["src": "/static/favicon.svg", "sizes": "any", "type": "image/svg+xml"]],
                        ])
                    ),
                    type: "application/manifest+json"
                )
            }
        }
        // Browsers ask for /favicon.ico whatever a page declares (feeds, the API): the same icon.
        router.get("/favicon.ico") { _, _ in
            let icon = StaticAssets.asset("favicon.svg")?.bytes ?? []
            return Response(
                status: .ok,
                headers: [.contentType: "image/svg+xml", .cacheControl: "public, max-age=86400"],
                body: .init(byteBuffer: ByteBuffer(bytes: icon))
            )
        }
        router.get("/static/**") { _, context in
            let path = context.parameters.getCatchAll().joined(separator: "/")
            guard let asset = StaticAssets.asset(path) else { return Response(status: .notFound) }
            return Response(
                status: .ok,
                headers: [.contentType: asset.contentType, .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes))
            )
        }
        router.get("/attachments/:hash") { _, context in try attachment(context) }
    }

    /// Registers a GET. Its answers go through the page cache unless they carry a
    /// visitor's form token (`perVisitor`: pages with forms, on a node that takes reports).
    func get(
        _ router: some RouterMethods<NodeRequestContext>,
        _ path: RouterPath,
        perVisitor: Bool = false,
        _ handler: @escaping @Sendable (Request, NodeRequestContext) -> WebAnswer
    ) {
        let cached = !(perVisitor && node.authors)
        router.get(path) { request, context in
            // Keyed to the store's change counter: no kept answer outlives a change, from any process.
            guard cached, cache.lifetime > 0, let version = try? node.store.changeCounter() else {
                return handler(request, context).response
            }
            let answer = await cache.answer(
                "\(context.language.rawValue) \(context.pagePath)",
                version: version,
                now: Date().timeIntervalSince1970
            ) {
                handler(request, context)
            }
            return answer.response
        }
    }

    // MARK: Answers

    /// The site in the language chosen for this request, for the page it asked for.
    func site(_ context: NodeRequestContext) throws -> Site {
        try Site.load(node, language: context.language, path: context.pagePath)
    }

    /// Renders a page, turning failures into an error page with their status.
    func page(_ context: NodeRequestContext, _ render: (Site) throws -> HTML) -> WebAnswer {
        self.render(for: nil, context) { site, _ in try render(site) }
    }

    /// Renders a page with forms: the browser's anti-forgery cookie is reused or set, and its token handed to the page.
    func formPage(
        _ request: Request,
        _ context: NodeRequestContext,
        _ render: (Site, String) throws -> HTML
    )
        -> WebAnswer
    {
        self.render(for: request, context, render)
    }

    /// `request` is given for pages with forms (its cookie binds their token).
    private func render(
        for request: Request?,
        _ context: NodeRequestContext,
        _ render: (Site, String) throws -> HTML
    ) -> WebAnswer {
        let site: Site
        do {
            site = try self.site(context)
        } catch {
            // Without the site there is no page to put the failure in: say it plainly.
            return WebAnswer.plain(WebError(error, request: context.id, logger: context.logger))
        }
        var headers: HTTPFields = [:]
        var token = ""
        if let request, site.takesReports {
            let cookie = FormRoutes.formCookie(request)
            let value = cookie ?? FormGuard.newCookieValue()
            if cookie == nil {
                headers[.setCookie] = "\(FormGuard.cookieName)=\(value); Path=/; Secure; HttpOnly; SameSite=Strict"
            }
            token = forms.token(for: value)
        }
        do {
            return WebAnswer.html(try render(site, token), headers: headers, shared: token.isEmpty)
        } catch {
            return Self.errorPage(error, site: site, context: context)
        }
    }

    /// Answers a data request, turning failures into JSON errors through the one mapping.
    func data(_ context: NodeRequestContext, _ answer: (Site) throws -> WebAnswer) -> WebAnswer {
        do {
            return try answer(try site(context))
        } catch {
            let failure = RequestFailure(error).answering(request: context.id, logger: context.logger)
            return WebAnswer(failure)
        }
    }

    /// Retry-After for the statuses that call for it.
    /// A failure as a public page, with the status and headers its kind calls for.
    static func errorPage(_ error: any Error, site: Site, context: NodeRequestContext) -> WebAnswer {
        let failure = WebError(error, request: context.id, logger: context.logger)
        return WebAnswer.html(
            MessagePage(site: site).error(failure),
            status: .init(code: failure.status),
            headers: failureHeaders(failure.status),
            shared: false
        )
    }

    static func failureHeaders(_ status: Int) -> HTTPFields {
        switch status {
        case 429: [.retryAfter: "60"]
        case 503: [.retryAfter: "30"]
        default: [:]
        }
    }

    func home(_ site: Site) throws -> HTML {
        let recent = try node.store.issues(IssueQuery(order: .updated, limit: 10))
        let confirmed = try node.store.issues(IssueQuery(order: .confirmations, limit: 10))
        return HomePage(site: site, recent: recent, mostConfirmed: confirmed).render()
    }

    func list(_ site: Site, _ request: Request) throws -> HTML {
        let filter = try IssueFilter(try Self.parameters(request))
        let query = filter.query
        let cap = IssueListPage.countCap(for: filter)
        let issues = try node.store.issues(query)
        // A page holding fewer issues than it could (and not past the end) is the last one: the
        // matches are counted already, and a rare word's search costs one query, not two.
        let isLast = issues.count < query.limit && (!issues.isEmpty || query.offset == 0)
        let total = isLast ? min(query.offset + issues.count, cap + 1) : try node.store.issueCount(query, upTo: cap)
        return IssueListPage(site: site, filter: filter, issues: issues, total: total).render()
    }

    func view(_ context: NodeRequestContext, names: [String: String]? = nil) throws -> IssueView {
        guard let id = context.parameters.get("id").flatMap(EventID.init) else {
            throw WebError(404, "an issue address ends in the issue's id, 64 hex digits")
        }
        do {
            return try IssueView.load(id, from: node, names: names)
        } catch {
            if error.code == .notFound { throw WebError(404, "this node holds no issue \(id.hex)") }
            throw error
        }
    }

    func issue(_ site: Site, _ token: String, _ request: Request, _ context: NodeRequestContext) throws -> HTML {
        let view = try view(context, names: site.names)
        let photos = (view.state.report?.attachments ?? []).map(\.hash)
        let held = Set(try photos.filter { try node.store.attachment($0) != nil })
        var duplicates = IssueQuery(order: .reported, limit: IssuePage.duplicatesShown)
        duplicates.duplicatesOf = view.state.id.hex
        return IssuePage(
            site: site,
            view: view,
            formToken: site.takesReports ? token : nil,
            notice: try Self.parameters(request)["added"].flatMap { site.words.notice($0) },
            heldPhotos: held,
            takePartAt: site.takesReports ? [] : try intakeNodes(for: view.state),
            duplicates: try node.store.issues(duplicates)
        ).render()
    }

    /// On a mirror, where residents can add to an issue: the node it was reported through, then
    /// the other bodies holding it, as their verified descriptors name them (https only).
    func intakeNodes(for state: IssueState) throws -> [(name: String, url: String)] {
        let descriptors = try node.store.descriptors().filter { $0.kind != .mirror && $0.url.hasPrefix("https://") }
        let order = [state.origin] + state.agencies.keys.filter { $0 != state.origin }.sorted { $0.hex < $1.hex }
        return order.compactMap { id in
            descriptors.first { $0.node == id }.map {
                ($0.name, $0.url.hasSuffix("/") ? String($0.url.dropLast()) : $0.url)
            }
        }
    }

    /// Where the report went and why, from the signed `route` events themselves.
    func sent(_ site: Site, _ context: NodeRequestContext) throws -> HTML {
        let view = try view(context, names: site.names)
        let routes = view.entries.compactMap(\.event?.content).flatMap { content -> [(name: String, reason: String)] in
            guard case .route(let body) = content else { return [] }
            return body.recipients.map { (view.name($0.node), $0.reason) }
        }
        return MessagePage(site: site).reported(
            issue: view.state.id,
            title: view.state.report?.title ?? "",
            routes: routes
        )
    }

    func issuesFeed(_ site: Site, _ request: Request) throws -> WebAnswer {
        let filter = try IssueFilter(try Self.parameters(request))
        var query = filter.query
        query.limit = 50
        query.offset = 0
        let title = site.words.issuesOf(site.name) + (filter.category.map { " — \(site.category($0))" } ?? "")
        let feed = AtomFeed.issues(
            try node.store.issues(query),
            site: site,
            title: title,
            selfPath: "/feeds/issues.atom" + filter.filtersOnly
        )
        return WebAnswer.text(feed, type: "application/atom+xml; charset=utf-8")
    }

    func geoJSON(_ site: Site, _ request: Request) throws -> WebAnswer {
        var parameters = try Self.parameters(request)
        // Here `limit` counts features, and there are no pages.
        let limit = try parameters.removeValue(forKey: "limit").map { text throws(WebError) in
            try IssueFilter.whole(text, in: 1...1_000, "limit")
        }
        parameters["page"] = nil
        var query = try IssueFilter(parameters).query
        query.limit = limit ?? 500
        query.offset = 0
        if let id = parameters["id"] {
            guard EventID(id) != nil else { throw WebError(400, "id must be an issue id (64 hex digits)") }
            query.issue = id
        }
        return WebAnswer.json(IssueData.geoJSON(try node.store.issues(query), site: site), type: "application/geo+json")
    }

    func nodesJSON() throws -> WebAnswer {
        WebAnswer.json(
            .array(
                try nodeEntries().map { entry in
                    var record = entry.descriptor.record
                    record["fingerprint"] = .string(NodeDirectoryPage.fingerprint(entry.descriptor.signer))
                    record["last_heard"] = entry.lastHeard.map { .string($0.description) } ?? .null
                    return .object(record)
                }
            )
        )
    }

    /// A stored photo, with a type that cannot be sniffed into anything else and a sandboxing policy.
    func attachment(_ context: NodeRequestContext) throws -> Response {
        guard let hash = context.parameters.get("hash"), Hex.decode(hash, count: 32) != nil,
            let attachment = try node.store.attachment(hash)
        else { return Response(status: .notFound) }
        let name = attachment.type == "image/png" ? "photo.png" : "photo.jpg"
        return Response(
            status: .ok,
            headers: [
                .contentType: attachment.type, .contentDisposition: "inline; filename=\"\(name)\"",
                .cacheControl: "public, max-age=31536000, immutable",
                .contentSecurityPolicy: "default-src 'none'; img-src 'self'; sandbox",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: attachment.bytes))
        )
    }

    func nodeEntries() throws -> [NodeDirectoryPage.Entry] {
        let peers = Dictionary(
            try node.store.peers().map { ($0.node, $0.lastContact) },
            uniquingKeysWith: { first, _ in first }
        )
        return try node.store.descriptors().map {
            NodeDirectoryPage.Entry(descriptor: $0, lastHeard: peers[$0.node] ?? nil)
        }
    }

    /// The query string's parameters; a name given twice is refused, as is text that is not UTF-8.
    static func parameters(_ request: Request) throws(WebError) -> [String: String] {
        let query = try FormData.urlEncoded(Array((request.uri.query ?? "").utf8))
        if let name = query.repeatedNames.sorted().first {
            throw WebError(400, "the parameter “\(name)” is given more than once; give it once")
        }
        // The language is the switcher's business (`LanguageMiddleware`), not the page's.
        return query.fields.filter { $0.key != Language.parameterName }
    }
}
