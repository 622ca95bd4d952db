import CIXCore
import CIXDemo
import CIXRouting
import CIXTesting
import Foundation

/// Routing decisions per second against 1,000 areas of realistic detail.
struct RoutingBenchmark {
    let polygons: Int

    func run() {
        var random = SeededGenerator(seed: 7)
        let categories = Taxonomy.categories.map(\.code)
        var agencies = GreenfieldNodes.agencies
        var vertices = 0
        for index in 0..<polygons {
            let center = Point(
                x: Double.random(in: -0.5...0.8, using: &random),
                y: Double.random(in: 51.9...52.5, using: &random)
            )
            let outline = Greenfield.blob(
                center: center,
                radiusX: Double.random(in: 0.01...0.08, using: &random),
                radiusY: Double.random(in: 0.008...0.05, using: &random),
                vertices: Int.random(in: 200...500, using: &random),
                seed: UInt64(index)
            )
            vertices += outline.count
            guard let polygon = try? Polygon(outer: outline) else { continue }
            let served = Set((0..<8).map { _ in categories.pick(using: &random) })
            agencies.append(
                Agency(
                    node: FixedKeys.key(UInt8(index % 256)).publicKey.nodeID(salt: index),
                    name: "Body \(index)",
                    kind: .council,
                    categories: served,
                    area: Area(polygons: [polygon])
                )
            )
        }
        let router = Router(agencies: agencies)
        let points = (0..<10_000).map { _ in
            (
                categories.pick(using: &random), Double.random(in: 51.9...52.5, using: &random),
                Double.random(in: -0.5...0.8, using: &random)
            )
        }
        print("routing: \(agencies.count) agencies, \(polygons) generated polygons with \(vertices) vertices in all")
        var decisions = 0
        var recipients = 0
        let started = Date()
        while Date().timeIntervalSince(started) < 3 {
            for (category, lat, lon) in points {
                recipients += router.route(category: category, latitude: lat, longitude: lon).count
                decisions += 1
            }
        }
        let seconds = Date().timeIntervalSince(started)
        print(
            String(
                format:
                    "routing decisions: %.0f per second on one core (%.2f recipients on average; target ≥ 100000/s)",
                Double(decisions) / seconds,
                Double(recipients) / Double(decisions)
            )
        )
    }
}

extension PublicKey {
    /// A distinct node id per generated body.
    func nodeID(salt: Int) -> NodeID {
        guard let id = NodeID(SHA256Hex.hash(bytes + Array(String(salt).utf8))) else {
            preconditionFailure("a hash is an id")
        }
        return id
    }
}
