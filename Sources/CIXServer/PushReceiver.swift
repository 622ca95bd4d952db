import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXNode

/// Takes a pushed batch through the node's acceptance step and answers per line.
struct PushReceiver: Sendable {
    let node: LocalNode
    let metrics: NodeMetrics

    /// Asked for the parents that pushed events lack.
    let chase: ParentChase

    /// Judges the batch; events that wait for parents start a round of asking the sender (and
    /// then the other peers) for those parents, after the answer, without holding it up.
    func receive(_ lines: [[UInt8]], from sender: NodeID) async throws -> PushAnswer {
        let verdicts = try await Acceptance(log: node.store, holder: node.id).accept(
            lines,
            source: sender.hex,
            now: .now()
        )
        var waiting = false
        for verdict in verdicts {
            metrics.received(verdict.word)
            if let rejection = verdict.rejection { metrics.rejected(rejection.code.rawValue) }
            if case .pending = verdict.result { waiting = true }
        }
        if waiting {
            let (node, chase) = (node, chase)
            Task.detached { _ = try? await PeerSync(node: node).chaseParentsUnlessBusy(chase, now: { .now() }) }
        }
        return PushAnswer(verdicts: verdicts)
    }
}
