import CIXStore

/// Checks the audit trail's chain: every entry's hash recomputed over the
/// previous one, and the sequence without gaps. An entry altered, removed or
/// moved breaks the chain at that point; `head` is what a node publishes so
/// that cutting entries off the end shows too.
package enum AuditTrail {
    package struct Report: Sendable, Equatable {
        /// Entries read.
        package var entries = 0
        /// The last entry's hash (the genesis hash if there are none).
        package var head = AuditEntry.genesis
        /// The first fault, if any: which entry and what is wrong.
        package var fault: String?

        package var sound: Bool { fault == nil }
    }

    package static func verify(_ records: any StaffStore, batch: Int = 1000) throws(StoreError) -> Report {
        var report = Report()
        var expectedSeq: Int64 = 1
        while true {
            let entries = try records.auditEntries(after: expectedSeq - 1, limit: batch)
            if entries.isEmpty { return report }
            for entry in entries {
                report.entries += 1
                if entry.seq != expectedSeq {
                    report.fault = "entry \(expectedSeq) is missing (the next entry is \(entry.seq))"
                    return report
                }
                if entry.expectedHash(previous: report.head) != entry.hash {
                    report.fault =
                        "entry \(entry.seq) (\(entry.action) by \(entry.actor)) does not match its hash: it was altered, or an entry before it was"
                    return report
                }
                report.head = entry.hash
                expectedSeq += 1
            }
        }
    }
}
