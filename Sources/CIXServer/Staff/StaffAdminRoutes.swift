import CIXCore
import CIXNode
import CIXRouting
import CIXStaff
import CIXStore
import CIXWeb
import Foundation
import Hummingbird

/// Running the console itself: staff accounts and their roles (for those who
/// manage staff, with a recent sign-in), a person's own sessions, and the
/// audit trail.
struct StaffAdminRoutes: Sendable {
    let node: LocalNode
    let gate: StaffGate
    /// Entries the audit page shows.
    static let auditShown = 200

    func register(on router: some RouterMethods<NodeRequestContext>) {
        router.get("/staff/accounts") { request, context in
            await gate.serve(request, context, post: false) { call in
                try call.require(.manageStaff, subject: "accounts")
                let notice = request.uri.queryParameters["done"].map { "Done: \($0)." }
                return .html(try accountsPage(call, notice: notice).render(), shared: false)
            }
        }
        router.post("/staff/accounts/:action") { request, context in
            let action = context.parameters.get("action") ?? ""
            return await gate.serve(request, context, post: true) { call in try await manage(call, action) }
        }
        router.get("/staff/sessions") { request, context in
            await gate.serve(request, context, post: false) { call in
                let sessions = try node.staffRecords.liveSessions(account: call.account.id)
                return .html(
                    SessionsPage(layout: call.layout, sessions: sessions, current: call.session.id).render(),
                    shared: false
                )
            }
        }
        router.post("/staff/sessions/end") { request, context in
            await gate.serve(request, context, post: true) { call in
                let prefix = call.form["session"] ?? ""
                let mine = try node.staffRecords.liveSessions(account: call.account.id)
                guard prefix.count == 16, let session = mine.first(where: { $0.id.hasPrefix(prefix) }) else {
                    throw StaffError(.notFound, "you have no such session")
                }
                try node.staffRecords.revokeSession(id: session.id, at: call.now)
                try call.record("session-end", subject: call.actor, detail: "session from \(session.address)")
                return .seeOther(session.id == call.session.id ? "/staff/sign-in?ended=signed-out" : "/staff/sessions")
            }
        }
        router.get("/staff/templates") { request, context in
            await gate.serve(request, context, post: false) { call in
                try call.require(.manageTemplates, subject: "templates")
                let page = TemplatesPage(
                    layout: call.layout,
                    templates: try node.staffRecords.templates(),
                    notice: request.uri.queryParameters["done"].map { "Template \($0)." }
                )
                return .html(page.render(), shared: false)
            }
        }
        router.post("/staff/templates/:action") { request, context in
            let action = context.parameters.get("action") ?? ""
            return await gate.serve(request, context, post: true) { call in try template(call, action) }
        }
        router.get("/staff/audit") { request, context in
            await gate.serve(request, context, post: false) { call in
                try call.require(.manageStaff, subject: "audit")
                let report = try gate.desk.verifyAudit()
                let from = max(0, Int64(report.entries) - Int64(Self.auditShown))
                let entries = try node.staffRecords.auditEntries(after: from, limit: Self.auditShown)
                return .html(AuditPage(layout: call.layout, entries: entries, report: report).render(), shared: false)
            }
        }
    }

    func accountsPage(_ call: StaffGate.Call, notice: String?) throws -> AccountsPage {
        AccountsPage(
            layout: call.layout,
            accounts: try node.staffRecords.staffList(),
            categories: Taxonomy.categories.map(\.code),
            areas: node.areas.names,
            notice: notice
        )
    }

    func template(_ call: StaffGate.Call, _ action: String) throws -> WebAnswer {
        try call.require(.manageTemplates, subject: "templates")
        switch action {
        case "save":
            let name = SubmittedText.normalise(call.form["name"]) ?? ""
            let text = SubmittedText.normalise(call.form["text"]) ?? ""
            guard (1...100).contains(name.count), (1...2000).contains(text.unicodeScalars.count) else {
                throw StaffError(
                    .invalidInput,
                    "a template needs a name (up to 100 characters) and a text (up to 2,000)"
                )
            }
            try node.staffRecords.saveTemplate(name: name, text: text, by: call.actor, at: call.now)
            try call.record("template-save", subject: name)
            return .seeOther("/staff/templates?done=saved")
        case "delete":
            guard let id = Int64(call.form["id"] ?? ""), try node.staffRecords.deleteTemplate(id: id) else {
                throw StaffError(.notFound, "there is no such template")
            }
            try call.record("template-delete", subject: String(id))
            return .seeOther("/staff/templates?done=deleted")
        default:
            throw StaffError(.notFound, "there is no action \(action) on templates")
        }
    }

    /// Adding an account, changing roles, disabling: the password and code must have been given recently.
    func manage(_ call: StaffGate.Call, _ action: String) async throws -> WebAnswer {
        try call.require(.manageStaff, subject: "accounts")
        guard StaffDesk.isRecent(call.session, now: call.now) else {
            throw StaffError(
                .forbidden,
                "Managing staff needs your password and code given in the last 10 minutes: sign out and sign in again."
            )
        }
        let form = call.form
        let login = (form["login"] ?? "").trimmingCharacters(in: .whitespaces)
        let grants = [
            StaffGrant(
                role: form["role"] ?? "",
                categories: form.allValues["category"] ?? [],
                areas: form.allValues["area"] ?? []
            )
        ]
        let desk = gate.desk
        switch action {
        case "add":
            let credentials = try await desk.addAccount(
                login: login,
                displayName: (form["name"] ?? "").trimmingCharacters(in: .whitespaces),
                password: form["password"] ?? "",
                grants: grants,
                actor: call.actor,
                address: call.address,
                now: call.now
            )
            if let team = form["team"], !team.trimmingCharacters(in: .whitespaces).isEmpty {
                try desk.setTeam(login: login, team: team, actor: call.actor, address: call.address, now: call.now)
            }
            let url = TOTPCheck(secret: credentials.totpSecret).authenticatorURL(login: login, issuer: call.site.name)
            return .html(
                CredentialsPage(layout: call.layout, login: login, credentials: credentials, authenticatorURL: url)
                    .render(),
                shared: false
            )
        case "grant":
            try desk.grant(login: login, grants: grants, actor: call.actor, address: call.address, now: call.now)
            return .seeOther("/staff/accounts?done=roles%20changed%20for%20\(login)")
        case "team":
            try desk.setTeam(login: login, team: form["team"], actor: call.actor, address: call.address, now: call.now)
            return .seeOther("/staff/accounts?done=team%20changed%20for%20\(login)")
        case "disable":
            guard login != call.actor else { throw StaffError(.invalidInput, "you cannot disable your own account") }
            try desk.disable(login: login, actor: call.actor, address: call.address, now: call.now)
            return .seeOther("/staff/accounts?done=\(login)%20disabled")
        default:
            throw StaffError(.notFound, "there is no action \(action) on accounts")
        }
    }
}

/// The body's figures for those who may see them: a page and its CSV, over a period given as dates.
struct StaffFiguresRoutes: Sendable {
    let node: LocalNode
    let gate: StaffGate
    /// Figures already computed, by period, scope, the store's change counter and the minute:
    /// a large body's year takes about a second to count, and readers ask for the same period again.
    let computed = FiguresCache()
    /// The longest period a request may ask for.
    static let maxDays: Int64 = 3660

    func register(on router: some RouterMethods<NodeRequestContext>) {
        router.get("/staff/figures") { request, context in
            await gate.serve(request, context, post: false) { call in
                let (figures, from, to) = try await compute(call, request)
                return .html(
                    FiguresPage(site: call.site, staff: call.layout, figures: figures, fromText: from, toText: to)
                        .render(),
                    shared: false
                )
            }
        }
        // The same figures for the public, every category, on a node that is a body (not a mirror).
        router.get("/figures") { request, context in
            await publicAnswer(request, context) { site, figures, from, to in
                .html(FiguresPage(site: site, staff: nil, figures: figures, fromText: from, toText: to).render())
            }.response
        }
        // By category and by named area.
        let tables: [(path: String, table: @Sendable (BodyFigures) -> String)] = [
            ("", { $0.csv }), ("-by-area", { $0.areasCSV }),
        ]
        for (path, table) in tables {
            router.get("/figures\(path).csv") { request, context in
                await publicAnswer(request, context) { _, figures, _, _ in
                    WebAnswer.text(table(figures), type: "text/csv; charset=utf-8")
                }.response
            }
            router.get("/staff/figures\(path).csv") { request, context in
                await gate.serve(request, context, post: false) { call in
                    let (figures, from, to) = try await compute(call, request)
                    try call.record("export", subject: "figures\(path)", detail: "\(from) to \(to)")
                    var answer = WebAnswer.text(table(figures), type: "text/csv; charset=utf-8")
                    answer.headers[.accessControlAllowOrigin] = nil
                    answer.headers[.cacheControl] = "private, no-store"
                    answer.headers[.contentDisposition] = "attachment; filename=\"figures\(path)-\(from)-\(to).csv\""
                    answer.shared = false
                    return answer
                }
            }
        }
    }

    static let day: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter
    }()

    func publicAnswer(
        _ request: Request,
        _ context: NodeRequestContext,
        _ render: (Site, BodyFigures, String, String) -> WebAnswer
    ) async -> WebAnswer {
        let site: Site
        do { site = try Site.load(node, language: context.language, path: context.pagePath) } catch {
            return WebAnswer.plain(WebError(error, request: context.id, logger: context.logger))
        }
        do {
            guard node.authors else {
                throw WebError(404, "a mirror is not a body: it has no figures of its own; see each body's node")
            }
            let (figures, from, to) = try await compute(request, now: Timestamp.now().secondsSinceEpoch, scopes: nil)
            return render(site, figures, from, to)
        } catch {
            return WebRoutes.errorPage(error, site: site, context: context)
        }
    }

    /// The staff reader's figures: only the categories and areas their grants cover.
    func compute(_ call: StaffGate.Call, _ request: Request) async throws -> (BodyFigures, String, String) {
        try call.require(.viewDashboard, subject: "figures")
        return try await compute(
            request,
            now: call.now,
            scopes: Authoriser.scopes(call.account.grants, .viewDashboard)
        )
    }

    /// The figures for `from`…`to` (whole UTC days; default the last 365 days), within `scopes` (nil: every case).
    func compute(_ request: Request, now: Int64, scopes: [CaseScope]?) async throws -> (BodyFigures, String, String) {
        func date(_ name: String, default seconds: Int64) throws -> (Int64, String) {
            guard let text = request.uri.queryParameters[Substring(name)].map(String.init), !text.isEmpty else {
                let fallback = Date(timeIntervalSince1970: TimeInterval(seconds))
                return (seconds, Self.day.string(from: fallback))
            }
            guard text.count == 10, let parsed = Self.day.date(from: text) else {
                throw StaffError(.invalidInput, "\(name) must be a date written YYYY-MM-DD")
            }
            return (Int64(parsed.timeIntervalSince1970), text)
        }
        let (from, fromText) = try date("from", default: now - 365 * 86_400)
        let (toDay, toText) = try date("to", default: now)
        // The whole of the last day counts.
        let to = request.uri.queryParameters["to"] == nil ? now : toDay + 86_399
        guard from <= to, (to - from) / 86_400 <= Self.maxDays else {
            throw StaffError(.invalidInput, "the period must run forwards and span at most ten years")
        }
        let key = [
            String(from), String(to), scopes.map { "\($0)" } ?? "*",
            String(try node.store.changeCounter()), String(now / 60),
        ].joined(separator: "|")
        let node = node
        let figures = try await computed.value(for: key) {
            try node.figures(from: from, to: to, now: now, scopes: scopes)
        }
        return (figures, fromText, toText)
    }
}

/// Figures by key, each computed once however many readers ask at the same time
/// (they wait for the one computation), and kept for the last 64 keys.
actor FiguresCache {
    private var done: [String: BodyFigures] = [:]
    private var order: [String] = []
    private var running: [String: Task<BodyFigures, any Error>] = [:]

    func value(for key: String, compute: @escaping @Sendable () throws -> BodyFigures) async throws -> BodyFigures {
        if let figures = done[key] { return figures }
        if let task = running[key] { return try await task.value }
        let task = Task { try compute() }
        running[key] = task
        defer { running[key] = nil }
        let figures = try await task.value
        done[key] = figures
        order.append(key)
        if order.count > 64 { done[order.removeFirst()] = nil }
        return figures
    }
}
