/// A table or index the backend's own checks found damaged, and what can be
/// done about it.
package struct StorageDamage: Sendable, Equatable, CustomStringConvertible {
    /// What the damaged part holds, which decides how it comes back.
    package enum Part: String, Sendable {
        /// An index: rebuilt from its table.
        case index
        /// A projection or the search index: rebuilt from the event log.
        case derived
        /// The log or other records held nowhere else: only a backup brings them back.
        case held
        /// Damage the check could not put in any one table (the file's own structure).
        case structure
    }

    /// The table or index, as the backend names it.
    package let object: String
    package let isIndex: Bool
    package let part: Part
    /// The backend's own words for what is wrong.
    package let detail: String

    package init(object: String, isIndex: Bool, part: Part, detail: String) {
        self.object = object
        self.isIndex = isIndex
        self.part = part
        self.detail = detail
    }

    /// Whether `cix repair` can bring it back from what the store still holds.
    package var isRepairable: Bool { part != .held }

    package var description: String {
        let name = "\(isIndex ? "index" : "table") \(object)"
        return switch part {
        case .index: "\(name) (rebuilt from its table): \(detail)"
        case .derived: "\(name) (rebuilt from the log): \(detail)"
        case .held: "\(name) (held nowhere else): \(detail)"
        case .structure: "file structure: \(detail)"
        }
    }
}

/// The backend's own consistency checks, beneath the events it holds: page
/// and b-tree structure, indexes against their tables, search indexes
/// against their content.
package protocol StorageCheck: Sendable {
    /// Every damaged part found; empty when the storage is sound.
    func checkStorage() throws(StoreError) -> [StorageDamage]
}
