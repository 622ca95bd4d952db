import CIXCore

/// The outbox of reports sent to bodies not on CIX (`[[external]]`), and what
/// the bridge has read of their answers. Private to this node, like `MailStore`.
package protocol BridgeStore: Sendable {
    /// Issues with an active part held by one of these relay identities and no delivery yet.
    func undelivered(to relays: [NodeID], limit: Int) throws(StoreError) -> [BridgeDelivery.Key]
    /// Queues deliveries, due at once (one already queued is left as it is).
    func queueDeliveries(_ keys: [BridgeDelivery.Key], at moment: Timestamp) throws(StoreError)
    /// Deliveries waiting whose next attempt is due, oldest first.
    func dueDeliveries(at moment: Timestamp, limit: Int) throws(StoreError) -> [BridgeDelivery]
    /// Records a delivery made: the body's own reference for it (an Open311 request id, or the mail's key).
    func deliverySent(_ key: BridgeDelivery.Key, reference: String, at moment: Timestamp) throws(StoreError)
    /// Records a failed attempt: tried again at `retryAt`, or given up when it is nil.
    func deliveryFailed(
        _ key: BridgeDelivery.Key,
        error: String,
        retryAt: Timestamp?,
        at moment: Timestamp
    ) throws(StoreError)
    /// Every delivery to one relay, or to all when nil, newest first.
    func deliveries(to relay: NodeID?, limit: Int) throws(StoreError) -> [BridgeDelivery]
    /// The issue a body's reference names, if this node delivered it.
    func deliveredIssue(relay: NodeID, reference: String) throws(StoreError) -> EventID?
    /// When the bridge last read the body's answers up to (nil: never).
    func pollCursor(relay: NodeID) throws(StoreError) -> Timestamp?
    func setPollCursor(relay: NodeID, to moment: Timestamp) throws(StoreError)
    /// Notes an answer as relayed; false if it already was.
    func markAnswerRelayed(relay: NodeID, answer: String, at moment: Timestamp) throws(StoreError) -> Bool
}

/// One report's journey to one body not on CIX.
package struct BridgeDelivery: Sendable, Equatable {
    package struct Key: Sendable, Hashable {
        package let issue: EventID
        package let relay: NodeID

        package init(issue: EventID, relay: NodeID) {
            self.issue = issue
            self.relay = relay
        }
    }

    package enum State: String, Sendable {
        case waiting, sent, failed
    }

    package let key: Key
    package let state: State
    package let attempts: Int
    package let queuedAt: Timestamp
    package let nextAttemptAt: Timestamp?
    package let sentAt: Timestamp?
    package let reference: String?
    package let lastError: String?

    package init(
        key: Key,
        state: State,
        attempts: Int,
        queuedAt: Timestamp,
        nextAttemptAt: Timestamp?,
        sentAt: Timestamp?,
        reference: String?,
        lastError: String?
    ) {
        self.key = key
        self.state = state
        self.attempts = attempts
        self.queuedAt = queuedAt
        self.nextAttemptAt = nextAttemptAt
        self.sentAt = sentAt
        self.reference = reference
        self.lastError = lastError
    }
}
