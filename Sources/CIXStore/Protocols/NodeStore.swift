/// Everything of a node's store but its private part: what pages, federation
/// and commands read and write. Both backends implement it (`SQLiteStore`,
/// `PostgresStore`); what only the node may see is SQLite's (`PrivateStore`).
package typealias NodeStore = EventLog & IssueIndex & NodeRegistry & AttachmentStore & StorageCheck & BlockList
    & StoreCopy
