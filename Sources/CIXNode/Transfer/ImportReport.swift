import CIXCore

/// What `cix import` did with each line.
package struct ImportReport: Sendable {
    /// One refused line and why.
    package struct Rejection: Sendable {
        package let line: Int
        package let reason: String
    }

    package var accepted = 0
    package var duplicates = 0
    /// Stored but waiting for parents that the file did not contain.
    package var pending = 0
    /// Node descriptors and key statements taken.
    package var records = 0
    package var rejected: [Rejection] = []
    package var lines = 0
    /// The verdict on every event line, by line number.
    package var verdicts: [Verdict] = []

    /// The line counts, for people.
    package var summary: String {
        "\(accepted) accepted, \(duplicates) duplicate, \(pending) waiting for parents, \(rejected.count) rejected, \(records) node records"
    }
}
