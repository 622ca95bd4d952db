import CIXCore
import CIXNode
import CIXPhoto
import CIXStore
import Foundation

/// Peering and pulling: adds peers by their well-known descriptor, and pulls
/// their events into the store, fetching missing parents from the same peer.
package struct PeerSync: Sendable {
    package let store: any NodeStore
    package let signer: RequestSigner
    /// Every pulled or fetched event gets in through here.
    let acceptance: Acceptance
    /// Which peer addresses may be contacted.
    let addresses: AddressPolicy
    /// Where findings about peers' audit trails are recorded: this node's own trail.
    let audit: any StaffStore
    /// Whether this node is a mirror, which authors nothing: it repairs with a body over the body's own events.
    let isMirror: Bool

    /// Events asked for per pull request.
    static let pageSize = 2_000
    /// How many verdicts and refusals a pull's report keeps one by one (it counts them all).
    package var kept = 10_000

    package init(node: LocalNode) {
        self.store = node.store
        self.signer = RequestSigner(node: node.id, key: node.key)
        self.acceptance = Acceptance(log: node.store, holder: node.id)
        self.addresses = node.config.allowsPrivateAddresses ? .anyAddress : .publicOnly
        self.audit = node.staffRecords
        self.isMirror = node.config.kind == .mirror
    }

    /// What one pull did.
    package struct Report: Sendable {
        package var received = 0
        package var stored = 0
        package var duplicates = 0
        package var pending = 0
        package var parentsFetched = 0
        /// Photos of pulled reports copied from the peer, and those it could not supply.
        package var photosFetched = 0
        package var photosMissing = 0
        /// Events refused: the first `PeerSync.kept` of them with the reason, and how many in all.
        package var rejected: [(id: String, reason: String)] = []
        package var rejectedCount = 0
        package var cursor: Int64 = 0
        /// Response body bytes received for pulled pages.
        package var bodyBytes = 0
        /// The verdict on each event received, in the order received (parents fetched come after their
        /// page): the first `PeerSync.kept`. A catch-up of millions of events keeps counts, not each verdict, so
        /// that its memory does not grow with the log it pulls.
        package var verdicts: [Verdict] = []
        /// What the peer's new audit head says about its past, if anything is wrong (`AuditWitness`).
        package var auditFinding: String?

        package var summary: String {
            "\(received) received, \(stored) stored, \(duplicates) duplicate, \(pending) waiting for parents, \(rejectedCount) rejected, \(parentsFetched) parents fetched"
        }
    }

    /// Fetches a node's descriptor, checks it, and pins it as a peer.
    ///
    /// If the node is already a peer, its descriptor must still be signed by a
    /// key that speaks for it (rotation needs a valid key statement); otherwise
    /// the peer is refused.
    package func addPeer(url: String, caPEM: String?, now: Timestamp) async throws -> (Peer, NodeInfo) {
        try addresses.check(url)
        let info = try await PeerClient.with(caPEM: caPEM, signer: signer) { client in
            try await client.nodeInfo(at: url)
        }
        try keep(info)
        let peer = Peer(
            node: info.descriptor.node,
            url: url,
            name: info.descriptor.name,
            kind: info.descriptor.kind.rawValue,
            key: info.descriptor.signer.hex,
            caPEM: caPEM,
            addedAt: now
        )
        try store.savePeer(peer)
        return (try store.peer(peer.node) ?? peer, info)
    }

    /// Compares a peer's new audit head with the one held; a finding is written to this
    /// node's own audit trail (tamper-evident, kept however the peer's next heads look).
    func witness(_ fresh: NodeDescriptor, from peer: Peer, client: PeerClient) async -> String? {
        guard let held = try? store.descriptor(of: peer.node),
            fresh.version > held.version, let before = held.audit
        else { return nil }
        var hashThen: String?
        if let after = fresh.audit, after.entries > before.entries {
            hashThen = try? await client.auditHash(at: peer.url, entries: before.entries)
        }
        guard
            let finding = AuditWitness.finding(
                node: "\(peer.name) (\(peer.node.short))",
                held: before,
                fresh: fresh.audit,
                hashThen: hashThen
            )
        else { return nil }
        try? audit.appendAudit(
            actor: "federation",
            action: "peer-audit-rewritten",
            subject: peer.node.hex,
            address: peer.url,
            event: nil,
            detail: finding,
            at: Timestamp.now().secondsSinceEpoch
        )
        return finding
    }

    /// Fetches a peer's node document again and keeps its key statements and descriptor: what a
    /// receiver does when a peer signs a request with a key it does not know yet (a rotation).
    package func refreshNodeDocument(of peer: Peer) async throws {
        try addresses.check(peer.url)
        let info = try await PeerClient.with(caPEM: peer.caPEM, signer: signer) { client in
            try await client.nodeInfo(at: peer.url)
        }
        guard info.descriptor.node == peer.node else {
            throw FederationError(.keyChanged, "\(peer.url) now answers as node \(info.descriptor.node.hex)")
        }
        try keep(info)
    }

    /// Stores a node document's key statements and descriptor.
    func keep(_ info: NodeInfo) throws {
        if let refusal = try acceptance.keep(info.statements).values.first { throw refusal }
        try store.saveDescriptor(info.descriptor)
    }

    /// Pulls every event the peer has after its cursor, in pages, verifying
    /// each before it is stored. `progress` gets the events received so far.
    package func pull(
        from peer: Peer,
        now: @Sendable () -> Timestamp,
        progress: @Sendable (Int) -> Void = { _ in }
    )
        async throws -> Report
    {
        do {
            try addresses.check(peer.url)
            let report = try await PeerClient.with(caPEM: peer.caPEM, signer: signer) { client in
                let info = try await client.nodeInfo(at: peer.url)
                guard info.descriptor.node == peer.node else {
                    throw FederationError(
                        .keyChanged,
                        "\(peer.url) now answers as node \(info.descriptor.node.hex), not the pinned \(peer.node.hex); refusing it"
                    )
                }
                var report = Report()
                report.auditFinding = await witness(info.descriptor, from: peer, client: client)
                try keep(info)
                var cursor = peer.cursor
                var current = try await fetchAndDecode(client, from: peer, after: cursor)
                while true {
                    report.bodyBytes += current.page.bodyBytes
                    let more = !current.page.events.isEmpty && current.page.cursor > cursor
                    let nextCursor = current.page.cursor
                    // Fetch and verify the next page while this one is stored.
                    async let following: (page: PullPage, decoded: [(line: Int, result: Result<Event, CoreError>)])? =
                        more ? fetchAndDecode(client, from: peer, after: nextCursor) : nil
                    try await storeVerified(
                        current.decoded,
                        lines: current.page.events,
                        from: peer,
                        client: client,
                        now: now(),
                        into: &report
                    )
                    cursor = max(cursor, nextCursor)
                    try store.recordContact(with: peer.node, cursor: cursor, at: now())
                    progress(report.received)
                    FreedMemory.release()
                    guard let next = try await following else { break }
                    current = next
                }
                report.cursor = cursor
                return report
            }
            return report
        } catch {
            try? store.recordError(with: peer.node, "\(error)")
            throw error
        }
    }

    func fetchAndDecode(
        _ client: PeerClient,
        from peer: Peer,
        after cursor: Int64
    ) async throws
        -> (page: PullPage, decoded: [(line: Int, result: Result<Event, CoreError>)])
    {
        let page = try await client.pull(from: peer.url, after: cursor, limit: Self.pageSize)
        return (page, await ParallelDecoder.decode(page.events.enumerated().map { ($0.offset, $0.element) }))
    }

    /// Verifies and stores events; fetches parents the store is waiting for (bounded).
    func ingest(
        _ lines: [[UInt8]],
        from peer: Peer,
        client: PeerClient,
        now: Timestamp,
        into report: inout Report
    )
        async throws
    {
        let decoded = await ParallelDecoder.decode(lines.enumerated().map { ($0.offset, $0.element) })
        try await storeVerified(decoded, lines: lines, from: peer, client: client, now: now, into: &report)
    }

    /// Stores verified events, reports the rest, and fetches parents the store is waiting for (bounded).
    /// `lines` are the received lines `first` was decoded from (by index): node records among them are taken first.
    func storeVerified(
        _ first: [(line: Int, result: Result<Event, CoreError>)],
        lines: [[UInt8]],
        from peer: Peer,
        client: PeerClient,
        now: Timestamp,
        into report: inout Report
    ) async throws {
        var decoded = try acceptance.takeRecords(first) { lines[$0] }
        report.received += decoded.count
        var fetchBudget = 1_000
        while !decoded.isEmpty {
            let verdicts = try await acceptance.accept(decoded: decoded, source: peer.node.hex, now: now)
            report.verdicts += verdicts.prefix(max(0, kept - report.verdicts.count))
            let events = decoded.compactMap { try? $0.result.get() }
            try await fetchPhotos(of: events, from: peer, client: client, now: now, into: &report)
            var missing = Set<EventID>()
            for verdict in verdicts {
                switch verdict.result {
                case .stored: report.stored += 1
                case .duplicate: report.duplicates += 1
                case .pending(let parents):
                    report.pending += 1
                    missing.formUnion(parents)
                case .rejected(let error):
                    report.rejectedCount += 1
                    if report.rejected.count < kept {
                        report.rejected.append((verdict.id?.hex ?? "-", error.description))
                    }
                }
            }
            var wanted: [EventID] = []
            for parent in missing.sorted() where wanted.count < fetchBudget {
                if try store.event(parent) == nil { wanted.append(parent) }
            }
            fetchBudget -= wanted.count
            let parents = try await fetchParents(wanted, from: peer, client: client)
            let fetched = await ParallelDecoder.decode(parents.enumerated().map { ($0.offset, $0.element) })
            decoded = try acceptance.takeRecords(fetched) { parents[$0] }
            report.parentsFetched += decoded.count
        }
        report.pending = try store.pendingCount()
    }

    /// The parents asked for, in one request with their authors' key statements (`POST
    /// /federation/v1/fetch`), or one by one from a peer that does not offer that.
    func fetchParents(_ wanted: [EventID], from peer: Peer, client: PeerClient) async throws -> [[UInt8]] {
        guard !wanted.isEmpty else { return [] }
        if let answer = try? await client.events(wanted, from: peer.url) { return answer.events }
        var parents: [[UInt8]] = []
        for parent in wanted {
            if let bytes = try await client.event(parent, from: peer.url) { parents.append(bytes) }
        }
        return parents
    }

    /// Copies the photos that pulled reports refer to and this node lacks, from
    /// the same peer. Each must hash to the value the signed report names, be
    /// of the named type and within the size limit; one the peer cannot supply
    /// is counted and tried again on a later pull that brings the report.
    func fetchPhotos(
        of events: [Event],
        from peer: Peer,
        client: PeerClient,
        now: Timestamp,
        into report: inout Report
    )
        async throws
    {
        let base = peer.url.hasSuffix("/") ? String(peer.url.dropLast()) : peer.url
        for event in events {
            let attachments: [Attachment]
            switch event.content {
            case .report(let body)?:
                // A report redacted since it was pulled (the batch may carry both) is held without its body:
                // its photos are not fetched.
                guard let held = try store.event(event.id), held.bytes.count == event.bytes.count else { continue }
                attachments = body.attachments
            case .redact(let body)?:
                // A cleaned report names its photos in the redaction (a masked one is a new file).
                attachments = body.replacementContent(for: .report)?.attachments ?? []
            default: continue
            }
            for attachment in attachments {
                let (hash, type) = (attachment.hash, attachment.type)
                guard try store.attachment(hash) == nil else { continue }
                let answer = try? await client.raw(
                    .GET,
                    base: base,
                    path: "/attachments/\(hash)",
                    headers: [],
                    body: []
                )
                // The signed hash fixes the bytes; they must also be a clean re-encoded photo (no metadata).
                guard let answer, answer.status == 200, answer.body.count <= Limits.maxAttachmentBytes,
                    SHA256Hex.hash(answer.body) == hash, ImageSignature.mediaType(of: answer.body) == type,
                    (try? Photo.checkFetched(answer.body)) != nil
                else {
                    report.photosMissing += 1
                    continue
                }
                _ = try store.saveAttachment(Data(answer.body), type: type, at: now)
                report.photosFetched += 1
            }
        }
    }
}
