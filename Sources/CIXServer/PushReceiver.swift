import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXStore

/// Verifies a pushed batch line by line and stores what is valid, answering per event.
struct PushReceiver: Sendable {
    let node: LocalNode
    let metrics: NodeMetrics

    func receive(_ lines: [[UInt8]], from sender: NodeID) async throws -> JSONObject {
        let decoded = await ParallelDecoder.decode(lines.enumerated().map { ($0.offset + 1, $0.element) })
        var results: [Int: JSONObject] = [:]
        var accepted: [(line: Int, event: Event)] = []
        for (line, result) in decoded {
            switch result {
            case .success(let event):
                if event.audience.includes(node.id, author: event.author) {
                    accepted.append((line, event))
                } else {
                    results[line] = Self.result(line, id: event.id.hex, "rejected", reason: "not_in_audience: this node may not hold this partner-only event")
                }
            case .failure(let error):
                results[line] = Self.result(line, id: nil, "rejected", reason: error.description)
            }
        }
        let outcomes = try await node.store.ingest(accepted.map(\.event), source: sender.hex, now: .now())
        for ((line, event), outcome) in zip(accepted, outcomes) {
            switch outcome.result {
            case .stored: results[line] = Self.result(line, id: event.id.hex, "stored")
            case .duplicate: results[line] = Self.result(line, id: event.id.hex, "duplicate")
            case .pending(let missing):
                results[line] = Self.result(line, id: event.id.hex, "pending", reason: "waiting for \(missing.map(\.hex).joined(separator: ","))")
            case .rejected(let error): results[line] = Self.result(line, id: event.id.hex, "rejected", reason: error.description)
            }
        }
        for result in results.values {
            let outcome = result["result"]?.stringValue ?? ""
            metrics.received(outcome)
            if outcome == "rejected", let reason = result["reason"]?.stringValue {
                metrics.rejected(String(reason.prefix { $0 != ":" }))
            }
        }
        return JSONObject(["results": .array(results.keys.sorted().compactMap { results[$0].map { .object($0) } })])
    }

    static func result(_ line: Int, id: String?, _ result: String, reason: String? = nil) -> JSONObject {
        var object = JSONObject(["line": .number(Double(line)), "result": .string(result)])
        if let id { object["id"] = .string(id) }
        if let reason { object["reason"] = .string(reason) }
        return object
    }
}
