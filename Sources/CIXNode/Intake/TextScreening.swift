/// A check of free text before anything is signed: where personal data
/// (phone numbers, e-mail addresses, …) is found and kept from publication.
/// Every intake runs the node's screening exactly once per submission.
package protocol TextScreening: Sendable {
    /// The problems found in these fields (name, text), for the person to correct.
    func screen(_ fields: [(name: String, text: String)]) -> [IntakeProblem]
}

/// Screening that finds nothing.
package struct NoScreening: TextScreening {
    package init() {}
    package func screen(_ fields: [(name: String, text: String)]) -> [IntakeProblem] { [] }
}
