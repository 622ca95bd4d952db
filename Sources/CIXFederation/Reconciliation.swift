import CIXCanonicalJSON
import CIXCore
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

    /// The fingerprint of ids fed in ascending order: the first 16 bytes, in hex, of the SHA-256 of
    /// their 32-byte values concatenated, computed as they come.
    struct Fingerprint {
        private var hash = SHA256()
        private(set) var count = 0

        mutating func add(_ id: String) {
            hash.update(data: Hex.decode(id) ?? [])
            count += 1
        }

        var value: String { Hex.encode(hash.finalize().prefix(16)) }
    }

    /// The fingerprint of `ids` (ascending).
    package static func fingerprint(_ ids: ArraySlice<String>) -> String {
        var print = Fingerprint()
        for id in ids { print.add(id) }
        return print.value
    }

    /// The summaries of consecutive ranges (each one's upper bound the next one's lower, ascending),
    /// from one pass over the ids they cover.
    package static func summaries<IDs: ReconcilableSet>(
        of ranges: [Range],
        in set: IDs
    ) throws(IDs.Failure) -> [Summary] {
        guard let first = ranges.first, let last = ranges.last else { return [] }
        var prints = Array(repeating: Fingerprint(), count: ranges.count)
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
    package static func answer(_ asked: [Summary], holding sorted: [String]) -> [Answer] {
        answer(asked, in: SortedIDs(sorted))
    }

    /// The answerer's side: each asked range against the ids of `set`, one pass over each range.
    package static func answer<IDs: ReconcilableSet>(
        _ asked: [Summary],
        in set: IDs
    ) throws(IDs.Failure) -> [Answer] {
        var answers: [Answer] = []
        for summary in asked { answers.append(try answer(summary, in: set)) }
        return answers
    }

    static func answer<IDs: ReconcilableSet>(_ summary: Summary, in set: IDs) throws(IDs.Failure) -> Answer {
        // One pass gives the whole range's fingerprint, its ids if they are few, and otherwise the
        // parts: bound k (1 to 15) is the id at index n·k/16, which starts part k.
        var count = 0
        var whole = Fingerprint()
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
                    if prints.isEmpty { prints = Array(repeating: Fingerprint(), count: parts) }
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
}

extension Reconciliation {
    /// Ids held in memory, ascending: the vectors' and the tests' sets.
    package struct SortedIDs: ReconcilableSet {
        package typealias Failure = Never
        let sorted: [String]

        package init(_ sorted: [String]) { self.sorted = sorted }

        package func visit(_ range: Range, counted: (Int) -> Void, each visit: (String) -> Void) {
            let start = range.lower.map { bound in firstIndex { $0 >= bound } } ?? 0
            let end = range.upper.map { bound in firstIndex { $0 >= bound } } ?? sorted.count
            counted(max(0, end - start))
            for id in sorted[start..<max(start, end)] { visit(id) }
        }

        /// The first index whose id satisfies `isAtOrAfter` (which holds from some index on), by binary search.
        private func firstIndex(where isAtOrAfter: (String) -> Bool) -> Int {
            var low = 0
            var high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if isAtOrAfter(sorted[middle]) { high = middle } else { low = middle + 1 }
            }
            return low
        }
    }

    /// The asker's side, without the network: which ranges to ask about next, and what the
    /// answers show. Breadth-first: every open range is asked before any of its parts.
    package struct Asker<IDs: ReconcilableSet>: Sendable {
        let mine: IDs
        private var open: [Summary]
        /// Ids the answerer holds and the asker lacks, and the other way round, as found so far.
        package private(set) var missingHere: [String] = []
        package private(set) var missingThere: [String] = []

        /// Starts with the whole range of the asker's ids.
        package init(holding set: IDs) throws(IDs.Failure) {
            mine = set
            open = try Reconciliation.summaries(of: [.all], in: set)
        }

        package var openRanges: Int { open.count }

        /// The next request (at most `maxRanges` ranges, ascending), or nil when everything is settled.
        package mutating func nextRequest() -> [Summary]? {
            guard !open.isEmpty else { return nil }
            let asked = Array(open.prefix(maxRanges)).sorted { ($0.range.lower ?? "") < ($1.range.lower ?? "") }
            open.removeFirst(asked.count)
            return asked
        }

        /// Takes the answers to a request: lists settle a range, parts that differ stay open.
        package mutating func take(_ answers: [Answer]) throws(IDs.Failure) {
            for answer in answers {
                switch answer {
                case .same: break
                case .ids(let range, let theirs):
                    var ours: [String] = []
                    try mine.visit(range, counted: { ours.reserveCapacity($0) }, each: { ours.append($0) })
                    let theirSet = Set(theirs)
                    let ourSet = Set(ours)
                    missingHere += theirs.filter { !ourSet.contains($0) }
                    missingThere += ours.filter { !theirSet.contains($0) }
                case .split(_, let parts):
                    let ours = try Reconciliation.summaries(of: parts.map(\.range), in: mine)
                    for (mine, theirs) in zip(ours, parts) where mine != theirs { open.append(mine) }
                }
            }
        }
    }
}

extension Reconciliation.Asker where IDs == Reconciliation.SortedIDs {
    /// Starts with the whole range of `sorted` (the asker's ids, ascending).
    package init(holding sorted: [String]) {
        self.init(holding: Reconciliation.SortedIDs(sorted))
    }
}

extension Reconciliation {
    /// Why a reconciliation message was refused.
    package struct BadMessage: Error, Sendable, CustomStringConvertible {
        package let description: String
        init(_ description: String) { self.description = description }
    }

    static func json(_ range: Range) -> JSONObject {
        JSONObject([
            "lower": range.lower.map { .string($0) } ?? .null, "upper": range.upper.map { .string($0) } ?? .null,
        ])
    }

    static func json(_ summary: Summary) -> JSONValue {
        var object = json(summary.range)
        object["fingerprint"] = .string(summary.fingerprint)
        object["count"] = .number(Double(summary.count))
        return .object(object)
    }

    /// `{"ranges":[{"lower","upper","fingerprint","count"}, …]}`.
    package static func request(_ summaries: [Summary]) -> JSONValue {
        .object(JSONObject(["ranges": .array(summaries.map(json))]))
    }

    /// `{"answers":[{"lower","upper","result":"same"|"ids"|"split", "ids"|"parts"}, …]}`.
    package static func response(_ answers: [Answer]) -> JSONValue {
        let items = answers.map { answer -> JSONValue in
            switch answer {
            case .same(let range):
                var object = json(range)
                object["result"] = "same"
                return .object(object)
            case .ids(let range, let ids):
                var object = json(range)
                object["result"] = "ids"
                object["ids"] = .array(ids.map { .string($0) })
                return .object(object)
            case .split(let range, let parts):
                var object = json(range)
                object["result"] = "split"
                object["parts"] = .array(parts.map(json))
                return .object(object)
            }
        }
        return .object(JSONObject(["answers": .array(items)]))
    }

    static func id(_ value: JSONValue?, _ name: String) throws(BadMessage) -> String? {
        switch value {
        case .null?: return nil
        case .string(let text)?
        where text.count == 64 && Hex.decode(text, count: 32) != nil && text == text.lowercased():
            return text
        default: throw BadMessage("\(name) must be null or an event id (64 lower-case hex digits)")
        }
    }

    static func range(_ object: JSONObject) throws(BadMessage) -> Range {
        Range(lower: try id(object["lower"], "lower"), upper: try id(object["upper"], "upper"))
    }

    /// The largest count a message may carry (JSON's largest exact whole number).
    static let maxCount = 9_007_199_254_740_991.0

    static func summary(_ value: JSONValue) throws(BadMessage) -> Summary {
        guard let object = value.objectValue, Set(object.names) == ["lower", "upper", "fingerprint", "count"],
            let fingerprint = object["fingerprint"]?.stringValue,
            fingerprint.count == 32, Hex.decode(fingerprint, count: 16) != nil, fingerprint == fingerprint.lowercased(),
            let count = object["count"]?.numberValue, count >= 0, count <= maxCount, count == count.rounded()
        else {
            throw BadMessage(
                "each range has exactly lower, upper, fingerprint (32 lower-case hex digits) and count (a whole number)"
            )
        }
        return Summary(range: try range(object), fingerprint: fingerprint, count: Int(count))
    }

    /// Reads a request: 1 to `maxRanges` ranges, each answered on its own (a range whose lower
    /// bound is not below its upper one holds no id).
    package static func parseRequest(_ bytes: [UInt8]) throws(BadMessage) -> [Summary] {
        guard bytes.count <= maxRequestBytes else { throw BadMessage("a request is at most \(maxRequestBytes) bytes") }
        guard let root = try? JSONParser(limits: .init(maxDepth: 4, maxBytes: maxRequestBytes)).parse(bytes),
            let object = root.objectValue, object.names == ["ranges"], let ranges = object["ranges"]?.arrayValue
        else { throw BadMessage("the body must be JSON: {\"ranges\": [...]} and nothing else") }
        guard (1...maxRanges).contains(ranges.count) else {
            throw BadMessage("a request carries 1 to \(maxRanges) ranges")
        }
        var summaries: [Summary] = []
        for value in ranges { summaries.append(try summary(value)) }
        return summaries
    }

    /// Reads an answer to `asked`: one per range, the same range, and parts that cover it exactly.
    package static func parseResponse(_ bytes: [UInt8], asked: [Summary]) throws(BadMessage) -> [Answer] {
        guard let root = try? JSONParser(limits: .init(maxDepth: 6, maxBytes: 8 << 20)).parse(bytes),
            let items = root.objectValue?["answers"]?.arrayValue, items.count == asked.count
        else { throw BadMessage("the answer is not {\"answers\": [...]} with one answer per range") }
        var answers: [Answer] = []
        for (item, summary) in zip(items, asked) {
            guard let object = item.objectValue, try range(object) == summary.range else {
                throw BadMessage("an answer names a range that was not asked for")
            }
            switch object["result"]?.stringValue {
            case "same": answers.append(.same(summary.range))
            case "ids":
                guard let values = object["ids"]?.arrayValue, values.count <= listUpTo else {
                    throw BadMessage("an ids answer lists at most \(listUpTo) ids")
                }
                var ids: [String] = []
                for value in values { if let id = try id(value, "ids") { ids.append(id) } }
                answers.append(.ids(summary.range, ids))
            case "split":
                guard let values = object["parts"]?.arrayValue, values.count == parts else {
                    throw BadMessage("a split answer has \(parts) parts")
                }
                var summaries: [Summary] = []
                for value in values { summaries.append(try self.summary(value)) }
                let covers =
                    summaries.first?.range.lower == summary.range.lower
                    && summaries.last?.range.upper == summary.range.upper
                    && zip(summaries, summaries.dropFirst()).allSatisfy { $0.range.upper == $1.range.lower }
                // Bounds are the answerer's ids, so they ascend strictly inside the range.
                let inner = summaries.dropFirst().compactMap(\.range.lower)
                let ascending =
                    inner.count == parts - 1 && zip(inner, inner.dropFirst()).allSatisfy { $0 < $1 }
                    && summary.range.lower.map { $0 < inner[0] } ?? true
                    && summary.range.upper.map { inner[inner.count - 1] < $0 } ?? true
                guard covers, ascending else {
                    throw BadMessage("a split answer's parts must cover its range exactly, in ascending order")
                }
                answers.append(.split(summary.range, summaries))
            default: throw BadMessage("an answer's result is same, ids or split")
            }
        }
        return answers
    }
}
