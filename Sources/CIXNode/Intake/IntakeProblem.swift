import CIXCore

/// One thing wrong with a submission, said to the person who sent it: which
/// field, and what to do about it.
package struct IntakeProblem: Sendable, Equatable, CustomStringConvertible {
    /// The submission's field name (title, description, category, lat, lon, email, photo, …).
    package let field: String
    package let message: String
    /// Found by screening: the person may edit, or send again to have it masked.
    package let isScreening: Bool

    package init(field: String, message: String, isScreening: Bool = false) {
        self.field = field
        self.message = message
        self.isScreening = isScreening
    }

    package var description: String { message }

    /// A second confirmation of one issue from one browser.
    package static let alreadyConfirmed = IntakeProblem(
        field: "confirm",
        message:
            "You have already confirmed this issue from this browser. Thank you: one confirmation per person keeps the count honest."
    )

    /// A second confirmation of one issue with one e-mail address.
    package static let alreadyConfirmedByEmail = IntakeProblem(
        field: "confirm",
        message:
            "This issue has already been confirmed with that email address. Thank you: one confirmation per person keeps the count honest."
    )
}

/// Why a submission was not taken: what was wrong with it (nothing was
/// stored), or that the node could not take it.
package enum IntakeError: Error, Sendable, CustomStringConvertible {
    case invalid([IntakeProblem])
    case failed(NodeError)

    package var description: String {
        switch self {
        case .invalid(let problems): problems.map(\.message).joined(separator: " ")
        case .failed(let error): error.message
        }
    }

    /// The node's failure, when it was not the submission's fault.
    package var nodeError: NodeError? {
        if case .failed(let error) = self { return error }
        return nil
    }
}
