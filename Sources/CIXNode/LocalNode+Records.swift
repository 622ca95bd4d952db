import CIXCore
import CIXStore

/// What commands ask of a node, in the node's terms: its records, peers and
/// projections, with failures as `NodeError`.
extension LocalNode {
    /// Issues by overall status, category, words, and (with `unrouted`) only
    /// this node's reports that no known body serves yet; most recently updated first.
    package func issues(
        status: OverallStatus? = nil,
        category: String? = nil,
        search: String? = nil,
        unrouted: Bool = false,
        limit: Int = 50
    ) throws(NodeError) -> [IssueSummary] {
        let query = IssueQuery(
            status: status?.rawValue,
            category: category,
            text: search,
            unroutedFrom: unrouted ? id.hex : nil,
            limit: limit
        )
        do { return try store.issues(query) } catch { throw NodeError(error) }
    }

    package func peers() throws(NodeError) -> [Peer] {
        do { return try store.peers() } catch { throw NodeError(error) }
    }

    /// Stops exchanging events with a peer; false if it was not one.
    package func removePeer(_ node: NodeID) throws(NodeError) -> Bool {
        do { return try store.removePeer(node) } catch { throw NodeError(error) }
    }

    /// This node's own signed descriptor, as last published.
    package func ownDescriptor() throws(NodeError) -> NodeDescriptor? {
        do { return try store.descriptor(of: id) } catch { throw NodeError(error) }
    }

    /// How many events, issues and waiting events the store holds.
    package func counts() throws(NodeError) -> (events: Int, issues: Int, pending: Int) {
        do { return try store.counts() } catch { throw NodeError(error) }
    }

    /// The issue whose id is `text`, or starts with it (6+ hex digits, one match among the issues held).
    package func resolveIssue(_ text: String) throws(NodeError) -> EventID {
        if let id = EventID(text.lowercased()) { return id }
        do {
            if let id = try store.resolveIssue(text.lowercased()) { return id }
        } catch {
            throw NodeError(error)
        }
        throw NodeError(.notFound, "no single issue has an id starting with \"\(text)\"")
    }

    /// The event whose id is `text`, or starts with it, with its issue.
    package func resolveEvent(_ text: String) throws(NodeError) -> (event: EventID, issue: EventID) {
        do {
            let id = try EventID(text.lowercased()) ?? store.resolveEvent(text.lowercased())
            guard let id, let stored = try store.event(id), let issue = EventID(stored.issue) else {
                throw NodeError(.notFound, "no single event has an id starting with \"\(text)\"")
            }
            return (id, issue)
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(.io, "\(error)")
        }
    }
}
