import CIXCore

/// Residents' mail: who follows what, the durable outbox, and how far the
/// notifier has read the log. Private to this node, like `PrivateStore`.
package protocol MailStore: Sendable {
    /// Adds a follow, or returns the one the address already has for the same issue or area.
    func addFollow(
        email: String,
        issue: String?,
        area: String?,
        token: String,
        confirmed: Bool,
        language: String,
        at moment: Timestamp
    ) throws(StoreError) -> MailFollow
    func follow(id: Int64) throws(StoreError) -> MailFollow?
    /// Marks a follow confirmed; false if there is no such follow.
    func confirmFollow(id: Int64, at moment: Timestamp) throws(StoreError) -> Bool
    /// Ends a follow; false if there was none.
    func removeFollow(id: Int64) throws(StoreError) -> Bool
    /// Confirmed follows of an issue.
    func follows(ofIssue issue: String) throws(StoreError) -> [MailFollow]
    /// Confirmed follows of any of these areas.
    func follows(ofAreas areas: [String]) throws(StoreError) -> [MailFollow]
    /// Follows an address asked for since `moment` (confirmed or not): what bounds the confirmation mails one address gets.
    func followRequests(email: String, since moment: Timestamp) throws(StoreError) -> Int

    /// The log position (`event.seq`) the notifier has read up to.
    func mailCursor() throws(StoreError) -> Int64
    /// Queues mails (a key already queued is skipped) and, in the same transaction, moves
    /// the notifier's cursor to `cursor` when given. Returns how many were new.
    @discardableResult
    func queueMail(_ mails: [QueuedMail], cursor: Int64?, at moment: Timestamp) throws(StoreError) -> Int
    /// Mails due by `moment`, oldest first, leaving out recipients already sent `perRecipientPerHour` in the last hour.
    func dueMail(at moment: Timestamp, limit: Int, perRecipientPerHour: Int) throws(StoreError) -> [OutboxMail]
    /// Notes a mail as sent; its text is emptied (its key stays, so it is never queued again).
    func markSent(_ id: Int64, at moment: Timestamp) throws(StoreError)
    /// Notes a failed attempt: tried again at `retryAt`, or given up when nil.
    func markFailed(_ id: Int64, error: String, retryAt: Timestamp?, at moment: Timestamp) throws(StoreError)
    func outboxCounts() throws(StoreError) -> OutboxCounts
}
