import CIXCore
import Foundation

/// What only this node may see: residents' contact details, API keys and
/// the Open311 log. Nothing here is exported, federated or shown on a page;
/// the node layer is its only door (`LocalNode`), so that roles can guard it.
package protocol PrivateStore: Sendable {
    /// Appends a locally made report (and its route), its photos and its
    /// reporter's contact details in one transaction: all of them are kept,
    /// or none (an event refused by the ingest rules keeps the rest out too).
    func ingestReport(
        _ events: [Event],
        contact: ReporterContact?,
        photos: [(bytes: Data, type: String)],
        now: Timestamp
    ) throws(StoreError) -> [IngestOutcome]

    /// The contact details kept for an issue reported here.
    func contact(forIssue issue: EventID) throws(StoreError) -> ReporterContact?

    /// Issues whose reporter agreed to be contacted by the bodies handling them and that
    /// changed since their bodies were last looked at, with the issue's last log position.
    func contactsAwaitingShare(limit: Int) throws(StoreError) -> [(issue: EventID, through: Int64)]
    /// Notes that an issue's bodies were looked at up to log position `seq`.
    func markContactShared(issue: EventID, through seq: Int64) throws(StoreError)

    /// Notes that a browser (a hash of its form cookie) confirmed an issue; false if it already had.
    func claimConfirmation(issue: String, browser: String, at moment: Timestamp) throws(StoreError) -> Bool
    /// Forgets a claim whose confirmation could not be made.
    func releaseConfirmation(issue: String, browser: String) throws(StoreError)
    /// Forgets every confirmation claimed under one key (a person's erasure); returns how many.
    func forgetConfirmations(by browser: String) throws(StoreError) -> Int

    /// Stores an API key's hash under a unique name; returns its id.
    func addAPIKey(name: String, hash: String, at moment: Timestamp) throws(StoreError) -> Int64

    func apiKeys() throws(StoreError) -> [APIKey]

    /// Revokes a live key by id; true if one was revoked.
    func revokeAPIKey(id: Int64, at moment: Timestamp) throws(StoreError) -> Bool

    /// The live key with this hash, if any.
    func apiKey(hash: String) throws(StoreError) -> APIKey?

    /// Records an Open311 post in the private log. Returns false if `clientUpdateID` was already used by this key.
    @discardableResult
    func logOpen311(
        key: Int64,
        action: String,
        issue: String?,
        event: String?,
        clientUpdateID: String?,
        details: String,
        at moment: Timestamp
    ) throws(StoreError) -> Bool

    /// The event recorded for this key's client update id, if it was used.
    func open311Update(key: Int64, clientUpdateID: String) throws(StoreError) -> String?

    /// The Open311 status each of these events was posted with, by event id (events not posted
    /// through Open311 are absent): served back as posted, so a client sees its own word.
    func open311PostedStatuses(events: [String]) throws(StoreError) -> [String: String]

    /// Holds a report for a moderator; returns its id.
    func holdReport(fields: String, photos: [HeldReport.StoredPhoto], at moment: Timestamp) throws(StoreError) -> Int64
    /// Reports waiting for a moderator, oldest first.
    func heldReports() throws(StoreError) -> [HeldReport]
    func heldReport(id: Int64) throws(StoreError) -> HeldReport?
    /// Removes a held report and its photos (approved, or rejected); false if there was none.
    func dropHeldReport(id: Int64) throws(StoreError) -> Bool
}
