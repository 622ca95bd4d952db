import CIXCore
import CIXFederation
import CIXNode
import Foundation
import HTTPTypes
import Hummingbird

/// Who sent a federation request, and whether they may send more.
///
/// A request that claims to come from a peer is verified and then charged to
/// that peer's budget; any other (unsigned, or signed by a node that is not a
/// peer, since anyone can mint a node id) is charged to its address's and the
/// strangers' shared budget before its signature is even checked.
struct RequestAuthenticator: Sendable {
    let node: LocalNode
    let nonces: NonceCache
    /// Per peer: each node in this node's peer table has its own budget.
    let limiter: RateLimiter
    let strangers: StrangerLimits
    /// When each peer's node document was last fetched for an unknown key.
    let refreshes = NodeDocumentRefreshes()

    /// The signing node, or nil if unsigned; throws if signed badly, expired,
    /// replayed or by a key that does not speak for its node, or over budget.
    func authenticate(_ request: Request, context: NodeRequestContext, body: [UInt8]) async throws -> NodeID? {
        let signed =
            request.headers[.signatureInput] != nil
            || request.headers[.signature] != nil
        let claimed = request.headers[.cixNode].flatMap(NodeID.init)
        let fromPeer = try signed && claimed.map { try node.store.peer($0) != nil } == true
        if !fromPeer, let wait = await strangers.admit(address: context.client, now: Date().timeIntervalSince1970) {
            throw FederationError(
                .rateLimited,
                "too many requests from this address; retry in \(wait) s",
                retryAfter: wait
            )
        }
        guard signed else { return nil }
        let now = Timestamp.now().secondsSinceEpoch
        let verified = try HTTPSignature.verify(
            .init(method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "", body: body),
            header: { name in HTTPField.Name(name).flatMap { request.headers[$0] } },
            now: now
        )
        let moment = Timestamp(secondsSinceEpoch: now)
        var speaks = try node.store.keyRing(for: verified.node).isAuthorised(verified.key, at: moment)
        // A peer that rotated its key signs with one this node may not know yet: fetch its node
        // document (at most once a minute per peer) and look again.
        if !speaks, fromPeer, let peer = try node.store.peer(verified.node),
            await refreshes.mayRefresh(peer.node.hex, now: Date().timeIntervalSince1970)
        {
            try? await PeerSync(node: node).refreshNodeDocument(of: peer)
            speaks = try node.store.keyRing(for: verified.node).isAuthorised(verified.key, at: moment)
        }
        guard speaks else {
            throw FederationError(.unknownKey, "the signing key does not speak for node \(verified.node.hex)")
        }
        guard await nonces.admit(verified.nonce, expires: verified.expires, now: now) else {
            throw FederationError(.replayed, "this request was already received (nonce reused)")
        }
        if fromPeer, let wait = await limiter.admit(verified.node.hex, now: Date().timeIntervalSince1970) {
            throw FederationError(.rateLimited, "too many requests; retry in \(wait) s", retryAfter: wait)
        }
        return verified.node
    }
}

/// Bounds how often a peer's unknown signing key makes this node fetch its node document.
actor NodeDocumentRefreshes {
    private var last: [String: Double] = [:]
    static let interval = 60.0

    func mayRefresh(_ peer: String, now: Double) -> Bool {
        if let previous = last[peer], now - previous < Self.interval { return false }
        last[peer] = now
        return true
    }
}
