import CIXStore

extension PeerSync {
    /// One peer's part in a round with every peer (`cix sync`): what its pull brought, what
    /// its repair moved when one was asked, or why it failed.
    package struct Exchange: Sendable {
        /// The peer's name.
        package let peer: String
        package var pulled: Report?
        package var repaired: RepairReport?
        package var failure: String?
    }

    /// Pulls from each peer (and, with `repair`, repairs with it), at most `concurrency` at once,
    /// handing each exchange to `finished` as it ends. `progress` hears a step's label (the
    /// peer's name, or it and "repair") with how far it is, and nil when the step ends.
    package func exchange(
        with peers: [Peer],
        concurrency: Int,
        repair: Bool,
        progress: @escaping @Sendable (_ label: String, _ detail: String?) -> Void,
        finished: (Exchange) -> Void
    ) async {
        await withTaskGroup(of: Exchange.self) { group in
            var waiting = peers[...]
            func startNext() {
                guard let peer = waiting.popFirst() else { return }
                group.addTask { await exchange(with: peer, repair: repair, progress: progress) }
            }
            for _ in 0..<max(1, concurrency) { startNext() }
            while let exchange = await group.next() {
                finished(exchange)
                startNext()
            }
        }
    }

    func exchange(
        with peer: Peer,
        repair: Bool,
        progress: @escaping @Sendable (_ label: String, _ detail: String?) -> Void
    ) async -> Exchange {
        var exchange = Exchange(peer: peer.name)
        var label = peer.name
        do {
            exchange.pulled = try await pull(
                from: peer,
                now: { .now() },
                progress: { [label] received in progress(label, "\(received) events") }
            )
            progress(label, nil)
            if repair {
                label = "\(peer.name) repair"
                exchange.repaired = try await self.repair(
                    with: peer,
                    now: { .now() },
                    progress: { [label] report in progress(label, "\(report.rounds) rounds, \(report.ranges) ranges") }
                )
                progress(label, nil)
            }
        } catch {
            progress(label, nil)
            exchange.failure = "\(error)"
        }
        return exchange
    }
}
