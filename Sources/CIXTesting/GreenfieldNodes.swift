import CIXCore
import CIXDemo
import CIXRouting

/// The Greenfield bodies as agencies with fixed keys (seed 0xB0 + 0x10 × index).
package enum GreenfieldNodes {
    package static let keys: [String: TestNode] = Dictionary(
        uniqueKeysWithValues: Greenfield.bodies.enumerated().map { index, body in
            (body.key, TestNode(name: body.key, seedStart: UInt8(0xB0 &+ 0x10 &* index)))
        }
    )

    package static func id(_ key: String) -> NodeID {
        guard let node = keys[key] else { preconditionFailure("Greenfield has no body \(key)") }
        return node.id
    }

    package static var agencies: [Agency] {
        Greenfield.bodies.map { body in
            Agency(
                node: id(body.key),
                name: body.name,
                kind: body.kind,
                categories: Set(body.categories),
                area: body.area
            )
        }
    }
}
