import CIXCore

/// A body's answer on an issue (accepted, declined, passed on, a status, a
/// duplicate mark) in the words a resident reads: what Open311's update feed
/// serves as its description and what a resident's mail says.
package enum AnswerWords {
    /// The answer in a sentence, naming the bodies; nil for an event that is not a body's answer.
    package static func of(_ event: Event, name: (NodeID) -> String) -> String? {
        let agency = name(event.author)
        switch event.content {
        case .status(let body)?:
            let said = "\(agency) set its status to \(status(body.state))"
            return body.note.map { "\(said): \($0)" } ?? said + "."
        case .accept(let body)?:
            return body.note.map { "\(agency) accepted this report: \($0)" } ?? "\(agency) accepted this report."
        case .decline(let body)?:
            let referral = body.refer.map { " It referred the report to \(name($0))." } ?? ""
            return "\(agency) declined this report: \(body.reason)\(referral)"
        case .transfer(let body)?:
            return "\(agency) transferred this report to \(name(body.to)): \(body.reason)"
        case .duplicate(let body)?:
            return "\(agency) marked this report a duplicate of report \(body.of.hex)."
        default:
            return nil
        }
    }

    /// A status in lower-case words ("in progress", "will not fix").
    package static func status(_ status: AgencyStatus) -> String {
        switch status {
        case .inProgress: "in progress"
        case .notOurs: "not ours"
        case .wontFix: "will not fix"
        default: status.rawValue
        }
    }
}
