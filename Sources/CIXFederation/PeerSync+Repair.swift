import CIXCore
import CIXNode
import CIXStore

/// Repair by set reconciliation (`Protocol/federation.md`, Repair): finds
/// exactly the events one node holds and the other lacks, whatever the pull
/// cursors say (a node restored from an older backup, a gap), fetches the
/// missing ones through the one acceptance step and pushes the other way.
extension PeerSync {
    /// What a repair found and moved.
    package struct RepairReport: Sendable {
        /// Requests made, and ranges compared in them.
        package var rounds = 0
        package var ranges = 0
        /// Bytes of the reconciliation messages, and of the events moved each way.
        package var messageBytes = 0
        package var eventBytes = 0
        /// Events the peer holds and this node lacked, and the other way round.
        package var missingHere = 0
        package var missingThere = 0
        /// What became of those fetched (stored, rejected, …).
        package var fetched = Report()
        /// Of those pushed: stored by the peer, refused (with reasons), or why they could not be pushed.
        package var pushedStored = 0
        package var pushRejected: [String] = []
        package var pushFailure: String?
        /// The authors whose events alone were compared (nil: every event), and whether they are
        /// the peer alone (`RepairScope.usual`, a mirror with a body).
        package var narrowedTo: [NodeID]?
        package var peersOwnEvents = false
        /// Whether the peer refused the first request (`sum` fingerprints, a narrowed set: one that
        /// predates them) and every event both may hold was compared by `sha256` ones.
        package var fellBack = false

        package var summary: String {
            "\(rounds) rounds, \(ranges) ranges compared, \(messageBytes + eventBytes) bytes; "
                + "\(missingHere) missing here (\(fetched.stored) stored), "
                + "\(missingThere) missing there (\(pushedStored) stored by the peer)"
                + (peersOwnEvents
                    ? "; the peer's own events compared"
                    : narrowedTo.map {
                        "; the events of \($0.count == 1 ? "one named author" : "\($0.count) named authors") compared"
                    }
                        ?? "")
                + (fellBack
                    ? "; the peer predates sum fingerprints and narrowed sets: every event compared by sha256 ones"
                    : "")
        }
    }

    /// Which events a repair compares.
    package enum RepairScope: Sendable {
        /// A mirror (which authors nothing) with a peer that is not a mirror: the peer's own events,
        /// which it is the source of; else every event both may hold. A national mirror holds every
        /// body's events, and with the whole set would find the other bodies' events missing at each.
        case usual
        /// Every event both may hold (`federation.md`, Repair, the set), whoever wrote it.
        case everything
        /// The events of these nodes only (at most `Reconciliation.maxAuthors`).
        case authors([NodeID])
    }

    /// The authors a repair with `peer` narrows its set to (nil: none, every event).
    func authors(for peer: Peer, _ scope: RepairScope) -> [NodeID]? {
        switch scope {
        case .usual: isMirror && peer.kind != NodeKind.mirror.rawValue ? [peer.node] : nil
        case .everything: nil
        case .authors(let nodes): Array(Set(nodes)).sorted()
        }
    }

    /// The most ranges kept waiting for a request: the search is breadth-first and bounded.
    static let maxOpenRanges = 100_000

    /// Reconciles this node's events (those `scope` names) with `peer`'s and moves the difference
    /// both ways: by `scheme`'s fingerprints; with a peer that refuses the first request made with
    /// `sum` or a narrowed set (one that predates them), over every event by `sha256` ones.
    package func repair(
        with peer: Peer,
        scheme: Reconciliation.Scheme = .sum,
        scope: RepairScope = .usual,
        now: @escaping @Sendable () -> Timestamp,
        progress: @Sendable (RepairReport) -> Void = { _ in }
    ) async throws -> RepairReport {
        try addresses.check(peer.url)
        return try await PeerClient.with(caPEM: peer.caPEM, signer: signer) { client in
            var report = RepairReport()
            var authors = self.authors(for: peer, scope)
            report.narrowedTo = authors
            report.peersOwnEvents = authors == [peer.node]
            var mine = StoredReconcilableSet(store, sharedWith: peer.node, holder: acceptance.holder, authors: authors)
            var asker = try Reconciliation.Asker(holding: mine, scheme: scheme)
            while let asked = asker.nextRequest() {
                let answers: [Reconciliation.Answer]
                do {
                    let (answered, bytes) = try await client.reconcile(
                        asked,
                        scheme: asker.scheme,
                        authors: authors,
                        at: peer.url
                    )
                    answers = answered
                    report.messageBytes += bytes
                } catch let error as FederationError
                    where error.code == .badRequest && (asker.scheme == .sum || authors != nil) && report.rounds == 0
                {
                    authors = nil
                    mine = StoredReconcilableSet(store, sharedWith: peer.node, holder: acceptance.holder)
                    asker = try Reconciliation.Asker(holding: mine, scheme: .sha256)
                    report.narrowedTo = nil
                    report.peersOwnEvents = false
                    report.fellBack = true
                    continue
                }
                report.rounds += 1
                report.ranges += asked.count
                try asker.take(answers)
                guard asker.openRanges <= Self.maxOpenRanges else {
                    throw FederationError(.badResponse, "reconciliation with \(peer.url) does not converge")
                }
                progress(report)
            }
            report.missingHere = asker.missingHere.count
            report.missingThere = asker.missingThere.count
            try await fetch(asker.missingHere, from: peer, client: client, now: now(), into: &report)
            progress(report)
            try await push(asker.missingThere, to: peer, client: client, into: &report)
            progress(report)
            return report
        }
    }

    /// Fetches `ids` from the peer, a thousand a request, and stores them through the acceptance step.
    func fetch(
        _ ids: [String],
        from peer: Peer,
        client: PeerClient,
        now: Timestamp,
        into report: inout RepairReport
    ) async throws {
        let wanted = ids.compactMap(EventID.init)
        var start = 0
        while start < wanted.count {
            let batch = Array(wanted[start..<min(start + 1_000, wanted.count)])
            start += batch.count
            let (lines, bytes) = try await client.events(batch, from: peer.url)
            report.eventBytes += bytes
            if !lines.isEmpty { try await ingest(lines, from: peer, client: client, now: now, into: &report.fetched) }
        }
    }

    /// Pushes `ids` to the peer in this node's order (parents before children), in batches.
    func push(_ ids: [String], to peer: Peer, client: PeerClient, into report: inout RepairReport) async throws {
        var events: [StoredEvent] = []
        for id in ids.compactMap(EventID.init) {
            if let event = try store.event(id) { events.append(event) }
        }
        events.sort { $0.seq < $1.seq }
        var start = 0
        while start < events.count {
            let batch = events[start..<min(start + 1_000, events.count)]
            start += batch.count
            let records = try NodeRecords.lines(for: batch.map(\.author), store: store)
            let (status, body) = try await client.push(records + batch.map(\.bytes), to: peer.url)
            report.eventBytes += batch.reduce(0) { $0 + $1.bytes.count }
            guard status == 200 else {
                report.pushFailure = "\(status): \(String(decoding: body.prefix(300), as: UTF8.self))"
                return
            }
            for result in try PushAnswer(json: body).results {
                switch result.outcome {
                case .stored: report.pushedStored += 1
                case .rejected(let code, let message): report.pushRejected.append("\(code): \(message)")
                case .duplicate, .pending: break
                }
            }
        }
    }
}
