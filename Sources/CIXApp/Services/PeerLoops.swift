import CIXCore
import CIXNode
import CIXStore

/// One loop per peer, each in a task of its own, so that a slow, hung or
/// hostile peer delays only itself. The peer table is read again every
/// `refresh`: loops start for new peers (and for a peer whose address or
/// trust changed) and stop for removed ones. On shutdown every loop is
/// cancelled and awaited.
struct PeerLoops: Sendable {
    let node: LocalNode
    let refresh: Duration
    /// One peer's loop: runs until its task is cancelled.
    let loop: @Sendable (NodeID) async -> Void
    /// Work between two reads of the peer table (routing what waits, say).
    var between: @Sendable () async -> Void = {}

    func run() async {
        var loops: [String: (peer: NodeID, task: Task<Void, Never>)] = [:]
        while !Task.isCancelled {
            let peers = (try? node.store.peers()) ?? []
            let wanted = Dictionary(peers.map { ($0.node.hex + " " + $0.url + " " + ($0.caPEM ?? ""), $0.node) }) {
                first,
                _ in first
            }
            for (key, running) in loops where wanted[key] == nil {
                running.task.cancel()
                loops[key] = nil
            }
            for (key, peer) in wanted where loops[key] == nil {
                loops[key] = (peer, Task { await loop(peer) })
            }
            await between()
            try? await Task.sleep(for: refresh)
        }
        for running in loops.values { running.task.cancel() }
        for running in loops.values { await running.task.value }
    }
}

/// At most `permits` holders at once: how many peers are pulled from, or pushed to, at the same time.
actor Gate {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(permits: Int) {
        free = max(1, permits)
    }

    func enter() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// Runs `work` holding a permit.
    func holding<T: Sendable>(_ work: @Sendable () async throws -> T) async rethrows -> T {
        await enter()
        defer { leave() }
        return try await work()
    }
}
