import CIXCore
import CIXSQLite
import CIXStore
import Foundation

/// `cix repair`: rebuilds a damaged store from the log it still holds, then
/// verifies the result as `cix verify` does. A SQLite store is copied into a
/// fresh file; a PostgreSQL store has its projections rebuilt in place.
///
/// Runs only while no daemon has the directory (it takes the daemon's lock),
/// since the store's file is replaced. The damaged file is kept beside the new
/// one, to be removed by the operator once the node is checked.
package enum StoreRepair {
    package struct Result: Sendable {
        /// What was copied into a fresh SQLite file; nil for a store in PostgreSQL, whose
        /// projections are rebuilt in place (its pages and indexes are PostgreSQL's to keep whole).
        package let repair: SQLiteStore.Repair?
        /// The rebuilt store, verified.
        package let report: StoreVerifier.Report
    }

    package static func repair(
        _ directory: NodeDirectory,
        now: Date = Date(),
        progress: @Sendable (String) -> Void = { _ in }
    ) async throws(NodeError) -> Result {
        let lock = try DaemonLock.acquire(directory)
        defer { withExtendedLifetime(lock) {} }
        if try NodeConfig.load(from: directory.config).store != nil {
            // One transaction under the writers' lock: safe beside the other daemons of the store.
            progress("rebuilding every projection from the log in PostgreSQL")
            let node = try LocalNode.open(directory)
            do { try node.store.rebuildProjections() } catch { throw NodeError(error) }
            progress("verifying every event of the store")
            return Result(repair: nil, report: try await StoreVerifier(store: node.store).verify())
        }
        let path = directory.store.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw NodeError(.notInitialised, "there is no store at \(path)")
        }
        let stamp = Timestamp(secondsSinceEpoch: Int64(now.timeIntervalSince1970)).description
            .replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        let repair: SQLiteStore.Repair
        do {
            repair = try SQLiteStore.repair(
                path: path,
                keepingDamagedAt: "\(path).damaged-\(stamp)",
                progress: progress
            )
        } catch {
            throw NodeError(error)
        }
        progress("verifying every event of the rebuilt store")
        let node = try LocalNode.open(directory)
        return Result(repair: repair, report: try await StoreVerifier(store: node.store).verify())
    }
}
