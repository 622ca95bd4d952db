import CIXStore
import Foundation
import GRDB

extension SQLiteStore {
    /// Tables rebuilt from the log by `rebuildProjections`: the projections and
    /// the search index with its FTS5 shadow tables.
    static func isDerived(_ table: String) -> Bool {
        ["issue", "issue_state", "agency_part", "agency_answer"].contains(table) || table.hasPrefix("issue_text")
    }

    /// SQLite's `integrity_check` (pages, b-trees, every index against its
    /// table) and FTS5's own `integrity-check` of the search index, with each
    /// fault put in the table or index that holds the damaged page.
    package func checkStorage() throws(StoreError) -> [StorageDamage] {
        try writeWithoutTransaction("checking the database file") { db in
            var damage: [StorageDamage] = []
            var messages = Self.integrityMessages(db)
            if !messages.isEmpty {
                // SQLite ends a check that met damage with its generic words; they add nothing to named faults.
                let generic = "database disk image is malformed"
                if messages.contains(where: { $0 != generic }) { messages.removeAll { $0 == generic } }
                let objects = try Self.objects(db)
                let (owners, unreadable) = Self.pageOwners(db, objects: objects)
                for (name, reason) in unreadable.sorted(by: { $0.key < $1.key }) {
                    damage.append(
                        StorageDamage(
                            object: name,
                            isIndex: objects[name]?.type == "index",
                            part: Self.part(of: name, objects: objects),
                            detail: "its pages cannot be read (\(reason))"
                        )
                    )
                }
                for message in messages {
                    let name = Self.object(named: message, objects: objects, owners: owners)
                    let item = StorageDamage(
                        object: name ?? "",
                        isIndex: name.flatMap { objects[$0]?.type } == "index",
                        part: name.map { Self.part(of: $0, objects: objects) } ?? .structure,
                        detail: message
                    )
                    if !damage.contains(where: { $0.object == item.object && item.object != "" }) {
                        damage.append(item)
                    }
                }
            }
            do {
                try db.execute(sql: "INSERT INTO issue_text(issue_text) VALUES ('integrity-check')")
            } catch {
                if !damage.contains(where: { $0.object.hasPrefix("issue_text") }) {
                    damage.append(
                        StorageDamage(
                            object: "issue_text",
                            isIndex: false,
                            part: .derived,
                            detail: "the search index does not match its content (\(Self.reason(error)))"
                        )
                    )
                }
            }
            return damage
        }
    }

    /// What `integrity_check` says is wrong, up to 100 faults. On a badly damaged
    /// file the check itself can fail part way: the faults read until then are kept,
    /// and the failure is one more.
    static func integrityMessages(_ db: Database) -> [String] {
        var messages: [String] = []
        do {
            let rows = try String.fetchCursor(db, sql: "PRAGMA main.integrity_check(100)")
            // A row may hold several faults, a line each.
            while let text = try rows.next() {
                for line in text.split(separator: "\n").map(String.init)
                where line != "ok" && !line.hasPrefix("*** in database") {
                    messages.append(line)
                }
            }
        } catch {
            messages.append(reason(error))
        }
        return messages
    }

    /// Every table and index with a b-tree of its own: name, type and owning table.
    static func objects(_ db: Database) throws -> [String: (type: String, table: String, root: Int)] {
        var objects: [String: (type: String, table: String, root: Int)] = [:]
        for row in try Row.fetchAll(
            db,
            sql: "SELECT name, type, tbl_name, rootpage FROM sqlite_schema WHERE type IN ('table', 'index')"
        ) {
            objects[row["name"]] = (row["type"], row["tbl_name"], row["rootpage"] ?? 0)
        }
        objects["sqlite_schema"] = ("table", "sqlite_schema", 1)
        return objects
    }

    /// Which object each page belongs to, found by walking each b-tree on its own
    /// (`dbstat`); a tree too damaged to walk is left out, and its faults are
    /// found by the root page or the name `integrity_check` gives.
    static func pageOwners(
        _ db: Database,
        objects: [String: (type: String, table: String, root: Int)]
    ) -> (owners: [Int: String], unreadable: [String: String]) {
        var owners: [Int: String] = [:]
        var unreadable: [String: String] = [:]
        for name in objects.keys.sorted() where objects[name]?.root != 0 {
            do {
                for page in try Int.fetchAll(db, sql: "SELECT pageno FROM dbstat WHERE name = ?", arguments: [name]) {
                    owners[page] = name
                }
            } catch {
                unreadable[name] = reason(error)
            }
        }
        return (owners, unreadable)
    }

    /// The object a message of `integrity_check` is about: one it names
    /// (`index X`, `NULL value in T.C`), or the one owning the page it gives.
    static func object(
        named message: String,
        objects: [String: (type: String, table: String, root: Int)],
        owners: [Int: String]
    ) -> String? {
        if let match = message.firstMatch(of: /\b(?:index|in) ([A-Za-z_][A-Za-z0-9_]*)/),
            objects[String(match.1)] != nil
        {
            return String(match.1)
        }
        if let match = message.firstMatch(of: /\b[Tt]ree (\d+)/), let root = Int(match.1),
            let name = objects.first(where: { $0.value.root == root })?.key
        {
            return name
        }
        if let match = message.firstMatch(of: /page (\d+)/), let page = Int(match.1) {
            return owners[page]
        }
        return nil
    }

    static func part(of name: String, objects: [String: (type: String, table: String, root: Int)]) -> StorageDamage.Part
    {
        guard let object = objects[name] else { return .structure }
        if isDerived(object.table) { return .derived }
        if object.type == "index" { return .index }
        return name == "sqlite_schema" ? .structure : .held
    }

    /// SQLite's words for a failure, without the statement.
    static func reason(_ error: any Error) -> String {
        (error as? DatabaseError)?.message ?? "\(error)"
    }
}
