import CIXCore

/// The nodes this node knows: the signed descriptors it holds, and the peers
/// it exchanges events with, with their cursors.
package protocol NodeRegistry: Sendable {
    /// Keeps a node's descriptor if it is newer than the one held and signed by
    /// a key the node holds; returns whether it was kept.
    @discardableResult
    func saveDescriptor(_ descriptor: NodeDescriptor) throws(StoreError) -> Bool

    /// Every descriptor held.
    func descriptors() throws(StoreError) -> [NodeDescriptor]

    /// The descriptor held for one node, if any (without reading the others, whose areas may be large).
    func descriptor(of node: NodeID) throws(StoreError) -> NodeDescriptor?

    /// Each known node's name by id (hex).
    func nodeNames() throws(StoreError) -> [String: String]
    /// Bodies not on CIX that held descriptors relay for, by relay id (hex).
    func relays() throws(StoreError) -> [String: RelayRecord]

    /// Adds or replaces a peer, keeping its cursors if it was already known.
    func savePeer(_ peer: Peer) throws(StoreError)

    func peers() throws(StoreError) -> [Peer]

    func peer(_ node: NodeID) throws(StoreError) -> Peer?

    @discardableResult
    func removePeer(_ node: NodeID) throws(StoreError) -> Bool

    /// Records a successful exchange and, when given, the new pull cursor.
    func recordContact(with node: NodeID, cursor: Int64?, at moment: Timestamp) throws(StoreError)

    /// Records that the peer has been sent every event up to `seq`.
    func recordPushed(to node: NodeID, through seq: Int64, at moment: Timestamp) throws(StoreError)

    /// Records the last failure of an exchange with the peer.
    func recordError(with node: NodeID, _ message: String) throws(StoreError)
}
