import CIXCore
import CIXStaff
import CIXStore
import CIXWeb

/// The inbox's filters, read from its query string and checked against what the person's
/// grants reach: a category or area outside them is refused (403), a malformed value is a 400
/// that says what is accepted.
struct InboxFilters: Sendable {
    /// What the person's grants reach (nil: every case), and so which categories and areas
    /// they may choose (nil: any).
    let scopes: [CaseScope]?
    let categoryChoices: Set<String>?
    let areaChoices: Set<String>?

    var category: String?
    var area: String?
    /// Reported more than this many days ago.
    var olderThan: Int?
    /// "me", "team" or "nobody".
    var assigned: String?
    var status: AgencyStatus?
    var priority: CasePriority?

    /// `parameter` gives a query parameter's value (nil when absent or empty); `areaNames` are the
    /// node's named areas; `inTeam` says whether the person is in a team.
    init(
        _ parameter: (String) -> String?,
        scopes: [CaseScope]?,
        areaNames: [String],
        inTeam: Bool
    ) throws(StaffError) {
        self.scopes = scopes
        // A grant for every category (or area) opens every choice on that side.
        categoryChoices = scopes.flatMap { scopes in
            scopes.contains { $0.categories == nil } ? nil : Set(scopes.flatMap { $0.categories ?? [] })
        }
        areaChoices = scopes.flatMap { scopes in
            scopes.contains { $0.areas == nil } ? nil : Set(scopes.flatMap { $0.areas ?? [] })
        }
        category = parameter("category")
        if let category, categoryChoices?.contains(category) == false {
            throw StaffError(.forbidden, "Not allowed: your roles do not cover the category \(category).")
        }
        area = parameter("area")
        if let area {
            guard areaNames.contains(area) else { throw StaffError(.invalidInput, "this node names no area \(area)") }
            guard areaChoices?.contains(area) ?? true else {
                throw StaffError(.forbidden, "Not allowed: your roles do not cover the area \(area).")
            }
        }
        if let text = parameter("older") {
            guard let days = Int(text), InboxPage.ages.contains(where: { $0.days == days }) else {
                throw StaffError(.invalidInput, "older must be one of \(InboxPage.ages.map { String($0.days) })")
            }
            olderThan = days
        }
        assigned = parameter("assigned")
        guard assigned == nil || ["me", "team", "nobody"].contains(assigned) else {
            throw StaffError(.invalidInput, "assigned must be me, team or nobody")
        }
        if assigned == "team", !inTeam {
            throw StaffError(.invalidInput, "you are in no team; an administrator can put you in one")
        }
        if let text = parameter("status") {
            guard let status = AgencyStatus(rawValue: text), !status.isTerminal else {
                throw StaffError(
                    .invalidInput,
                    "status must be one of \(Self.openStatuses.map(\.rawValue).joined(separator: ", "))"
                )
            }
            self.status = status
        }
        if let text = parameter("priority") {
            guard let priority = CasePriority(rawValue: text) else {
                throw StaffError(
                    .invalidInput,
                    "priority must be one of \(CasePriority.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            self.priority = priority
        }
    }

    static let openStatuses = AgencyStatus.allCases.filter { !$0.isTerminal }

    /// The statuses a section lists: the one chosen, else every open one.
    var statuses: [String] { (status.map { [$0] } ?? Self.openStatuses).map(\.rawValue) }

    /// Narrows a section's query: `actor` is the person, `team` their team's logins (if any).
    func apply(to query: inout IssueQuery, actor: String, team: [String]?, now: Int64) {
        query.assignedTo = assigned == "me" ? [actor] : assigned == "team" ? team : nil
        query.unassigned = assigned == "nobody"
        query.priority = priority?.rawValue
        query.category = category
        query.scopes = scopes
        query.inArea = area
        query.reportedTo = olderThan.map { now - Int64($0) * 86_400 }
    }
}
