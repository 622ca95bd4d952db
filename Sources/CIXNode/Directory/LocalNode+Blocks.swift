import CIXCore
import CIXStore
import Foundation

/// Shutting a misbehaving node out (`Protocol/federation.md`, Blocking).
extension LocalNode {
    /// The longest reason a block may give (it is published on the directory page).
    package static let maxBlockReason = 500

    /// Blocks `node` for `reason`: its events are refused from now on however they come, those
    /// held stop taking part, and it stops being a peer. Returns whether it was one.
    package func block(_ node: NodeID, reason given: String, now: Timestamp) throws(NodeError) -> Bool {
        guard node != id else { throw NodeError(.invalidInput, "a node cannot block itself") }
        let reason = given.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= Self.maxBlockReason,
            !reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw NodeError(
                .invalidInput,
                "give the reason on one line, 1 to \(Self.maxBlockReason) characters: it is published on the directory page"
            )
        }
        do {
            try store.block(node, reason: reason, at: now)
            return try store.removePeer(node)
        } catch {
            throw NodeError(error)
        }
    }

    /// Ends the block of `node`; false if it was not blocked.
    package func unblock(_ node: NodeID) throws(NodeError) -> Bool {
        do { return try store.unblock(node) } catch { throw NodeError(error) }
    }

    package func blockedNodes() throws(NodeError) -> [BlockedNode] {
        do { return try store.blockedNodes() } catch { throw NodeError(error) }
    }
}
