import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXPhoto
import CIXRouting
import CIXStaff
import CIXStore
import CIXWeb
import Foundation
import Hummingbird

/// The inbox and the case page, and what staff do on a case: every action
/// asks `Authoriser` first, becomes a signed event where others must verify
/// it (accept, decline, transfer, status, partner note) or stays local (internal
/// notes), and is written to the audit trail.
struct StaffCaseRoutes: Sendable {
    let node: LocalNode
    let gate: StaffGate
    let cache: PageCache
    /// Cases shown per inbox section (the bulk form carries at most this many).
    static let pageSize = 25
    /// Above this many matching parts, a section walks the oldest issues rather than gathering the parts.
    static let manyParts = 500

    func register(on router: some RouterMethods<NodeRequestContext>) {
        router.get("/staff") { request, context in
            await gate.serve(request, context, post: false) { call in try inbox(call, request) }
        }
        router.post("/staff/inbox/accept") { request, context in
            await gate.serve(request, context, post: true) { call in try await bulkAccept(call) }
        }
        router.post("/staff/inbox/assign") { request, context in
            await gate.serve(request, context, post: true) { call in try bulkAssign(call) }
        }
        router.get("/staff/cases/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            let done = request.uri.queryParameters["done"].map(String.init)
            return await gate.serve(request, context, post: false) { call in
                let issue = try resolve(id)
                let facts = try facts(of: issue)
                try call.require(.viewInbox, on: facts, subject: issue.hex)
                try requireNeedToKnow(call, issue, on: facts)
                return .html(try casePage(call, issue, notice: Self.doneNotice(done)).render(), shared: false)
            }
        }
        router.post("/staff/cases/:id/:action") { request, context in
            let id = context.parameters.get("id") ?? ""
            let action = context.parameters.get("action") ?? ""
            return await gate.serve(request, context, post: true) { call in try await act(call, id, action) }
        }
    }

    // MARK: Inbox

    func inbox(_ call: StaffGate.Call, _ request: Request) throws -> WebAnswer {
        try call.require(.viewInbox, subject: "inbox")
        let people = try node.staffRecords.staffList()
        let team = call.account.team.map { team in people.filter { $0.team == team }.map(\.login) }
        let filters = try InboxFilters(
            { request.uri.queryParameters[Substring($0)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } },
            scopes: Authoriser.scopes(call.account.grants, .viewInbox),
            areaNames: node.areas.names,
            inTeam: team != nil
        )
        func section(roles: [String]) throws -> InboxPage.Section {
            var query = IssueQuery(agency: node.id.hex, limit: Self.pageSize)
            filters.apply(to: &query, actor: call.actor, team: team, now: call.now)
            query.needToKnow = Authoriser.decide(call.account.grants, .viewRestricted).allowed ? nil : call.actor
            query.agencyRoles = roles
            query.agencyStatuses = filters.statuses
            query.oldestFirst = true
            // Counted first (from an index alone): an empty section needs no list.
            let total = try node.store.issueCount(query)
            query.agencyPartsAreMany = total > Self.manyParts
            return InboxPage.Section(issues: total == 0 ? [] : try node.store.issues(query), total: total)
        }
        let awaiting = try section(roles: ["routed", "origin"])
        let inProgress = try section(roles: ["accepted"])
        let listed = awaiting.issues + inProgress.issues
        var due: [String: Int64] = [:]
        for issue in listed {
            if let days = node.config.targetDays(category: issue.category) {
                due[issue.id] = issue.reportedAt + Int64(days) * 86_400
            }
        }
        let page = InboxPage(
            layout: call.layout,
            awaiting: awaiting,
            inProgress: inProgress,
            categories: try filters.categoryChoices.map { $0.sorted() } ?? servedCategories(),
            selected: filters.category,
            areas: node.areas.names.filter { filters.areaChoices?.contains($0) ?? true },
            selectedArea: filters.area,
            olderThan: filters.olderThan,
            scopes: filters.scopes,
            places: Dictionary(
                listed.compactMap { issue -> (String, [String])? in
                    guard let longitude = issue.longitude, let latitude = issue.latitude else { return nil }
                    return (issue.id, node.areas.names(longitude: longitude, latitude: latitude))
                },
                uniquingKeysWith: { first, _ in first }
            ),
            canAnswer: Authoriser.decide(call.account.grants, .answer).allowed,
            notice: request.uri.queryParameters["accepted"].map { "Accepted \($0) report(s)." }
                ?? request.uri.queryParameters["assigned-count"].map { "Assigned \($0) report(s)." },
            now: call.now,
            assignments: try node.staffRecords.assignments(issues: listed.map(\.id)),
            markers: try node.staffRecords.markers(issues: listed.map(\.id)).mapValues { records in
                records.compactMap { CaseMarker(rawValue: $0.marker)?.label }
            },
            due: due,
            assigned: filters.assigned,
            inTeam: team != nil,
            status: filters.status,
            priority: filters.priority,
            priorities: try node.staffRecords.priorities(issues: listed.map(\.id)),
            colleagues: people.filter {
                $0.disabledAt == nil && Authoriser.decide($0.grants, .viewInbox).allowed
            }.map(\.login)
        )
        return .html(page.render(), shared: false)
    }

    /// The categories this node says it serves (its descriptor), else the whole taxonomy.
    func servedCategories() throws -> [String] {
        let own = try node.store.descriptor(of: node.id)?.categories ?? []
        return own.isEmpty ? Taxonomy.categories.map(\.code) : own.sorted()
    }

    func bulkAccept(_ call: StaffGate.Call) async throws -> WebAnswer {
        let ids = call.form.allValues["issue"] ?? []
        guard !ids.isEmpty else { throw StaffError(.invalidInput, "choose at least one report to accept") }
        var accepted = 0
        for id in ids.prefix(Self.pageSize) {
            let issue = try resolve(id)
            let facts = try facts(of: issue)
            try call.require(.answer, on: facts, subject: issue.hex)
            try requireNeedToKnow(call, issue, on: facts)
            let event = try node.act(.accept(AcceptBody()), on: issue, now: Timestamp(secondsSinceEpoch: call.now))
            try call.record("accept", subject: issue.hex, event: event.id.hex, detail: "from the inbox")
            accepted += 1
        }
        await cache.clear()
        return .seeOther("/staff?accepted=\(accepted)")
    }

    /// Gives every chosen case to one person (or to nobody). Each case must be the
    /// person's to work; all are checked before any is given, so a refusal changes nothing.
    func bulkAssign(_ call: StaffGate.Call) throws -> WebAnswer {
        let ids = call.form.allValues["issue"] ?? []
        guard !ids.isEmpty else { throw StaffError(.invalidInput, "choose at least one report to assign") }
        let login = call.form["login"] ?? ""
        let target = login == "me" ? call.actor : login.isEmpty ? nil : login
        let chosen = try ids.prefix(Self.pageSize).map { id throws -> EventID in
            let issue = try resolve(id)
            let facts = try facts(of: issue)
            try call.require(.answer, on: facts, subject: issue.hex)
            try requireNeedToKnow(call, issue, on: facts)
            if let target { try checkAssignee(target, on: facts) }
            return issue
        }
        for issue in chosen { try assign(issue, to: target, call: call) }
        return .seeOther("/staff?assigned-count=\(chosen.count)")
    }

    /// Throws unless `login` names an enabled account whose roles cover this case.
    func checkAssignee(_ login: String, on facts: CaseFacts) throws {
        guard let account = try node.staffRecords.staff(login: login), account.disabledAt == nil,
            Authoriser.decide(account.grants, .viewInbox, on: facts).allowed
        else {
            throw StaffError(.invalidInput, "\(login) cannot work this case (no such account, or not in its roles)")
        }
    }

    /// Gives a case to `login` (nil: nobody), recorded.
    func assign(_ issue: EventID, to login: String?, call: StaffGate.Call) throws {
        try node.staffRecords.assign(issue: issue.hex, to: login, by: call.actor, at: call.now)
        try call.record(
            login == nil ? "unassign" : "assign",
            subject: issue.hex,
            detail: login.map { "to \($0)" } ?? ""
        )
    }

    // MARK: Case

    func resolve(_ id: String) throws -> EventID {
        guard id.count == 64, let issue = EventID(id) else { throw StaffError(.notFound, "no case has the id \(id)") }
        return issue
    }

    /// A case marked restricted opens only for those allowed to see restricted cases and for the
    /// person it is assigned to; anyone else is refused (and the refusal recorded).
    func requireNeedToKnow(_ call: StaffGate.Call, _ issue: EventID, on facts: CaseFacts) throws {
        let marks = try node.staffRecords.markers(issues: [issue.hex])[issue.hex] ?? []
        guard marks.contains(where: { $0.marker == CaseMarker.restricted.rawValue }),
            try node.staffRecords.assignments(issues: [issue.hex])[issue.hex] != call.actor
        else { return }
        try call.require(.viewRestricted, on: facts, subject: issue.hex)
    }

    /// The case's category and areas as its public state has them, for scoped grants.
    func facts(of issue: EventID) throws -> CaseFacts {
        guard let state = try node.store.issueState(issue) else {
            throw StaffError(.notFound, "this node holds no issue \(issue.hex)")
        }
        return node.caseFacts(state.report)
    }

    func casePage(
        _ call: StaffGate.Call,
        _ issue: EventID,
        contact: ShownContact? = nil,
        notice: String?
    ) throws
        -> CasePage
    {
        let names = call.site.names
        let view = try IssueView.load(issue, from: node, names: names, includingPartnerOnly: true)
        let partnerNotes = view.partnerEntries.compactMap { entry -> CasePage.PartnerNote? in
            guard let event = entry.event, case .comment(let body)? = event.content,
                case .partners(let nodes) = event.audience
            else { return nil }
            return CasePage.PartnerNote(event: event, text: body.text, audience: nodes.map { view.name($0) })
        }
        let partners = view.state.agencies.keys.filter { $0 != node.id }.map { ($0, view.name($0)) }
            .sorted { $0.1 < $1.1 }
        let bodies = try node.store.descriptors().filter { $0.kind != .mirror && $0.node != node.id }
            .map { ($0.node, $0.name) }.sorted { $0.1 < $1.1 }
        let facts = node.caseFacts(view.state.report)
        let allowed = Set(
            Permission.allCases.filter { Authoriser.decide(call.account.grants, $0, on: facts).allowed }
        )
        let photos = view.state.report?.attachments.map(\.hash) ?? []
        let held = Set(photos.filter { (try? node.store.attachment($0)) != nil })
        return CasePage(
            layout: call.layout,
            view: view,
            ourNode: node.id,
            heldPhotos: held,
            notes: try node.staffRecords.caseNotes(issue: issue.hex),
            partnerNotes: partnerNotes,
            partners: partners,
            bodies: bodies,
            allowed: allowed,
            templates: try node.staffRecords.templates(),
            assignee: try node.staffRecords.assignments(issues: [issue.hex])[issue.hex],
            colleagues: try node.staffRecords.staffList().filter {
                $0.disabledAt == nil && Authoriser.decide($0.grants, .viewInbox, on: facts).allowed
            }.map(\.login),
            contactHeld: try node.contact(forIssue: issue) != nil || node.holdsSharedContact(forIssue: issue),
            contact: contact,
            notice: notice,
            markers: try node.staffRecords.markers(issues: [issue.hex])[issue.hex] ?? [],
            priority: try node.staffRecords.priorities(issues: [issue.hex])[issue.hex] ?? .normal,
            originals: allowed.contains(.redact) ? try node.staffRecords.originals(issue: issue.hex, now: call.now) : []
        )
    }

    /// The resident's details for this case: those given here, or those the issue's origin sealed to us.
    func shownContact(_ issue: EventID, names: [String: String]) throws -> ShownContact? {
        if let own = try node.contact(forIssue: issue) {
            return ShownContact(
                name: own.name,
                email: own.email,
                phone: own.phone,
                provenance: "Given \(Site.date(own.givenAt.secondsSinceEpoch)) for replies about this report."
            )
        }
        guard let shared = try node.sharedContact(forIssue: issue) else { return nil }
        let from = names[shared.from.hex] ?? "node \(shared.from.short)"
        return ShownContact(
            name: shared.card.name,
            email: shared.card.email,
            phone: shared.card.phone,
            provenance:
                "Shared by \(from) on \(Site.date(shared.at.secondsSinceEpoch)), sealed to this body: the resident agreed that the bodies handling the report may contact them about it, and about nothing else."
        )
    }

    static func doneNotice(_ done: String?) -> String? {
        switch done {
        case "accept": "Accepted: the report is ours, and everyone following it can see so."
        case "decline": "Declined: the report is no longer ours."
        case "status": "Status set and published."
        case "transfer": "Transferred: the other body now holds our part."
        case "note": "Internal note added (kept on this node only)."
        case "assign": "Assignment changed."
        case "partner-note": "Note sent to the chosen bodies only."
        case "duplicate": "Marked as a duplicate; the public page links to the other issue."
        case "redact":
            "Done: the original text is gone from every page and from every node that holds it; a cleaned copy stands in its place if you gave one."
        case "mark": "Marker added (kept on this node only)."
        case "priority": "Priority set (kept on this node only)."
        case "unmark": "Marker removed."
        case "edit": "Corrected and published; bodies that cover the new category or place were asked to look at it."
        default: nil
        }
    }

    func act(_ call: StaffGate.Call, _ id: String, _ action: String) async throws -> WebAnswer {
        let issue = try resolve(id)
        let facts = try facts(of: issue)
        try requireNeedToKnow(call, issue, on: facts)
        let form = call.form
        let now = Timestamp(secondsSinceEpoch: call.now)
        func text(_ name: String, required: Bool, label: String) throws -> String? {
            let value = SubmittedText.normalise(form[name])
            if required, value == nil { throw StaffError(.invalidInput, "\(label) is needed") }
            return value
        }
        /// A public note: the chosen template's text, then what was typed.
        func publicNote() throws -> String? {
            let typed = try text("note", required: false, label: "A note")
            guard let chosen = form["template"], !chosen.isEmpty else { return typed }
            try call.require(.publicReply, on: facts, subject: issue.hex)
            guard let id = Int64(chosen), let template = try node.staffRecords.templates().first(where: { $0.id == id })
            else { throw StaffError(.invalidInput, "that template no longer exists; choose another") }
            return [template.text, typed].compactMap { $0 }.joined(separator: "\n\n")
        }
        func body(_ name: String) throws -> NodeID? {
            guard let value = form[name], !value.isEmpty else { return nil }
            guard let body = NodeID(value) else { throw StaffError(.invalidInput, "\(value) is not a node id") }
            return body
        }
        let event: Event
        switch action {
        case "accept":
            try call.require(.answer, on: facts, subject: issue.hex)
            event = try node.act(.accept(AcceptBody(note: try publicNote())), on: issue, now: now)
        case "decline":
            try call.require(.answer, on: facts, subject: issue.hex)
            let code = DeclineReason(rawValue: form["code"] ?? DeclineReason.other.rawValue) ?? .other
            guard let reason = code.publicReason(detail: try text("reason", required: false, label: "A reason")) else {
                throw StaffError(.invalidInput, "say why: choose a reason or write one")
            }
            guard reason.unicodeScalars.count <= 500 else {
                throw StaffError(.invalidInput, "the reason is at most 500 characters with the chosen reason's words")
            }
            event = try node.act(.decline(DeclineBody(reason: reason, refer: try body("refer"))), on: issue, now: now)
            try call.record(action, subject: issue.hex, event: event.id.hex, detail: code.rawValue)
            await cache.clear()
            return .seeOther("/staff/cases/\(issue.hex)?done=\(action)")
        case "duplicate":
            try call.require(.markDuplicate, on: facts, subject: issue.hex)
            let given = (form["of"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            var other: EventID?
            if (6...64).contains(given.count), given.allSatisfy(\.isHexDigit) {
                do { other = try node.store.resolveIssue(given) } catch { throw StaffError(error) }
            }
            guard let other, other != issue else {
                throw StaffError(
                    .invalidInput,
                    "give the id (at least its first 6 digits) of another issue this node holds"
                )
            }
            event = try node.act(.duplicate(DuplicateBody(of: other)), on: issue, now: now)
        case "redact":
            try call.require(.redact, on: facts, subject: issue.hex)
            let state = try node.store.issueState(issue)
            let held = state?.contributions.map(\.event) ?? []
            // The report itself can be cleaned here, not removed: removing it goes through moderation.
            let cleaning = form["how"] == "clean"
            guard let target = EventID(form["event"] ?? ""), held.contains(target) || (cleaning && target == issue)
            else {
                throw StaffError(.invalidInput, "choose a contribution of this issue to remove")
            }
            let reason = try text("reason", required: true, label: "A reason") ?? ""
            var replacement: JSONObject?
            if cleaning {
                var texts: [String: String] = [:]
                for member in Cleaning.allTextMembers { texts[member] = form[member] }
                let photos = target == issue ? state?.report?.attachments.map(\.hash) ?? [] : []
                let dropped = Set(photos.filter { form["drop-\($0.prefix(16))"] == "on" })
                var masks: [String: [MaskedArea]] = [:]
                for photo in photos {
                    let given = (form["mask-\(photo.prefix(16))"] ?? "").split(separator: ";")
                        .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                    for text in given {
                        guard let area = MaskedArea(text) else {
                            throw StaffError(
                                .invalidInput,
                                "“\(text)” is not an area: give left, top, width, height in % of the photo, for example 10,60,30,20"
                            )
                        }
                        masks[photo, default: []].append(area)
                    }
                }
                do throws(NodeError) {
                    replacement = try node.replacement(
                        for: target,
                        on: issue,
                        cleaning: Cleaning(texts: texts, droppedPhotos: dropped, maskedPhotos: masks)
                    )
                } catch {
                    throw StaffError(.invalidInput, error.message)
                }
            }
            event = try node.redact(
                target,
                on: issue,
                reason: reason,
                replacement: replacement,
                by: call.actor,
                now: now
            )
            try node.staffRecords.dismissFlags(event: target.hex)
        case "edit":
            try call.require(.editReport, on: facts, subject: issue.hex)
            guard let report = try node.store.issueState(issue)?.report else {
                throw StaffError(.invalidInput, "this report's text was removed; there is nothing to correct")
            }
            let chosen = form["category"] ?? ""
            guard Taxonomy.categories.contains(where: { $0.code == chosen }) else {
                throw StaffError(.invalidInput, "choose a category from the list")
            }
            guard let lat = Double(form["lat"] ?? ""), let lon = Double(form["lon"] ?? ""), (-90...90).contains(lat),
                (-180...180).contains(lon)
            else {
                throw StaffError(.invalidInput, "the place needs a latitude (−90 to 90) and a longitude (−180 to 180)")
            }
            let moved = lat != report.latitude || lon != report.longitude
            let edited = try node.edit(
                issue,
                category: chosen == report.category ? nil : chosen,
                location: moved ? Location(latitude: lat, longitude: lon) : nil,
                now: now
            )
            let changes = [
                chosen == report.category ? nil : "category \(report.category) → \(chosen)",
                moved ? "place → \(lat), \(lon)" : nil,
                edited.routedTo.isEmpty ? nil : "routed to \(edited.routedTo.map(\.name).joined(separator: ", "))",
            ]
            try call.record(
                "edit",
                subject: issue.hex,
                event: edited.event.id.hex,
                detail: changes.compactMap { $0 }.joined(separator: "; ")
            )
            await cache.clear()
            return .seeOther("/staff/cases/\(issue.hex)?done=edit")
        case "transfer":
            try call.require(.answer, on: facts, subject: issue.hex)
            guard let to = try body("to") else { throw StaffError(.invalidInput, "choose the body to transfer to") }
            let reason = try text("reason", required: true, label: "A reason") ?? ""
            event = try node.act(.transfer(TransferBody(to: to, reason: reason)), on: issue, now: now)
        case "status":
            try call.require(.setStatus, on: facts, subject: issue.hex)
            guard let state = AgencyStatus(rawValue: form["state"] ?? "") else {
                throw StaffError(.invalidInput, "choose a status")
            }
            event = try node.act(.status(StatusBody(state: state, note: try publicNote())), on: issue, now: now)
        case "partner-note":
            try call.require(.partnerNote, on: facts, subject: issue.hex)
            let chosen = try (form.allValues["to"] ?? []).map { value throws -> NodeID in
                guard let id = NodeID(value), id != node.id else {
                    throw StaffError(.invalidInput, "\(value) is not a partner body")
                }
                return id
            }
            guard !chosen.isEmpty else {
                throw StaffError(.invalidInput, "choose at least one body to send the note to")
            }
            let note = try text("text", required: true, label: "The note") ?? ""
            event = try node.act(.comment(TextBody(text: note)), on: issue, audience: .partners(chosen), now: now)
        case "assign":
            try call.require(.answer, on: facts, subject: issue.hex)
            let login = form["login"] ?? ""
            let target = login == "me" ? call.actor : login.isEmpty ? nil : login
            if let target { try checkAssignee(target, on: facts) }
            try assign(issue, to: target, call: call)
            return .seeOther("/staff/cases/\(issue.hex)?done=assign")
        case "priority":
            try call.require(.setStatus, on: facts, subject: issue.hex)
            guard let priority = CasePriority(rawValue: form["priority"] ?? "") else {
                throw StaffError(.invalidInput, "choose a priority")
            }
            try node.staffRecords.setPriority(issue: issue.hex, priority: priority, by: call.actor, at: call.now)
            try call.record("priority", subject: issue.hex, detail: priority.rawValue)
            return .seeOther("/staff/cases/\(issue.hex)?done=priority")
        case "mark", "unmark":
            guard let marker = CaseMarker(rawValue: form["marker"] ?? "") else {
                throw StaffError(.invalidInput, "choose a marker")
            }
            try call.require(marker.permission, on: facts, subject: issue.hex)
            if action == "mark" {
                try node.staffRecords.setMarker(issue: issue.hex, marker: marker.rawValue, by: call.actor, at: call.now)
            } else {
                try node.staffRecords.clearMarker(issue: issue.hex, marker: marker.rawValue)
            }
            try call.record(action, subject: issue.hex, detail: marker.rawValue)
            return .seeOther("/staff/cases/\(issue.hex)?done=\(action)")
        case "note":
            try call.require(.internalNote, on: facts, subject: issue.hex)
            let note = try text("text", required: true, label: "The note") ?? ""
            guard note.unicodeScalars.count <= 8000 else {
                throw StaffError(.invalidInput, "a note is at most 8,000 characters")
            }
            try call.record("internal-note", subject: issue.hex, detail: "\(note.count) characters")
            try node.staffRecords.addCaseNote(issue: issue.hex, author: call.actor, text: note, at: call.now)
            return .seeOther("/staff/cases/\(issue.hex)?done=note")
        case "contact":
            try call.require(.viewContact, on: facts, subject: issue.hex)
            guard StaffDesk.isRecent(call.session, now: call.now) else {
                throw StaffError(
                    .forbidden,
                    "Seeing a resident's contact details needs your password and code given in the last 10 minutes: sign out and sign in again."
                )
            }
            let contact = try shownContact(issue, names: call.site.names)
            try call.record("view-contact", subject: issue.hex, detail: contact == nil ? "none held" : "shown")
            return .html(try casePage(call, issue, contact: contact, notice: nil).render(), shared: false)
        default:
            throw StaffError(.notFound, "there is no action \(action) on a case")
        }
        try call.record(action, subject: issue.hex, event: event.id.hex)
        await cache.clear()
        return .seeOther("/staff/cases/\(issue.hex)?done=\(action)")
    }
}
