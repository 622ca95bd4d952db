import CIXCanonicalJSON
import CIXCore
import CIXNode
import Foundation

/// The answer to a push, one result per line, as both ends read and write it:
///
///     {"results":[{"line":1,"id":"…","result":"stored"},
///                 {"line":2,"id":"…","result":"pending","reason":"waiting for ID,ID"},
///                 {"line":3,"result":"rejected","reason":"CODE: message"}]}
///
/// (`Protocol/federation.md`). A peer's reason codes are kept as text, so a
/// code this node does not know still reaches the operator.
package struct PushAnswer: Sendable, Equatable {
    package struct Result: Sendable, Equatable {
        package enum Outcome: Sendable, Equatable {
            case stored
            case duplicate
            case pending(missing: [EventID])
            case rejected(code: String, message: String)
        }

        package let line: Int
        package let id: EventID?
        package let outcome: Outcome

        package init(line: Int, id: EventID?, outcome: Outcome) {
            self.line = line
            self.id = id
            self.outcome = outcome
        }

        /// The stable word on the wire.
        package var word: String {
            switch outcome {
            case .stored: "stored"
            case .duplicate: "duplicate"
            case .pending: "pending"
            case .rejected: "rejected"
            }
        }
    }

    package let results: [Result]

    package init(results: [Result]) {
        self.results = results
    }

    /// The answer a receiver gives for its verdicts.
    package init(verdicts: [Verdict]) {
        results = verdicts.map { verdict in
            let outcome: Result.Outcome =
                switch verdict.result {
                case .stored: .stored
                case .duplicate: .duplicate
                case .pending(let missing): .pending(missing: missing)
                case .rejected(let error): .rejected(code: error.code.rawValue, message: error.message)
                }
            return Result(line: verdict.line, id: verdict.id, outcome: outcome)
        }
    }

    package var json: JSONObject {
        JSONObject([
            "results": .array(
                results.map { result in
                    var object = JSONObject(["line": .number(Double(result.line)), "result": .string(result.word)])
                    if let id = result.id { object["id"] = .string(id.hex) }
                    switch result.outcome {
                    case .pending(let missing):
                        object["reason"] = .string("waiting for " + missing.map(\.hex).joined(separator: ","))
                    case .rejected(let code, let message): object["reason"] = .string("\(code): \(message)")
                    case .stored, .duplicate: break
                    }
                    return .object(object)
                }
            )
        ])
    }

    /// Reads a receiver's answer; throws if it is not one.
    package init(json bytes: [UInt8]) throws(FederationError) {
        guard case .object(let object)? = try? JSONParser().parse(bytes), let items = object["results"]?.arrayValue
        else {
            throw FederationError(.badResponse, "the push answer is not {\"results\": [...]}")
        }
        var results: [Result] = []
        for item in items {
            guard let item = item.objectValue, let line = item["line"]?.numberValue,
                let word = item["result"]?.stringValue
            else { throw FederationError(.badResponse, "a push result lacks line or result") }
            let reason = item["reason"]?.stringValue ?? ""
            let outcome: Result.Outcome
            switch word {
            case "stored": outcome = .stored
            case "duplicate": outcome = .duplicate
            case "pending":
                let list = reason.hasPrefix("waiting for ") ? reason.dropFirst("waiting for ".count) : ""
                outcome = .pending(missing: list.split(separator: ",").compactMap { EventID(String($0)) })
            case "rejected":
                let parts = reason.split(separator: ":", maxSplits: 1)
                outcome = .rejected(
                    code: parts.first.map(String.init) ?? "",
                    message: parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
                )
            default: throw FederationError(.badResponse, "unknown push result \"\(word.prefix(40))\"")
            }
            results.append(Result(line: Int(line), id: item["id"]?.stringValue.flatMap(EventID.init), outcome: outcome))
        }
        self.results = results
    }
}
