import CIXCanonicalJSON
import CIXCore

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

    /// `{"ranges":[{"lower","upper","fingerprint","count"}, …]}`, with `"scheme":"sum"` for that scheme
    /// (a request without the member is `sha256`, as every request was before `sum`) and `"authors"`
    /// when the set is only the events of those nodes.
    package static func request(
        _ summaries: [Summary],
        scheme: Scheme = .sha256,
        authors: [NodeID]? = nil
    ) -> JSONValue {
        var object = JSONObject(["ranges": .array(summaries.map(json))])
        if scheme != .sha256 { object["scheme"] = .string(scheme.rawValue) }
        if let authors { object["authors"] = .array(authors.map(\.hex).sorted().map { .string($0) }) }
        return .object(object)
    }

    /// A request as read: its scheme, the authors it narrows the set to (nil: every event), and its
    /// ranges with the asker's summaries.
    package struct Request: Sendable, Equatable {
        package let scheme: Scheme
        package let authors: [NodeID]?
        package let ranges: [Summary]
    }

    /// The most authors a request may narrow its set to.
    package static let maxAuthors = 64

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

    /// Reads a request: its scheme, and 1 to `maxRanges` ranges, each answered on its own (a range
    /// whose lower bound is not below its upper one holds no id).
    package static func parseRequest(_ bytes: [UInt8]) throws(BadMessage) -> Request {
        guard bytes.count <= maxRequestBytes else { throw BadMessage("a request is at most \(maxRequestBytes) bytes") }
        guard let root = try? JSONParser(limits: .init(maxDepth: 4, maxBytes: maxRequestBytes)).parse(bytes),
            let object = root.objectValue, Set(object.names).isSubset(of: ["ranges", "scheme", "authors"]),
            let ranges = object["ranges"]?.arrayValue
        else {
            throw BadMessage(
                "the body must be JSON: {\"ranges\": [...]}, with \"scheme\" and \"authors\" or not, and nothing else"
            )
        }
        var scheme = Scheme.sha256
        if let named = object["scheme"] {
            guard let name = named.stringValue, let known = Scheme(rawValue: name) else {
                throw BadMessage("scheme must be \"sha256\" or \"sum\"")
            }
            scheme = known
        }
        var authors: [NodeID]?
        if let named = object["authors"] {
            let texts = (named.arrayValue ?? []).compactMap(\.stringValue)
            let nodes = texts.compactMap { $0 == $0.lowercased() ? NodeID($0) : nil }
            guard (1...maxAuthors).contains(texts.count), nodes.count == named.arrayValue?.count,
                Set(texts).count == texts.count
            else {
                throw BadMessage(
                    "authors must list 1 to \(maxAuthors) node ids (64 lower-case hex digits), none twice"
                )
            }
            authors = nodes.sorted()
        }
        guard (1...maxRanges).contains(ranges.count) else {
            throw BadMessage("a request carries 1 to \(maxRanges) ranges")
        }
        var summaries: [Summary] = []
        for value in ranges { summaries.append(try summary(value)) }
        return Request(scheme: scheme, authors: authors, ranges: summaries)
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
