import CIXCanonicalJSON
import CIXCore
import CIXPostgres
import CIXRouting
import CIXSQLite
import CIXStore
import Foundation

/// A node opened from its data directory: its config, its signing key and its store.
package struct LocalNode: Sendable {
    package let directory: NodeDirectory
    package let config: NodeConfig
    package let key: SigningKey
    package let id: NodeID
    /// The signed records and what derives from them: log, projections, known nodes, photos.
    package let store: any NodeStore
    /// What only this node may see (residents' contacts, API keys, the Open311 log, staff,
    /// mail, bridges); pages and services reach it through this node's methods, so that
    /// roles can guard it. In the same store as `store`: SQLite's file, or PostgreSQL when
    /// `[store]` says so.
    package let vault: any NodeVault
    /// The SQLite file beside the config (`store.sqlite`), for its own upkeep (checkpoints,
    /// sync mode, scrubbing): it holds the whole store unless `[store]` puts it in PostgreSQL.
    package let backend: SQLiteStore
    /// The named areas staff work by (`[staff] areas_file`); none if not set.
    package let areas: NamedAreas
    /// Which daemon sharing the store does which work (one per peer's pulls).
    package let leases: any WorkLeases

    /// The node's TLS certificate (PEM): what peers pin with `cix peer add --ca`.
    package var certificatePEM: String {
        (try? String(contentsOf: directory.certificate, encoding: .utf8)) ?? ""
    }

    /// Whether this node may author events (a mirror may not).
    package var authors: Bool { config.kind != .mirror }

    /// Whether the store is a read-only replica (a PostgreSQL standby): the daemon then serves
    /// pages, API and pulls by others, and runs no loop that writes.
    package var readsReplica: Bool { (store as? PostgresStore)?.isReplica ?? false }

    /// Opens the node in `directory`.
    /// `backgroundCheckpoints` is for the daemon: see `Store.init`.
    package static func open(
        _ directory: NodeDirectory,
        backgroundCheckpoints: Bool = false
    ) throws(NodeError) -> LocalNode {
        let config = try NodeConfig.load(from: directory.config)
        let key = try readKey(directory.keyFile)
        let areas = try readAreas(config.staff?.areas_file, in: directory)
        let local: SQLiteStore
        do {
            local = try SQLiteStore(
                path: directory.store.path,
                backgroundCheckpoints: backgroundCheckpoints,
                areas: areas.locator
            )
        } catch {
            throw NodeError(error)
        }
        let postgres = try config.store.map { setting throws(NodeError) in
            try openPostgres(setting, in: directory, areas: areas)
        }
        return LocalNode(
            directory: directory,
            config: config,
            key: key,
            id: try readNodeID(directory, key: key),
            store: postgres ?? local,
            vault: postgres.map { $0 as any NodeVault } ?? local,
            backend: local,
            areas: areas,
            leases: postgres?.leases() ?? SoleDaemon()
        )
    }

    /// Opens the PostgreSQL store `[store]` names; a problem stops the node, naming the setting.
    static func openPostgres(
        _ setting: NodeConfig.Store,
        in directory: NodeDirectory,
        areas: NamedAreas
    ) throws(NodeError) -> PostgresStore {
        if let connections = setting.connections, !(1...100).contains(connections) {
            throw NodeError(.badConfig, "[store] connections must be 1 to 100, not \(connections)")
        }
        if let seconds = setting.request_query_seconds, !(0...3_600).contains(seconds) {
            throw NodeError(.badConfig, "[store] request_query_seconds must be 0 (no bound) to 3600, not \(seconds)")
        }
        do {
            return try PostgresStore.open(
                url: setting.url,
                passwordFile: setting.password_file.map { directory.file($0).path },
                areas: areas.locator,
                connections: setting.connections ?? 8
            )
        } catch {
            throw NodeError(error)
        }
    }

    /// Reads `[staff] areas_file` (relative to the data directory); a problem stops the node, naming the setting.
    static func readAreas(_ file: String?, in directory: NodeDirectory) throws(NodeError) -> NamedAreas {
        guard let file else { return .none }
        let url = directory.file(file)
        guard let bytes = FileManager.default.contents(atPath: url.path) else {
            throw NodeError(.badConfig, "[staff] areas_file: cannot read \(url.path)")
        }
        do {
            return try NamedAreas(geoJSON: Array(bytes))
        } catch {
            throw NodeError(.badConfig, "[staff] areas_file \(url.path): \(error.message)")
        }
    }

    /// Makes a new node: signing key (a new one unless given: benchmarks give a
    /// fixed one), config, self-signed TLS certificate, and a store holding the
    /// node's own signed descriptor. Refuses to overwrite.
    package static func create(
        in directory: NodeDirectory,
        name: String,
        kind: NodeKind,
        url: String,
        listen: String?,
        web: WebConfig? = nil,
        allowPrivateAddresses: Bool = false,
        store: NodeConfig.Store? = nil,
        key: SigningKey = SigningKey(),
        now: Timestamp
    ) throws(NodeError) -> LocalNode {
        guard !directory.exists else {
            throw NodeError(
                .alreadyInitialised,
                "a node already exists in \(directory.root.path); refusing to overwrite it"
            )
        }
        guard let parsed = URL(string: url), parsed.scheme == "https", let host = parsed.host, !host.isEmpty else {
            throw NodeError(.invalidInput, "--url must be https://HOST[:PORT], not \(url)")
        }
        guard (1...200).contains(name.count) else {
            throw NodeError(.invalidInput, "--name must be 1 to 200 characters")
        }
        var config = NodeConfig(
            node: .init(name: name, kind: kind.rawValue, url: url),
            server: .init(
                listen: listen ?? "127.0.0.1:\(parsed.port ?? 8443)",
                tls_certificate: "tls/cert.pem",
                tls_key: "tls/key.pem"
            )
        )
        config.web = web
        if allowPrivateAddresses { config.federation = .init(allow_private_addresses: true) }
        config.store = store
        if let store {
            // Refused before anything is written, so that a wrong URL leaves no half-made node,
            // nor a node sharing another node's store.
            let database = try openPostgres(store, in: directory, areas: .none)
            defer { database.close() }
            let empty: Bool
            do {
                let events = try database.counts().events
                let nodes = try database.descriptors()
                empty = events == 0 && nodes.isEmpty
            } catch {
                throw NodeError(error)
            }
            guard empty else {
                throw NodeError(
                    .invalidInput,
                    "the PostgreSQL database at \(store.url) holds another node's store: give each node a database of its own"
                )
            }
        }
        let (certificate, certificateKey) = try SelfSignedCertificate.make(commonName: name, host: host, now: now.date)
        try directory.write(Hex.encode(key.seed) + "\n", to: directory.keyFile, secret: true)
        if kind != .mirror {
            try directory.write(Hex.encode(SealKey().raw) + "\n", to: directory.sealKeyFile, secret: true)
        }
        try directory.write(certificateKey, to: directory.certificateKey, secret: true)
        try directory.write(certificate, to: directory.certificate, secret: false)
        try directory.write(config.rendered(), to: directory.config, secret: false)
        let node = try open(directory)
        try node.publishDescriptor(now: now)
        return node
    }

    /// Signs a new descriptor from the config and keeps it in the store; peers
    /// fetch it on their next contact. Categories and area not given stay as they were.
    package func publishDescriptor(
        now: Timestamp,
        categories: [String]? = nil,
        area: JSONObject?? = nil
    ) throws(NodeError) {
        let held = try? store.descriptor(of: id)
        let sealKey = authors ? try sealKey()?.publicHex : nil
        let relays = try externalBodies().map(\.relay)
        do {
            let descriptor = try NodeDescriptor.make(
                node: id,
                name: config.node.name,
                kind: config.kind,
                url: config.node.url,
                version: (held?.version ?? 0) + 1,
                at: now,
                categories: categories ?? held?.categories ?? [],
                area: area ?? held?.area,
                audit: try staffRecords.auditHead(),
                sealKey: sealKey,
                relays: relays,
                signer: key
            )
            try store.saveDescriptor(descriptor)
        } catch {
            throw NodeError(.io, "cannot publish the node descriptor: \(error)")
        }
    }

    /// Signs a new descriptor if the staff audit trail moved since the held one, and that one
    /// is at least `minimumAge` seconds old (peers need not fetch a new version on every click).
    @discardableResult
    package func publishDescriptorIfAuditMoved(now: Timestamp, minimumAge: Int64 = 600) throws(NodeError) -> Bool {
        let head: AuditHead
        do { head = try staffRecords.auditHead() } catch { throw NodeError(error) }
        guard let held = try ownDescriptor(), held.audit != head,
            now.secondsSinceEpoch - held.at.secondsSinceEpoch >= minimumAge
        else { return false }
        try publishDescriptor(now: now)
        return true
    }

    /// The log of request nonces this node has accepted, for replay protection across restarts
    /// and across the daemons sharing a store: the PostgreSQL store's, or `replay.sqlite`.
    package func openNonceLog() throws(NodeError) -> any NonceLog {
        // Daemons sharing a PostgreSQL primary share its nonces; a replica takes no writes, so a
        // daemon reading one keeps its own beside its config, as a node on SQLite does.
        if let postgres = store as? PostgresStore, !postgres.isReplica { return postgres }
        do {
            return try SQLiteNonceLog(
                path: directory.root.appendingPathComponent("replay.sqlite").path,
                health: backend.writeHealth
            )
        } catch {
            throw NodeError(error)
        }
    }

    /// The ids of known nodes (peers, and nodes whose descriptors are held) that start with `prefix`.
    package func knownNodes(startingWith prefix: String) throws(NodeError) -> [NodeID] {
        do {
            let ids = Set(try store.descriptors().map(\.node) + store.peers().map(\.node))
            return ids.filter { $0.hex.hasPrefix(prefix) }.sorted()
        } catch {
            throw NodeError(error)
        }
    }

    /// The node id: in `keys/node.id` once the key was rotated, else the genesis key's hash.
    static func readNodeID(_ directory: NodeDirectory, key: SigningKey) throws(NodeError) -> NodeID {
        guard let text = try? String(contentsOf: directory.nodeIDFile, encoding: .utf8) else {
            return NodeID(genesisKey: key.publicKey)
        }
        guard let id = NodeID(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw NodeError(.badKeyFile, "\(directory.nodeIDFile.path) does not hold a node id (64 hex digits)")
        }
        return id
    }

    static func readKey(_ url: URL) throws(NodeError) -> SigningKey {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw NodeError(.notInitialised, "no signing key at \(url.path); run `cix init` first")
        }
        guard let seed = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines), count: 32),
            let key = try? SigningKey(seed: seed)
        else { throw NodeError(.badKeyFile, "\(url.path) does not hold a 32-byte hex key seed") }
        return key
    }
}

extension NamedAreas {
    /// The areas as the store keeps them per issue.
    package var locator: AreaLocator {
        AreaLocator(fingerprint: fingerprint) { longitude, latitude in names(longitude: longitude, latitude: latitude) }
    }
}
