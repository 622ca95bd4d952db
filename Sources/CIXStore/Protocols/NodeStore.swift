/// Everything of a node's store but its private part: what pages, federation
/// and commands read and write. Both backends implement it (`SQLiteStore`,
/// `PostgresStore`); what only the node may see is `NodeVault`.
package typealias NodeStore = EventLog & IssueIndex & NodeRegistry & AttachmentStore & StorageCheck & BlockList
    & StoreCopy & DiskScrub

/// What only the node may see: residents' details, API keys and the Open311 log, staff
/// accounts and cases, residents' mail, bridges, the gazetteer, and their retention. Both
/// backends implement it; a node keeps it in the same store as its public records, so that
/// a report and its reporter's details are stored in one transaction.
package typealias NodeVault = PrivateStore & StaffStore & MailStore & BridgeStore & GazetteerStore & PrivacyStore
    & VaultCopy
