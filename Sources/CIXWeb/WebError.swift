import CIXNode

/// A request the pages cannot answer, with the HTTP status to answer it with
/// and a message written for the person who sent it.
package struct WebError: Error, Sendable, CustomStringConvertible {
    package let status: Int
    package let message: String
    /// What was wrong with a resident's submission, so that the page can say it in their language.
    package let problems: [IntakeProblem]

    package init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
        problems = []
    }

    package init(_ status: Int, problems: [IntakeProblem]) {
        self.status = status
        message = problems.map(\.message).joined(separator: " ")
        self.problems = problems
    }

    package var description: String { message }
}
