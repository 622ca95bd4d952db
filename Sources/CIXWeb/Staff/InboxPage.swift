import CIXCore
import CIXStaff
import CIXStore

/// The inbox: what was routed to this body and waits for an answer, then
/// what it accepted and is still working on, each with counts and age;
/// filtered by category, area, age and who works it, within the person's
/// grants; bulk accept and assign.
package struct InboxPage: Sendable {
    package struct Section: Sendable {
        package let issues: [IssueSummary]
        /// Every match, though the list shows at most a page.
        package let total: Int

        package init(issues: [IssueSummary], total: Int) {
            self.issues = issues
            self.total = total
        }
    }

    package let layout: StaffLayout
    package let awaiting: Section
    package let inProgress: Section
    /// Categories the person may filter by (their scope, or every category the node serves).
    package let categories: [String]
    package let selected: String?
    /// The named areas the person may filter by (none when the node names no areas).
    package let areas: [String]
    package let selectedArea: String?
    /// The age filter: reported more than this many days ago (7, 28 or 91), or nil.
    package let olderThan: Int?
    /// What the person's grants cover, if limited (one scope per limited grant).
    package let scopes: [CaseScope]?
    /// The named areas each listed case lies in (by issue id), where any.
    package let places: [String: [String]]
    package let canAnswer: Bool
    package let notice: String?
    package let now: Int64
    /// Who works each listed case (login by issue id).
    package let assignments: [String: String]
    /// The markers' labels on each listed case that has any (by issue id).
    package let markers: [String: [String]]
    /// When each listed case is due (Unix seconds), where its category has a target.
    package let due: [String: Int64]
    /// The assignment filter: "me", "team", "nobody", or nil for everyone's.
    package let assigned: String?
    /// Whether the person is in a team (else "my team" is not offered).
    package let inTeam: Bool
    /// The status filter (one of the open statuses), if any.
    package let status: AgencyStatus?
    /// The priority filter, if any.
    package let priority: CasePriority?
    /// The listed cases' priorities other than normal (by issue id).
    package let priorities: [String: CasePriority]
    /// Who may be given cases, for assigning several at once (logins).
    package let colleagues: [String]

    package init(
        layout: StaffLayout,
        awaiting: Section,
        inProgress: Section,
        categories: [String],
        selected: String?,
        areas: [String] = [],
        selectedArea: String? = nil,
        olderThan: Int? = nil,
        scopes: [CaseScope]?,
        places: [String: [String]] = [:],
        canAnswer: Bool,
        notice: String?,
        now: Int64,
        assignments: [String: String] = [:],
        markers: [String: [String]] = [:],
        due: [String: Int64] = [:],
        assigned: String? = nil,
        inTeam: Bool = false,
        status: AgencyStatus? = nil,
        priority: CasePriority? = nil,
        priorities: [String: CasePriority] = [:],
        colleagues: [String] = []
    ) {
        self.inTeam = inTeam
        self.status = status
        self.priority = priority
        self.priorities = priorities
        self.layout = layout
        self.awaiting = awaiting
        self.inProgress = inProgress
        self.categories = categories
        self.selected = selected
        self.areas = areas
        self.selectedArea = selectedArea
        self.olderThan = olderThan
        self.scopes = scopes
        self.places = places
        self.canAnswer = canAnswer
        self.notice = notice
        self.now = now
        self.assignments = assignments
        self.markers = markers
        self.due = due
        self.assigned = assigned
        self.colleagues = colleagues
    }

    package func render() -> HTML {
        let options = categories.map { code -> HTML in
            "<option value=\"\(code)\"\(code == selected ? " selected" : "")>\(Site.categoryName(code))</option>"
        }
        let scopeNote: HTML =
            scopes.map { "<p class=\"meta\">Your roles cover: \(Self.describe($0)).</p>" } ?? ""
        let areaOptions = areas.map { name -> HTML in
            "<option value=\"\(name)\"\(name == selectedArea ? " selected" : "")>\(name)</option>"
        }
        let areaFilter: HTML =
            areas.isEmpty
            ? ""
            : """
            <div><label for="area">Area</label>
            <select id="area" name="area"><option value="">Every area I may see</option>\(areaOptions)</select></div>
            """
        let bulk: HTML =
            canAnswer && !awaiting.issues.isEmpty
            ? "<button type=\"submit\" form=\"bulk-accept\">Accept the selected reports</button>" : ""
        let people = HTML.join(colleagues.map { login -> HTML in "<option value=\"\(login)\">\(login)</option>" })
        let assign: HTML =
            canAnswer && !(awaiting.issues.isEmpty && inProgress.issues.isEmpty)
            ? """
            <div class="bulk-assign"><label for="bulk-login">Give the selected reports to</label>
            <select id="bulk-login" name="login" form="bulk-accept"><option value="">Nobody</option><option value="me">Me</option>\(people)</select>
            <button type="submit" form="bulk-accept" formaction="/staff/inbox/assign">Assign the selected reports</button></div>
            """ : ""
        return layout.page(
            title: "Inbox",
            current: "/staff",
            main: """
                <h1>Inbox</h1>
                \(notice.map { "<p class=\"notice\" role=\"status\">\($0)</p>" as HTML })
                \(scopeNote)
                <form class="filters" method="get" action="/staff">
                <div><label for="category">Category</label>
                <select id="category" name="category"><option value="">Every category I may see</option>\(options)</select></div>
                \(areaFilter)
                <div><label for="older">Reported</label>
                <select id="older" name="older">\(ageOptions)</select></div>
                <div><label for="assigned">Worked by</label>
                <select id="assigned" name="assigned">\(assignedOptions)</select></div>
                <div><label for="status">Our status</label>
                <select id="status" name="status">\(statusOptions)</select></div>
                <div><label for="priority">Priority</label>
                <select id="priority" name="priority">\(priorityOptions)</select></div>
                <div><button type="submit">Filter</button></div>
                </form>
                <section aria-labelledby="awaiting-heading">
                <h2 id="awaiting-heading">Waiting for our answer (\(awaiting.total))</h2>
                <p>Routed to us and not yet accepted or declined, or taken here and not yet routed to anyone; oldest first.</p>
                <form id="bulk-accept" method="post" action="/staff/inbox/accept">\(layout.token)</form>
                \(list(awaiting, selectable: canAnswer, empty: "Nothing is waiting for an answer."))
                \(bulk)
                </section>
                <section aria-labelledby="progress-heading">
                <h2 id="progress-heading">Accepted and still open (\(inProgress.total))</h2>
                \(list(inProgress, selectable: canAnswer, empty: "No accepted report is still open."))
                </section>
                \(assign)
                """
        )
    }

    /// Ages one may filter by: reported more than this many days ago.
    package static let ages: [(days: Int, label: String)] = [
        (7, "More than a week ago"), (28, "More than four weeks ago"), (91, "More than three months ago"),
    ]

    var ageOptions: HTML {
        let any: HTML = "<option value=\"\">Any time</option>"
        return HTML.join(
            [any]
                + Self.ages.map { days, label in
                    "<option value=\"\(days)\"\(olderThan == days ? " selected" : "")>\(label)</option>"
                }
        )
    }

    /// "Pothole in North Ward; Street lighting": each limited grant's reach.
    static func describe(_ scopes: [CaseScope]) -> String {
        guard !scopes.isEmpty else { return "nothing" }
        return scopes.map { scope in
            let what = scope.categories.map { $0.map(Site.categoryName).joined(separator: ", ") } ?? "Every category"
            return scope.areas.map { "\(what) in \($0.joined(separator: ", "))" } ?? what
        }.joined(separator: "; ")
    }

    var assignedOptions: HTML {
        let choices =
            [("", "Anyone or nobody"), ("me", "Me")] + (inTeam ? [("team", "My team")] : []) + [
                ("nobody", "Nobody yet")
            ]
        return HTML.join(
            choices.map { value, label in
                "<option value=\"\(value)\"\((assigned ?? "") == value ? " selected" : "")>\(label)</option>"
            }
        )
    }

    var statusOptions: HTML {
        let any: HTML = "<option value=\"\">Any open status</option>"
        return HTML.join(
            [any]
                + AgencyStatus.allCases.filter { !$0.isTerminal }.map { choice in
                    "<option value=\"\(choice.rawValue)\"\(status == choice ? " selected" : "")>\(Site.statusName(choice.rawValue))</option>"
                }
        )
    }

    var priorityOptions: HTML {
        let any: HTML = "<option value=\"\">Any priority</option>"
        return HTML.join(
            [any]
                + CasePriority.allCases.map { level in
                    "<option value=\"\(level.rawValue)\"\(priority == level ? " selected" : "")>\(level.label)</option>"
                }
        )
    }

    /// " · North Ward", or nothing outside every named area.
    func placeText(_ issue: String) -> HTML {
        guard let names = places[issue], !names.isEmpty else { return .empty }
        return " · \(names.joined(separator: ", "))"
    }

    /// "due in 3 days", "overdue by 2 days", or nothing without a target.
    func dueText(_ issue: String) -> HTML {
        guard let due = due[issue] else { return .empty }
        let days = (due - now) / 86_400
        if due < now {
            let late = max(1, (now - due) / 86_400)
            return " · <strong class=\"overdue\">overdue by \(late == 1 ? "1 day" : "\(Int(late)) days")</strong>"
        }
        return " · due \(days == 0 ? "today" : days == 1 ? "tomorrow" : "in \(Int(days)) days")"
    }

    func list(_ section: Section, selectable: Bool, empty: String) -> HTML {
        guard !section.issues.isEmpty else { return "<p class=\"empty\">\(empty)</p>" }
        let items = section.issues.map { issue -> HTML in
            let days = max(0, (now - issue.reportedAt) / 86_400)
            let age = days == 0 ? "today" : days == 1 ? "1 day ago" : "\(days) days ago"
            let box: HTML =
                selectable
                ? "<input type=\"checkbox\" name=\"issue\" value=\"\(issue.id)\" form=\"bulk-accept\" id=\"pick-\(issue.id)\" aria-label=\"Select “\(issue.title ?? "report removed")”\">"
                : ""
            let marks: HTML =
                markers[issue.id].map { " · <strong class=\"marker\">\($0.joined(separator: ", "))</strong>" } ?? ""
            let level: HTML =
                priorities[issue.id].map {
                    " · <strong class=\"priority-\($0.rawValue)\">\($0.label) priority</strong>"
                }
                ?? ""
            return """
                <li class="case">\(box)<h3><a href="/staff/cases/\(issue.id)">\(issue.title ?? "Report removed")</a></h3>
                <p class="meta"><span class="status status-\(issue.status)">\(Site.statusName(issue.status))</span> \(Site.categoryName(issue.category)) · reported \(age)\(placeText(issue.id))\(dueText(issue.id)) · \(assignments[issue.id].map { "worked by \($0)" } ?? "nobody assigned")\(level)\(marks)</p></li>
                """
        }
        let more: HTML =
            section.total > section.issues.count
            ? "<p class=\"meta\">Showing the oldest \(section.issues.count) of \(section.total).</p>" : ""
        return "<ul class=\"cases\">\(items)</ul>\(more)"
    }
}
