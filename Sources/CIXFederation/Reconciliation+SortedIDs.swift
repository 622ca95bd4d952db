import CIXStore

extension Reconciliation {
    /// Ids held in memory, ascending: the vectors' and the tests' sets. One that `keepsSums` answers
    /// `sums(of:)` and `ids(at:in:)` as a store keeping sums does, so that the answers made from them
    /// can be compared with those of a pass.
    package struct SortedIDs: ReconcilableSet {
        package typealias Failure = Never
        let sorted: [String]
        let keepsSums: Bool

        package init(_ sorted: [String], keepsSums: Bool = false) {
            self.sorted = sorted
            self.keepsSums = keepsSums
        }

        package func visit(_ range: Range, counted: (Int) -> Void, each visit: (String) -> Void) {
            let ids = self.ids(in: range)
            counted(ids.count)
            for id in ids { visit(id) }
        }

        package func sums(of ranges: [Range]) -> [(count: Int, sum: IDSum)]? {
            guard keepsSums else { return nil }
            return ranges.map { range in
                let ids = self.ids(in: range)
                var sum = IDSum()
                for id in ids { sum.add(id: id) }
                return (ids.count, sum)
            }
        }

        package func ids(at indexes: [Int], in range: Range) -> [String]? {
            guard keepsSums else { return nil }
            let ids = self.ids(in: range)
            return indexes.filter { (0..<ids.count).contains($0) }.map { ids[ids.startIndex + $0] }
        }

        private func ids(in range: Range) -> ArraySlice<String> {
            let start = range.lower.map { bound in firstIndex { $0 >= bound } } ?? 0
            let end = range.upper.map { bound in firstIndex { $0 >= bound } } ?? sorted.count
            return sorted[start..<max(start, end)]
        }

        /// The first index whose id satisfies `isAtOrAfter` (which holds from some index on), by binary search.
        private func firstIndex(where isAtOrAfter: (String) -> Bool) -> Int {
            var low = 0
            var high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if isAtOrAfter(sorted[middle]) { high = middle } else { low = middle + 1 }
            }
            return low
        }
    }
}
