import CIXCanonicalJSON
import CIXCore
import CIXStore
import Crypto

/// Range-based set reconciliation of two nodes' event ids, in the manner of
/// Negentropy (NIP-77), as `Protocol/federation.md` (Repair) specifies: the
/// asker sends the fingerprints of ranges of ids; the answerer says which
/// match, lists its ids where a range is small, and splits the others into
/// parts with fingerprints of its own, until every difference is found. The
/// answerer keeps no state between requests. Either side reads its ids a range
/// at a time (`ReconcilableSet`) in one pass per range, never its whole log at
/// once, so a node of any size answers in bounded memory.
package enum Reconciliation {
    /// Parts a differing range is split into.
    package static let parts = 16
    /// A differing range holding at most this many of the answerer's ids is answered with the ids.
    package static let listUpTo = 64
    /// Ranges one request may carry.
    package static let maxRanges = 64
    /// The longest request body.
    package static let maxRequestBytes = 64 * 1024

    /// Ids from `lower` (included; nil: the first) up to `upper` (excluded; nil: past the last), as lower-case hex.
    package struct Range: Sendable, Equatable {
        package let lower: String?
        package let upper: String?

        package init(lower: String?, upper: String?) {
            self.lower = lower
            self.upper = upper
        }

        package static let all = Range(lower: nil, upper: nil)
    }

    /// A range with the fingerprint and count of the ids one side holds in it.
    package struct Summary: Sendable, Equatable {
        package let range: Range
        package let fingerprint: String
        package let count: Int

        /// The summary of `sorted` (ascending lower-case hex ids) over `range`.
        package init(_ range: Range, of sorted: [String]) {
            self = Reconciliation.summaries(of: [range], in: SortedIDs(sorted))[0]
        }

        package init(range: Range, fingerprint: String, count: Int) {
            self.range = range
            self.fingerprint = fingerprint
            self.count = count
        }
    }

    /// The answer for one range.
    package enum Answer: Sendable, Equatable {
        case same(Range)
        /// Every id the answerer holds in the range.
        case ids(Range, [String])
        /// The range in consecutive parts, each summarised from the answerer's ids.
        case split(Range, [Summary])
    }

    /// How a range's fingerprint is made from its ids; a request names one, and its answers use it.
    package enum Scheme: String, Sendable {
        /// The first 16 bytes of the SHA-256 of the ids' 32-byte values concatenated in ascending
        /// order: the first scheme, and the default of a request that names none.
        case sha256
        /// The first 16 bytes of the SHA-256 of the ids' sum modulo 2^256 (32 bytes, big-endian)
        /// followed by their count (8 bytes, big-endian). Sums of parts add up, so a store that keeps
        /// them answers for a range without reading every id in it.
        case sum
    }

    /// The fingerprint of ids fed in ascending order, computed as they come.
    struct Fingerprint {
        let scheme: Scheme
        private var hash = SHA256()
        private var sum = IDSum()
        private(set) var count = 0

        init(_ scheme: Scheme) { self.scheme = scheme }

        mutating func add(_ id: String) {
            switch scheme {
            case .sha256: hash.update(data: Hex.decode(id) ?? [])
            case .sum: sum.add(id: id)
            }
            count += 1
        }

        var value: String {
            switch scheme {
            case .sha256: Hex.encode(hash.finalize().prefix(16))
            case .sum: Reconciliation.fingerprint(sum: sum, count: count)
            }
        }
    }

    /// The `sum` fingerprint of ids whose sum and count are known.
    package static func fingerprint(sum: IDSum, count: Int) -> String {
        let countBytes = (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(count) >> (8 * $0)) }
        return Hex.encode(SHA256.hash(data: sum.bytes + countBytes).prefix(16))
    }

    /// The fingerprint of `ids` (ascending).
    package static func fingerprint(_ ids: ArraySlice<String>, scheme: Scheme = .sha256) -> String {
        var print = Fingerprint(scheme)
        for id in ids { print.add(id) }
        return print.value
    }

    /// The summaries of consecutive ranges (each one's upper bound the next one's lower, ascending):
    /// for `sum`, from the set's kept sums when it keeps them (unless `fromKeptSums` is false: few
    /// ids, cheaper to read), else from one pass over the ids they cover.
    package static func summaries<IDs: ReconcilableSet>(
        of ranges: [Range],
        in set: IDs,
        scheme: Scheme = .sha256,
        fromKeptSums: Bool = true
    ) throws(IDs.Failure) -> [Summary] {
        guard let first = ranges.first, let last = ranges.last else { return [] }
        if scheme == .sum, fromKeptSums, let kept = try set.sums(of: ranges) {
            return zip(ranges, kept).map { range, kept in
                Summary(range: range, fingerprint: fingerprint(sum: kept.sum, count: kept.count), count: kept.count)
            }
        }
        var prints = Array(repeating: Fingerprint(scheme), count: ranges.count)
        var part = 0
        try set.visit(
            Range(lower: first.lower, upper: last.upper),
            counted: { _ in },
            each: { id in
                while part < ranges.count - 1, let upper = ranges[part].upper, id >= upper { part += 1 }
                prints[part].add(id)
            }
        )
        return zip(ranges, prints).map { Summary(range: $0, fingerprint: $1.value, count: $1.count) }
    }

    /// The answerer's side: each asked range against the ids it holds (`sorted`, ascending).
    package static func answer(_ asked: [Summary], holding sorted: [String], scheme: Scheme = .sha256) -> [Answer] {
        answer(asked, in: SortedIDs(sorted), scheme: scheme)
    }

    /// The answerer's side: each asked range against the ids of `set`, from its kept sums where it
    /// keeps them (`sum`), else one pass over each range.
    package static func answer<IDs: ReconcilableSet>(
        _ asked: [Summary],
        in set: IDs,
        scheme: Scheme = .sha256,
        passUpTo: Int = Reconciliation.passUpTo
    ) throws(IDs.Failure) -> [Answer] {
        var answers: [Answer] = []
        for summary in asked {
            // Kept sums for the whole set (the first request: always worth it) and where the asker
            // holds many ids; a small range is cheaper to read than to query by parts.
            let large = summary.range == .all || summary.count > passUpTo
            if scheme == .sum, large, let kept = try keptAnswer(summary, in: set, passUpTo: passUpTo) {
                answers.append(kept)
            } else {
                answers.append(try answer(summary, in: set, scheme: scheme))
            }
        }
        return answers
    }

    /// A range holding at most this many of the answerer's ids is split by a pass over them, not
    /// from kept sums: a pass that short costs less than the queries kept sums take. (Tests pass
    /// less, so that a few ids take the kept sums' way.)
    package static let passUpTo = 4_096

    /// The answer from the set's kept sums, without reading the range's ids: `same`, or for a large
    /// range the split, its bounds found by index (`ReconcilableSet.ids(at:in:)`). Nil where the
    /// set keeps no sums or the range is small enough for one pass.
    static func keptAnswer<IDs: ReconcilableSet>(
        _ summary: Summary,
        in set: IDs,
        passUpTo: Int
    ) throws(IDs.Failure) -> Answer? {
        guard let whole = try set.sums(of: [summary.range])?.first else { return nil }
        if whole.count == summary.count && fingerprint(sum: whole.sum, count: whole.count) == summary.fingerprint {
            return .same(summary.range)
        }
        guard whole.count > passUpTo,
            let inner = try set.ids(at: (1..<parts).map { whole.count * $0 / parts }, in: summary.range),
            inner.count == parts - 1
        else { return nil }
        let bounds = [summary.range.lower] + inner + [summary.range.upper]
        let ranges = (0..<parts).map { Range(lower: bounds[$0], upper: bounds[$0 + 1]) }
        return .split(summary.range, try summaries(of: ranges, in: set, scheme: .sum))
    }

    static func answer<IDs: ReconcilableSet>(
        _ summary: Summary,
        in set: IDs,
        scheme: Scheme
    ) throws(IDs.Failure) -> Answer {
        // One pass gives the whole range's fingerprint, its ids if they are few, and otherwise the
        // parts: bound k (1 to 15) is the id at index n·k/16, which starts part k.
        var count = 0
        var whole = Fingerprint(scheme)
        var listed: [String] = []
        var bounds: [String?] = [summary.range.lower]
        var prints: [Fingerprint] = []
        var index = 0
        try set.visit(
            summary.range,
            counted: { count = $0 },
            each: { id in
                whole.add(id)
                if count <= listUpTo {
                    listed.append(id)
                } else {
                    if prints.isEmpty { prints = Array(repeating: Fingerprint(scheme), count: parts) }
                    if bounds.count < parts, index == count * bounds.count / parts { bounds.append(id) }
                    prints[bounds.count - 1].add(id)
                }
                index += 1
            }
        )
        if whole.count == summary.count && whole.value == summary.fingerprint { return .same(summary.range) }
        if count <= listUpTo { return .ids(summary.range, listed) }
        bounds.append(summary.range.upper)
        let summaries = prints.indices.map { part in
            Summary(
                range: Range(lower: bounds[part], upper: bounds[part + 1]),
                fingerprint: prints[part].value,
                count: prints[part].count
            )
        }
        return .split(summary.range, summaries)
    }
}

/// The ids one side of a reconciliation compares (`Protocol/federation.md`, Repair: the set),
/// read a range at a time.
package protocol ReconcilableSet: Sendable {
    associatedtype Failure: Error
    /// From one consistent view of the set: `counted` gets how many ids lie in `range`, then
    /// `each` gets each of them in ascending order.
    func visit(
        _ range: Reconciliation.Range,
        counted: (Int) -> Void,
        each visit: (String) -> Void
    ) throws(Failure)

    /// The count and sum of the ids in each of `ranges` (ascending, not overlapping), from sums the
    /// set keeps, without reading every id; nil if it keeps none.
    func sums(of ranges: [Reconciliation.Range]) throws(Failure) -> [(count: Int, sum: IDSum)]?

    /// The ids at `indexes` (ascending) among the set's ids in `range` (ascending, from 0), found
    /// without reading the ids before them; nil if the set cannot.
    func ids(at indexes: [Int], in range: Reconciliation.Range) throws(Failure) -> [String]?
}

extension ReconcilableSet {
    package func sums(of ranges: [Reconciliation.Range]) throws(Failure) -> [(count: Int, sum: IDSum)]? { nil }
    package func ids(at indexes: [Int], in range: Reconciliation.Range) throws(Failure) -> [String]? { nil }
}
