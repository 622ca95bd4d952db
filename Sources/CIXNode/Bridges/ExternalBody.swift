import CIXCanonicalJSON
import CIXCore
import CIXRouting
import CIXStore
import Crypto
import Foundation

/// A body not on CIX (`[[external]]`), as this node relays for it: where and
/// for what it answers, how it is reached, and the relay identity whose
/// signed events say what it answered (`Protocol/nodes.md`, Relays).
package struct ExternalBody: Sendable {
    package let config: NodeConfig.External
    package let kind: NodeKind
    package let via: Relay.Via
    /// The key this node signs the body's relayed answers with; its hash is the relay's node id.
    package let key: SigningKey
    package let area: Area

    package var id: NodeID { NodeID(genesisKey: key.publicKey) }
    package var name: String { config.name }
    package var relay: Relay { Relay(node: id, name: config.name, kind: kind, via: via) }

    /// The relay key: HMAC-SHA256 of `cix-relay-v1:` + the body's id under this node's seal key, so
    /// that backing up `keys/` keeps every relay identity and no other file is needed.
    static func relayKey(for id: String, sealKey: SealKey) throws(NodeError) -> SigningKey {
        let code = HMAC<SHA256>.authenticationCode(
            for: Array("cix-relay-v1:\(id)".utf8),
            using: SymmetricKey(data: sealKey.raw)
        )
        do {
            return try SigningKey(seed: Array(code))
        } catch {
            throw NodeError(.badKeyFile, "cannot derive the relay key of \(id): \(error)")
        }
    }

    /// The service code the body's Open311 endpoint knows a category by: as configured, else
    /// the taxonomy's own GeoReport code (what a CIX node's Open311 serves), else the category.
    package func serviceCode(for category: String) -> String {
        config.open311_service_codes?[category] ?? Taxonomy.category(category)?.open311 ?? category
    }
}

extension LocalNode {
    /// The bodies of `[[external]]`, with their relay keys and areas. None until this node has a
    /// seal key (`cix init` makes one; `cix serve` makes it for a node made before).
    package func externalBodies() throws(NodeError) -> [ExternalBody] {
        let configured = config.external ?? []
        guard !configured.isEmpty, authors, let sealKey = try sealKey() else { return [] }
        var bodies: [ExternalBody] = []
        for body in configured {
            let url = directory.file(body.area_file)
            guard let bytes = FileManager.default.contents(atPath: url.path) else {
                throw NodeError(.badConfig, "[[external]] \(body.id): cannot read area_file \(url.path)")
            }
            // Parsed once per file content: the router asks on every report.
            let parsed = Self.externalAreas.value(for: SHA256Hex.hash(bytes)) { Self.area(bytes) }
            guard case .success(let area) = parsed else {
                let reason = if case .failure(let problem) = parsed { problem.message } else { "" }
                throw NodeError(.badConfig, "[[external]] \(body.id): area_file \(url.path): \(reason)")
            }
            bodies.append(
                ExternalBody(
                    config: body,
                    kind: NodeKind(rawValue: body.kind) ?? .other,
                    via: body.email == nil ? .open311 : .email,
                    key: try ExternalBody.relayKey(for: body.id, sealKey: sealKey),
                    area: area
                )
            )
        }
        return bodies
    }

    /// External bodies' areas, by the SHA-256 of their files.
    static let externalAreas = BoundedCache<String, Result<Area, NodeError>>(capacity: 100)

    static func area(_ bytes: Data) -> Result<Area, NodeError> {
        guard let object = try? JSONParser().parse(Array(bytes)).objectValue else {
            return .failure(NodeError(.badConfig, "not a GeoJSON object"))
        }
        do {
            return .success(try Area(geoJSON: object))
        } catch {
            return .failure(NodeError(.badConfig, "\(error)"))
        }
    }

    /// The reports sent or waiting for bodies not on CIX, newest first (`cix external`).
    package func externalDeliveries(limit: Int) throws(NodeError) -> [BridgeDelivery] {
        do { return try bridgeRecords.deliveries(to: nil, limit: limit) } catch { throw NodeError(error) }
    }
}
