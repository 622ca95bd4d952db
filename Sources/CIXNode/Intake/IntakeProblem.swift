import CIXCore

/// One thing wrong with a submission, said to the person who sent it: which
/// field, and what to do about it.
package struct IntakeProblem: Sendable, Equatable, CustomStringConvertible {
    /// The submission's field name (title, description, category, lat, lon, email, photo, …).
    package let field: String
    /// What is wrong, with its values, so that a page can say it in the reader's language.
    package let reason: Reason
    /// What is wrong, in English (the CLI, Open311 and the fallback of every page).
    package let message: String

    /// What can be wrong with a submission. `subject` names the text concerned: title,
    /// description, address, name, email, phone, comment, solution, note, offer, when, by, text.
    package enum Reason: Sendable, Equatable {
        case missing(subject: String)
        case tooLong(subject: String, max: Int)
        case controlCharacters(subject: String)
        case noCategory, notAnEmail, emailForUpdates, contactForSharing, badTags, noPlace, badAccuracy
        case tooManyPhotos(Int)
        /// The photo could not be read or re-encoded; the detail is technical English.
        case badPhoto(String)
        case personalData(subject: String, kind: ScreeningFinding.Kind, text: String)
        case masked(subject: String, kind: ScreeningFinding.Kind)
        case alreadyConfirmed, alreadyConfirmedByEmail
        case noSuchArea, tooManyFollows
    }

    package init(field: String, reason: Reason, message: String) {
        self.field = field
        self.reason = reason
        self.message = message
    }

    /// Found by screening: the person may edit, or send again to have it masked.
    package var isScreening: Bool {
        switch reason {
        case .personalData, .masked: true
        default: false
        }
    }

    package var description: String { message }

    /// An e-mail address that could not be mailed.
    package static let notAnEmail = IntakeProblem(
        field: "email",
        reason: .notAnEmail,
        message: "Your email does not look like an email address."
    )

    /// A second confirmation of one issue from one browser.
    package static let alreadyConfirmed = IntakeProblem(
        field: "confirm",
        reason: .alreadyConfirmed,
        message:
            "You have already confirmed this issue from this browser. Thank you: one confirmation per person keeps the count honest."
    )

    /// A second confirmation of one issue with one e-mail address.
    package static let alreadyConfirmedByEmail = IntakeProblem(
        field: "confirm",
        reason: .alreadyConfirmedByEmail,
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
