import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXStore
import Foundation

/// Sends a peer every event it may hold that it has not been sent yet.
///
/// The log itself is the outbox: each peer's `pushed_through` cursor marks
/// what has been delivered, so delivery resumes after a restart and survives
/// a peer that is away for days. A batch counts as delivered once the peer
/// answers 200 with a result per event (an event it rejects is not sent again:
/// its rejection is permanent).
package struct PeerPush: Sendable {
    package let store: any NodeStore
    package let signer: RequestSigner
    package var batchSize: Int
    /// Which peer addresses may be contacted.
    let addresses: AddressPolicy

    package init(node: LocalNode, batchSize: Int = 500) {
        self.store = node.store
        self.signer = RequestSigner(node: node.id, key: node.key)
        self.batchSize = batchSize
        self.addresses = node.config.allowsPrivateAddresses ? .anyAddress : .publicOnly
    }

    package struct Report: Sendable {
        package var sent = 0
        package var stored = 0
        /// The peer's reasons, "code: message", for events it refused.
        package var rejected: [String] = []
    }

    /// Pushes until the peer has everything; throws on the first failed batch.
    package func push(to peer: Peer, now: @Sendable () -> Timestamp) async throws -> Report {
        try await PeerClient.with(caPEM: peer.caPEM, signer: signer) { client in
            try await push(to: peer, using: client, now: now)
        }
    }

    /// The same over a client the caller keeps open (the daemon keeps one per peer, so
    /// each push reuses its TLS connection).
    package func push(to peer: Peer, using client: PeerClient, now: @Sendable () -> Timestamp) async throws -> Report {
        try addresses.check(peer.url)
        var report = Report()
        var cursor = peer.pushedThrough
        while true {
            let page = try store.outbox(for: peer.node, after: cursor, limit: batchSize)
            if page.events.isEmpty {
                if page.cursor > cursor { try store.recordPushed(to: peer.node, through: page.cursor, at: now()) }
                return report
            }
            let records = try NodeRecords.lines(for: page.events.map(\.author), store: store)
            let (status, body) = try await client.push(records + page.events.map(\.bytes), to: peer.url)
            guard status == 200 else {
                throw FederationError(
                    .badResponse,
                    "push to \(peer.url) answered \(status): \(String(decoding: body.prefix(300), as: UTF8.self))"
                )
            }
            let answer = try PushAnswer(json: body)
            report.sent += page.events.count
            for result in answer.results {
                switch result.outcome {
                case .stored: report.stored += 1
                case .rejected(let code, let message): report.rejected.append("\(code): \(message)")
                case .duplicate, .pending: break
                }
            }
            cursor = page.cursor
            try store.recordPushed(to: peer.node, through: cursor, at: now())
        }
    }
}
