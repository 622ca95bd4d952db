import CIXCore
import CIXStore

/// One node's side of a reconciliation with a peer, read from its store a range
/// at a time: the ids both may hold (`EventLog.reconcilableIDs`).
package struct StoredReconcilableSet: ReconcilableSet {
    let log: any EventLog
    let peer: NodeID?
    let holder: NodeID
    let authors: [NodeID]?

    /// The set `holder`'s store `log` compares with `peer` (nil: an unsigned asker): of the events
    /// of `authors` only, if named.
    package init(_ log: any EventLog, sharedWith peer: NodeID?, holder: NodeID, authors: [NodeID]? = nil) {
        self.log = log
        self.peer = peer
        self.holder = holder
        self.authors = authors
    }

    package func visit(
        _ range: Reconciliation.Range,
        counted: (Int) -> Void,
        each visit: (String) -> Void
    ) throws(StoreError) {
        try log.visitReconcilableIDs(
            from: range.lower,
            below: range.upper,
            sharedWith: peer,
            holder: holder,
            authors: authors,
            counted: counted,
            visit: visit
        )
    }

    package func sums(of ranges: [Reconciliation.Range]) throws(StoreError) -> [(count: Int, sum: IDSum)]? {
        try log.reconcilableSums(
            of: ranges.map { ($0.lower, $0.upper) },
            sharedWith: peer,
            holder: holder,
            authors: authors
        )
    }

    /// Stores keep counts per part of the id space for every public event, not for each author's:
    /// a narrowed set is split by a pass.
    package func ids(at indexes: [Int], in range: Reconciliation.Range) throws(StoreError) -> [String]? {
        guard authors == nil else { return nil }
        return try log.reconcilableIDs(
            at: indexes,
            from: range.lower,
            below: range.upper,
            sharedWith: peer,
            holder: holder
        )
    }
}
