/// The key rings of the nodes that wrote a set of events: what the fold asks
/// whether an event's key spoke for its author at the event's own `at`.
///
/// Judging by the signed time, not by when a node first saw the event, is what
/// makes every node fold the same state whatever order events and revocations
/// reach it in (`Protocol/nodes.md`, Which moment).
public struct KeyRings: Sendable {
    public private(set) var rings: [NodeID: KeyRing] = [:]

    /// Nodes without a ring here speak by their genesis key alone.
    public init(_ rings: [KeyRing] = []) {
        for ring in rings { self.rings[ring.node] = ring }
    }

    /// The rings that `statements` give, one per node they are about.
    public init(statements: [KeyStatement]) {
        self.init(Dictionary(grouping: statements, by: \.node).map { KeyRing(node: $0.key, statements: $0.value) })
    }

    /// Of `statements`, those the rings they give apply: a refused one (a `key.add` signed by a
    /// key revoked before it, say) changes nothing anywhere, so a node does not pass it on.
    public static func applied(_ statements: [KeyStatement]) -> [KeyStatement] {
        let refused = Set(KeyRings(statements: statements).rings.values.flatMap { $0.refused.map(\.statement.hash) })
        return statements.filter { !refused.contains($0.hash) }
    }

    public mutating func insert(_ ring: KeyRing) { rings[ring.node] = ring }

    /// Whether `event`'s key spoke for its author at its `at`.
    public func spoke(_ event: Event) -> Bool {
        (rings[event.author] ?? KeyRing(node: event.author)).isAuthorised(event.key, at: event.at)
    }

    /// The reason the fold gives an event whose key did not speak for its author at its time.
    public static let refusal = "the key did not speak for the author at the event's time"
}
