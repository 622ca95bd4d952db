import CIXCore
import CIXRouting
import CIXStore

extension LocalNode {
    /// What an edit did: the signed `issue.edit`, and the bodies the issue was newly routed to.
    package struct Edited: Sendable {
        package let event: Event
        package let routedTo: [Recipient]
    }

    /// Corrects the category or place of a report this node took (`issue.edit`:
    /// only the origin may), then routes the issue to the bodies that cover its
    /// new category and place and have no part in it yet — a pothole filed as
    /// fly-tipping reaches the highways authority without anyone re-reporting it.
    package func edit(
        _ issue: EventID,
        category: String? = nil,
        location: Location? = nil,
        now: Timestamp
    ) throws(NodeError) -> Edited {
        guard category != nil || location != nil else {
            throw NodeError(.invalidInput, "nothing to change: give a new category or place")
        }
        let event = try act(.edit(EditBody(category: category, location: location)), on: issue, now: now)
        let state: IssueState?
        do { state = try store.issueState(issue) } catch { throw NodeError(error) }
        guard let state, let report = state.report else { return Edited(event: event, routedTo: []) }
        let fresh = try router().route(
            category: report.category,
            latitude: report.latitude,
            longitude: report.longitude
        )
        .filter { state.agencies[$0.node] == nil && $0.node != id }
        guard !fresh.isEmpty else { return Edited(event: event, routedTo: []) }
        try route(issue, to: fresh, now: now)
        return Edited(event: event, routedTo: fresh)
    }
}
