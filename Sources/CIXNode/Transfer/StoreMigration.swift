import CIXCore
import CIXPostgres
import CIXSQLite
import CIXStore
import Foundation

/// `cix store migrate`: copies a node's store from SQLite to PostgreSQL, or
/// back — the public records and what only the node may see (residents'
/// details, staff, cases, mail, bridges) — and verifies the copy as `cix
/// verify` does, then checks that it holds the same events, the same folded
/// states, the same known nodes and the same private rows as the original. The original is left as it was; the operator switches
/// `[store]` in `cix.toml` once the copy is verified.
///
/// Runs only while no daemon has the directory (it takes the daemon's lock), so
/// that nothing is written to the original during the copy. Events keep their
/// local sequence numbers, so nodes that pull from this one keep their cursors.
package enum StoreMigration {
    /// Where the copy goes.
    package enum Target: Sendable {
        /// Into the PostgreSQL database `[store]` would name.
        case postgres(NodeConfig.Store)
        /// Back into `store.sqlite` in the data directory.
        case sqlite
    }

    package struct Result: Sendable {
        package var events = 0
        package var keyStatements = 0
        package var descriptors = 0
        package var peers = 0
        package var blocks = 0
        package var photos = 0
        /// Private rows copied (residents' details, staff, cases, mail, bridges, places).
        package var privateRows = 0
        /// Events waiting for parents, not copied: they come again from peers.
        package var waiting = 0
        /// The copy, verified.
        package var report = StoreVerifier.Report()
        /// Where the copy differs from the original, if it does.
        package var differences: [String] = []
        package var isSound: Bool { report.isSound && differences.isEmpty }
    }

    package static func migrate(
        _ directory: NodeDirectory,
        to target: Target,
        progress: @Sendable (String) -> Void = { _ in }
    ) async throws(NodeError) -> Result {
        let lock = try DaemonLock.acquire(directory)
        defer { withExtendedLifetime(lock) {} }
        let node = try LocalNode.open(directory)
        let source = node.store
        let copy: any NodeStore & NodeVault
        switch target {
        case .postgres(let setting):
            guard node.config.store == nil else {
                throw NodeError(.invalidInput, "the node's store is in PostgreSQL already ([store] in cix.toml)")
            }
            copy = try LocalNode.openPostgres(setting, in: directory, areas: node.areas)
        case .sqlite:
            guard node.config.store != nil else {
                throw NodeError(.invalidInput, "the node's store is in SQLite already: give --to postgresql://…")
            }
            copy = node.backend
        }
        var result = Result()
        do {
            guard try copy.counts().events == 0 else {
                throw NodeError(
                    .invalidInput,
                    "the target holds \(try copy.counts().events) events already: migrate into an empty store"
                )
            }
            for table in VaultTable.all + [VaultTable.gazetteer] where try !copy.vaultRows(table).isEmpty {
                throw NodeError(
                    .invalidInput,
                    "the target holds private records already (\(table.name)): migrate into an empty store"
                )
            }
            result.waiting = try source.pendingCount()
            for statement in try source.keyStatements() {
                try copy.addKeyStatement(statement)
                result.keyStatements += 1
            }
            var cursor: Int64 = 0
            while true {
                let page = try source.events(after: cursor, limit: 2_000)
                guard let last = page.last else { break }
                try copy.appendCopied(page)
                result.events += page.count
                cursor = last.seq
                progress("copied \(result.events) events")
            }
            progress("folding every issue on the copy")
            try copy.rebuildProjections()
            for descriptor in try source.descriptors() where try copy.saveDescriptor(descriptor) {
                result.descriptors += 1
            }
            for peer in try source.peers() {
                try copy.savePeer(peer)
                try copy.recordContact(with: peer.node, cursor: peer.cursor, at: peer.lastContact ?? peer.addedAt)
                try copy.recordPushed(to: peer.node, through: peer.pushedThrough, at: peer.lastContact ?? peer.addedAt)
                if let error = peer.lastError { try copy.recordError(with: peer.node, error) }
                result.peers += 1
            }
            for blocked in try source.blockedNodes() {
                try copy.block(blocked.node, reason: blocked.reason, at: blocked.since)
                result.blocks += 1
            }
            for hash in try source.attachmentHashes() {
                guard let photo = try source.attachment(hash) else { continue }
                _ = try copy.saveAttachment(photo.bytes, type: photo.type, at: .now())
                result.photos += 1
            }
            progress("copying what only the node may see")
            for table in VaultTable.all {
                let rows = try node.vault.vaultRows(table)
                try copy.insertVaultRows(rows, into: table)
                result.privateRows += rows.count
            }
            let places = try node.vault.vaultRows(VaultTable.gazetteer).compactMap(Self.place)
            if !places.isEmpty { try copy.replaceGazetteer(places) }
            result.privateRows += places.count
            try copy.queueMail([], cursor: node.vault.mailCursor(), at: .now())
        } catch let error as NodeError {
            throw error
        } catch let error as StoreError {
            throw NodeError(error)
        } catch {
            throw NodeError(.io, "copying the store: \(error)")
        }
        progress("verifying every event of the copy")
        result.report = try await StoreVerifier(store: copy).verify()
        result.differences =
            try differences(between: source, and: copy, holder: node.id)
            + privateDifferences(between: node.vault, and: copy)
        return result
    }

    /// A gazetteer row as a place.
    static func place(_ row: [VaultValue]) -> Place? {
        guard row.count == 4, case .text(let name) = row[0], case .real(let latitude) = row[2],
            case .real(let longitude) = row[3]
        else { return nil }
        guard case .text(let kind) = row[1] else {
            return Place(name: name, kind: "", latitude: latitude, longitude: longitude)
        }
        return Place(name: name, kind: kind, latitude: latitude, longitude: longitude)
    }

    /// Which private tables the copy holds differently from the original, row for row.
    static func privateDifferences(between source: any NodeVault, and copy: any NodeVault) throws(NodeError) -> [String]
    {
        do {
            var found: [String] = []
            for table in VaultTable.all + [VaultTable.gazetteer]
            where try source.vaultRows(table) != copy.vaultRows(table) {
                found.append("the private table \(table.name) differs")
            }
            if try source.mailCursor() != copy.mailCursor() { found.append("the mail cursor differs") }
            return found
        } catch {
            throw NodeError(error)
        }
    }

    /// What the copy holds differently from the original: events, states, nodes, peers.
    static func differences(
        between source: any NodeStore,
        and copy: any NodeStore,
        holder: NodeID
    ) throws(NodeError) -> [String] {
        do {
            var found: [String] = []
            if try source.reconcilableIDs(sharedWith: nil, holder: holder)
                != copy.reconcilableIDs(sharedWith: nil, holder: holder)
            {
                found.append("the public events differ")
            }
            if try source.lastSequence() != copy.lastSequence() { found.append("the last sequence number differs") }
            if try source.projectedStates() != copy.projectedStates() { found.append("the folded states differ") }
            if try source.descriptors().map(\.node) != copy.descriptors().map(\.node) {
                found.append("the known nodes differ")
            }
            if try source.peers() != copy.peers() { found.append("the peers differ") }
            return found
        } catch {
            throw NodeError(error)
        }
    }
}
