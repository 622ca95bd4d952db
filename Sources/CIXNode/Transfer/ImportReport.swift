import CIXCore

/// What `cix import` did with each line.
public struct ImportReport: Sendable {
    /// One refused line and why.
    public struct Rejection: Sendable {
        public let line: Int
        public let reason: String
    }

    public var accepted = 0
    public var duplicates = 0
    /// Stored but waiting for parents that the file did not contain.
    public var pending = 0
    /// Node descriptors and key statements taken.
    public var records = 0
    public var rejected: [Rejection] = []
    public var lines = 0
    /// The verdict on every event line, by line number.
    public var verdicts: [Verdict] = []

    /// The line counts, for people.
    public var summary: String {
        "\(accepted) accepted, \(duplicates) duplicate, \(pending) waiting for parents, \(rejected.count) rejected, \(records) node records"
    }
}
