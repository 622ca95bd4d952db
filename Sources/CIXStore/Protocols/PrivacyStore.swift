import CIXCore

/// The life cycle of residents' data in the private tables: retention, and
/// a person's right to see and to erase what this node holds about them.
package protocol PrivacyStore: Sendable {
    /// Deletes what has run out (see `RetentionCutoffs`), in one transaction.
    func applyRetention(_ cutoffs: RetentionCutoffs) throws(StoreError) -> RetentionReport
    /// What the private tables hold about the person with this e-mail address (lower case) or phone
    /// number (compared by its digits).
    func subjectRecords(email: String?, phone: String?) throws(StoreError) -> SubjectRecords
    /// Deletes what `subjectRecords` finds (Open311 texts are emptied), in one transaction; returns what it was.
    func eraseSubject(email: String?, phone: String?) throws(StoreError) -> SubjectRecords
}
