import CIXCanonicalJSON
import CIXCore

/// Range-based set reconciliation of two nodes' event ids, in the manner of
/// Negentropy (NIP-77), as `Protocol/federation.md` (Repair) specifies: the
/// asker sends the fingerprints of ranges of ids; the answerer says which
/// match, lists its ids where a range is small, and splits the others into
/// parts with fingerprints of its own, until every difference is found. The
/// answerer keeps no state between requests.
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
            let ids = Reconciliation.slice(sorted, range)
            self.init(range: range, fingerprint: Reconciliation.fingerprint(ids), count: ids.count)
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

    /// The first 16 bytes, in hex, of the SHA-256 of the ids' 32-byte values concatenated in ascending order.
    package static func fingerprint(_ ids: ArraySlice<String>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 32)
        for id in ids { bytes += Hex.decode(id) ?? [] }
        return String(SHA256Hex.hash(bytes).prefix(32))
    }

    /// The ids of `sorted` within `range`.
    package static func slice(_ sorted: [String], _ range: Range) -> ArraySlice<String> {
        let start = range.lower.map { bound in firstIndex(in: sorted) { $0 >= bound } } ?? 0
        let end = range.upper.map { bound in firstIndex(in: sorted) { $0 >= bound } } ?? sorted.count
        return sorted[start..<max(start, end)]
    }

    /// The first index whose id satisfies `isAtOrAfter` (which holds from some index on), by binary search.
    static func firstIndex(in sorted: [String], where isAtOrAfter: (String) -> Bool) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if isAtOrAfter(sorted[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The answerer's side: each asked range against the ids it holds (`sorted`, ascending).
    package static func answer(_ asked: [Summary], holding sorted: [String]) -> [Answer] {
        asked.map { summary in
            let ids = slice(sorted, summary.range)
            if ids.count == summary.count && fingerprint(ids) == summary.fingerprint { return .same(summary.range) }
            if ids.count <= listUpTo { return .ids(summary.range, Array(ids)) }
            // Bounds at the answerer's ids split the range into parts of (nearly) equal count.
            var bounds: [String?] = [summary.range.lower]
            for part in 1..<parts { bounds.append(ids[ids.startIndex + ids.count * part / parts]) }
            bounds.append(summary.range.upper)
            let summaries = (0..<parts).map { index in
                Summary(Range(lower: bounds[index], upper: bounds[index + 1]), of: sorted)
            }
            return .split(summary.range, summaries)
        }
    }
}

extension Reconciliation {
    /// The asker's side, without the network: which ranges to ask about next, and what the
    /// answers show. Breadth-first: every open range is asked before any of its parts.
    package struct Asker: Sendable {
        let mine: [String]
        private var open: [Summary]
        /// Ids the answerer holds and the asker lacks, and the other way round, as found so far.
        package private(set) var missingHere: [String] = []
        package private(set) var missingThere: [String] = []

        /// Starts with the whole range of `sorted` (the asker's ids, ascending).
        package init(holding sorted: [String]) {
            mine = sorted
            open = [Summary(.all, of: sorted)]
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
        package mutating func take(_ answers: [Answer]) {
            for answer in answers {
                switch answer {
                case .same: break
                case .ids(let range, let theirs):
                    let ours = slice(mine, range)
                    let theirSet = Set(theirs)
                    let ourSet = Set(ours)
                    missingHere += theirs.filter { !ourSet.contains($0) }
                    missingThere += ours.filter { !theirSet.contains($0) }
                case .split(_, let parts):
                    for part in parts {
                        let ours = Summary(part.range, of: mine)
                        if ours != part { open.append(ours) }
                    }
                }
            }
        }
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
                guard covers else { throw BadMessage("a split answer's parts must cover its range exactly") }
                answers.append(.split(summary.range, summaries))
            default: throw BadMessage("an answer's result is same, ids or split")
            }
        }
        return answers
    }
}
