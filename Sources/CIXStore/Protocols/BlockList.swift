import CIXCore

/// A node this node blocks, why, and since when: published on its directory page.
package struct BlockedNode: Sendable, Equatable {
    package let node: NodeID
    package let reason: String
    package let since: Timestamp

    package init(node: NodeID, reason: String, since: Timestamp) {
        self.node = node
        self.reason = reason
        self.since = since
    }
}

/// What a blocked node's events hide: the events it wrote, and every event of
/// the issues reported through it.
package struct HiddenEvents: Sendable, Equatable {
    /// Blocked nodes' ids (hex).
    package let authors: Set<String>
    /// Issues (hex ids) whose report a blocked node wrote.
    package let issues: Set<String>

    package init(authors: Set<String>, issues: Set<String>) {
        self.authors = authors
        self.issues = issues
    }

    package static let none = HiddenEvents(authors: [], issues: [])

    package func contains(_ event: StoredEvent) -> Bool {
        authors.contains(event.author) || issues.contains(event.issue)
    }
}

/// Nodes this node has shut out (`Protocol/federation.md`, Blocking). A blocked
/// node's events are refused however they come; those already held are kept,
/// but take no part: not folded, shown, counted or served onward.
package protocol BlockList: Sendable {
    /// Blocks `node` (or changes the reason); the issues its events touch are folded again without them.
    func block(_ node: NodeID, reason: String, at moment: Timestamp) throws(StoreError)
    /// Ends a block; its events take part again, and every peer's pull starts over so that what was
    /// refused meanwhile comes again. False if the node was not blocked.
    func unblock(_ node: NodeID) throws(StoreError) -> Bool
    func blockedNodes() throws(StoreError) -> [BlockedNode]
}
