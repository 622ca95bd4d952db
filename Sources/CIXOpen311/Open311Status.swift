import CIXCore

/// Statuses between Open311 (with mySociety's extended statuses, as FixMyStreet uses them) and CIX.
package enum Open311Status {
    /// The extended statuses FixMyStreet sends and understands.
    package static let extended = [
        "OPEN", "INVESTIGATING", "IN_PROGRESS", "ACTION_SCHEDULED", "FIXED", "DUPLICATE", "NOT_COUNCILS_RESPONSIBILITY",
        "NO_FURTHER_ACTION", "INTERNAL_REFERRAL", "FOR_TRIAGE", "CLOSED", "CANCELLED", "REOPEN",
    ]

    /// What a posted update does on CIX: the agency's own status, or a decline.
    package enum Action: Sendable, Equatable {
        case status(AgencyStatus)
        case decline
    }

    package static func action(for status: String) -> Action? {
        switch status.uppercased() {
        case "OPEN", "FOR_TRIAGE", "REOPEN": .status(.acknowledged)
        case "INVESTIGATING", "INTERNAL_REFERRAL": .status(.investigating)
        case "IN_PROGRESS": .status(.inProgress)
        case "ACTION_SCHEDULED": .status(.scheduled)
        case "FIXED": .status(.fixed)
        case "DUPLICATE", "CLOSED": .status(.closed)
        case "NOT_COUNCILS_RESPONSIBILITY": .decline
        case "NO_FURTHER_ACTION", "CANCELLED": .status(.wontFix)
        default: nil
        }
    }

    /// The extended status for an agency's CIX status, among the states a default FixMyStreet has
    /// (it has no FOR_TRIAGE, so an acknowledgement reads as OPEN).
    package static func extended(_ status: AgencyStatus) -> String {
        switch status {
        case .received: "OPEN"
        case .acknowledged: "OPEN"
        case .investigating: "INVESTIGATING"
        case .scheduled: "ACTION_SCHEDULED"
        case .inProgress: "IN_PROGRESS"
        case .fixed: "FIXED"
        case .notOurs: "NOT_COUNCILS_RESPONSIBILITY"
        case .wontFix: "NO_FURTHER_ACTION"
        case .closed: "CLOSED"
        }
    }

    /// The extended status for a report as a whole.
    package static func extended(_ overall: OverallStatus) -> String {
        switch overall {
        case .open: "OPEN"
        case .acknowledged: "INVESTIGATING"
        case .inProgress: "IN_PROGRESS"
        case .fixed: "FIXED"
        case .closed: "CLOSED"
        case .declined: "NOT_COUNCILS_RESPONSIBILITY"
        case .duplicate: "DUPLICATE"
        }
    }

    /// GeoReport v2's own two statuses, from the overall status.
    package static func openOrClosed(_ overall: OverallStatus) -> String {
        overall.isOpen ? "open" : "closed"
    }
}
