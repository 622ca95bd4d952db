import CIXCore
import CIXStore

/// What this node did with one line it was given (a pushed, pulled or
/// imported event): stored, already held, waiting for parents, or refused
/// with a protocol reason code.
package struct Verdict: Sendable, Equatable {
    /// The line's number in what was received, from 1 (0 when it had no lines).
    package let line: Int
    /// The event's id, when the line decoded far enough to have one.
    package let id: EventID?
    package let result: IngestOutcome.Result

    package init(line: Int, id: EventID?, result: IngestOutcome.Result) {
        self.line = line
        self.id = id
        self.result = result
    }

    /// The stable word for the result: stored, duplicate, pending or rejected.
    package var word: String {
        switch result {
        case .stored: "stored"
        case .duplicate: "duplicate"
        case .pending: "pending"
        case .rejected: "rejected"
        }
    }

    /// The word, or for a refusal its reason code: what tables of expected verdicts compare.
    package var code: String { rejection?.code.rawValue ?? word }

    /// The reason code of a refusal.
    package var rejection: CoreError? {
        if case .rejected(let error) = result { return error }
        return nil
    }
}
