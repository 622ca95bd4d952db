/// Everything of a node's store but its private part: what pages, federation
/// and commands read and write. A backend (`SQLiteStore`, later PostgreSQL)
/// implements this and `PrivateStore`.
package typealias NodeStore = EventLog & IssueIndex & NodeRegistry & AttachmentStore & StorageCheck & BlockList
