import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXNode

/// Takes a pushed batch through the node's acceptance step and answers per line.
struct PushReceiver: Sendable {
    let node: LocalNode
    let metrics: NodeMetrics

    func receive(_ lines: [[UInt8]], from sender: NodeID) async throws -> PushAnswer {
        let verdicts = try await Acceptance(log: node.store, holder: node.id).accept(
            lines,
            source: sender.hex,
            now: .now()
        )
        for verdict in verdicts {
            metrics.received(verdict.word)
            if let rejection = verdict.rejection { metrics.rejected(rejection.code.rawValue) }
        }
        return PushAnswer(verdicts: verdicts)
    }
}
