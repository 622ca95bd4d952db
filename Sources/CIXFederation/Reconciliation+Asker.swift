import CIXStore

extension Reconciliation {
    /// The asker's side, without the network: which ranges to ask about next, and what the
    /// answers show. Breadth-first: every open range is asked before any of its parts.
    package struct Asker<IDs: ReconcilableSet>: Sendable {
        let mine: IDs
        /// How both sides fingerprint their ranges: every request names it.
        package let scheme: Scheme
        private var open: [Summary]
        /// Ids the answerer holds and the asker lacks, and the other way round, as found so far.
        package private(set) var missingHere: [String] = []
        package private(set) var missingThere: [String] = []

        /// Starts with the whole range of the asker's ids.
        package init(holding set: IDs, scheme: Scheme = .sha256) throws(IDs.Failure) {
            mine = set
            self.scheme = scheme
            open = try Reconciliation.summaries(of: [.all], in: set, scheme: scheme)
        }

        package var openRanges: Int { open.count }

        /// The next request (at most `maxRanges` ranges, ascending), or nil when everything is settled.
        package mutating func nextRequest() -> [Summary]? {
            guard !open.isEmpty else { return nil }
            let asked = Array(open.prefix(maxRanges)).sorted { ($0.range.lower ?? "") < ($1.range.lower ?? "") }
            open.removeFirst(asked.count)
            return asked
        }

        /// Takes the answers to a request: lists settle a range, parts that differ stay open.
        package mutating func take(_ answers: [Answer]) throws(IDs.Failure) {
            for answer in answers {
                switch answer {
                case .same: break
                case .ids(let range, let theirs):
                    var ours: [String] = []
                    try mine.visit(range, counted: { ours.reserveCapacity($0) }, each: { ours.append($0) })
                    let theirSet = Set(theirs)
                    let ourSet = Set(ours)
                    missingHere += theirs.filter { !ourSet.contains($0) }
                    missingThere += ours.filter { !theirSet.contains($0) }
                case .split(_, let parts):
                    let ours = try Reconciliation.summaries(
                        of: parts.map(\.range),
                        in: mine,
                        scheme: scheme,
                        fromKeptSums: parts.reduce(0) { $0 + $1.count } > passUpTo
                    )
                    for (mine, theirs) in zip(ours, parts) where mine != theirs { open.append(mine) }
                }
            }
        }
    }
}

extension Reconciliation.Asker where IDs == Reconciliation.SortedIDs {
    /// Starts with the whole range of `sorted` (the asker's ids, ascending).
    package init(holding sorted: [String], scheme: Reconciliation.Scheme = .sha256) {
        self.init(holding: Reconciliation.SortedIDs(sorted), scheme: scheme)
    }
}
