import CIXCore
import CIXStore

/// Which missing parents were asked for and when to ask again: after 30 s,
/// then twice as long each time, at most an hour apart, so that a parent no
/// peer holds costs a bounded number of requests until its children expire
/// (`[federation] pending_days`, reported by the upkeep).
package actor ParentChase {
    struct Attempt {
        var count: Int
        var next: Int64
    }

    var attempts: [EventID: Attempt] = [:]
    /// Parents remembered at most; the oldest are forgotten first (they are asked for again).
    let capacity: Int

    package init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    func isDue(_ parent: EventID, at now: Timestamp) -> Bool {
        (attempts[parent]?.next ?? 0) <= now.secondsSinceEpoch
    }

    func missed(_ parent: EventID, at now: Timestamp) {
        let count = (attempts[parent]?.count ?? 0) + 1
        let wait = min(Int64(30) << Int64(min(count - 1, 7)), 3_600)
        if attempts.count >= capacity, attempts[parent] == nil,
            let oldest = attempts.min(by: { $0.value.next < $1.value.next })?.key
        {
            attempts[oldest] = nil
        }
        attempts[parent] = Attempt(count: count, next: now.secondsSinceEpoch + wait)
    }

    func found(_ parent: EventID) { attempts[parent] = nil }

    var running = false

    /// Claims the chase for one round; false if a round is under way (then no other need start).
    func begin() -> Bool {
        guard !running else { return false }
        running = true
        return true
    }

    func end() { running = false }
}

extension PeerSync {
    /// What one round of chasing parents did.
    package struct ChaseReport: Sendable, Equatable {
        /// Parents (and their own parents) fetched and stored.
        package var fetched = 0
        /// Parents no peer could supply this round (asked again later).
        package var notFound = 0
        /// Events still waiting for parents afterwards.
        package var pending = 0
        package init(fetched: Int = 0, notFound: Int = 0, pending: Int = 0) {
            self.fetched = fetched
            self.notFound = notFound
            self.pending = pending
        }
    }

    /// A round of `chaseParents`, unless one is under way already (nil then): what a push that
    /// leaves events waiting and the pull loop both call, so that rounds never overlap.
    package func chaseParentsUnlessBusy(
        _ chase: ParentChase,
        now: @Sendable () -> Timestamp
    ) async throws -> ChaseReport? {
        guard await chase.begin() else { return nil }
        do {
            let round = try await chaseParents(chase, now: now)
            await chase.end()
            return round
        } catch {
            await chase.end()
            throw error
        }
    }

    /// Fetches the parents that waiting events lack, however those events arrived (push, pull,
    /// import): from the peer that sent the waiting event first, then from every other peer.
    /// At most `limit` parents a round; one that no peer has is asked for again later (`chase`).
    package func chaseParents(
        _ chase: ParentChase,
        now: @Sendable () -> Timestamp,
        limit: Int = 200
    ) async throws -> ChaseReport {
        var round = ChaseReport()
        let wanted = try store.missingParents(limit: limit)
        guard !wanted.isEmpty else { return round }
        let peers = try store.peers().filter { (try? addresses.check($0.url)) != nil }
        var clients: [NodeID: PeerClient] = [:]
        do {
            for (parent, source) in wanted where await chase.isDue(parent, at: now()) {
                guard try store.event(parent) == nil else { continue }
                let order = peers.filter { $0.node.hex == source } + peers.filter { $0.node.hex != source }
                var fetched = false
                for peer in order {
                    let peerClient: PeerClient
                    if let open = clients[peer.node] {
                        peerClient = open
                    } else {
                        peerClient = try PeerClient.open(caPEM: peer.caPEM, signer: signer)
                        clients[peer.node] = peerClient
                    }
                    // Fetched by id with its author's key statements (a parent signed by a rotated key
                    // verifies here), or one by one from a peer that does not offer that.
                    var lines = (try? await peerClient.events([parent], from: peer.url))?.events
                    if lines == nil, let bytes = try? await peerClient.event(parent, from: peer.url) { lines = [bytes] }
                    guard let lines, !lines.isEmpty else { continue }
                    var report = Report()
                    let decoded = await ParallelDecoder.decode(lines.enumerated().map { ($0.offset, $0.element) })
                    try await storeVerified(
                        decoded,
                        lines: lines,
                        from: peer,
                        client: peerClient,
                        now: now(),
                        into: &report
                    )
                    // A peer that sends something else, or an event that fails its checks, is passed over.
                    guard let verdict = report.verdicts.first(where: { $0.id == parent }), verdict.rejection == nil
                    else {
                        continue
                    }
                    round.fetched += 1 + report.parentsFetched
                    fetched = true
                    break
                }
                if fetched {
                    await chase.found(parent)
                } else {
                    await chase.missed(parent, at: now())
                    round.notFound += 1
                }
            }
        } catch {
            for client in clients.values { await client.close() }
            throw error
        }
        for client in clients.values { await client.close() }
        round.pending = try store.pendingCount()
        return round
    }
}
