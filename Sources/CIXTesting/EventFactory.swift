import CIXCanonicalJSON
import CIXCore

/// Builds signed events for tests: reports and follow-ups with correct prev and depth.
///
/// Salts and times come from a counter, so the same calls give the same events.
package struct EventFactory: Sendable {
    package var clock: Int64
    private var counter: UInt64 = 0

    package init(start: Timestamp = Timestamp.fixed("2026-01-05T09:00:00Z")) {
        self.clock = start.secondsSinceEpoch
    }

    mutating func nextSalt() -> [UInt8] {
        counter += 1
        return (0..<16).map { UInt8(truncatingIfNeeded: counter >> (8 * UInt64($0 % 8))) ^ UInt8($0) }
    }

    mutating func tick() -> Timestamp {
        clock += 60
        return Timestamp(secondsSinceEpoch: clock)
    }

    /// A report by `node`.
    package mutating func report(
        by node: TestNode,
        title: String = "Pothole on Mill Lane",
        category: String = "pothole",
        lat: Double = 52.2053,
        lon: Double = 0.1218,
        description: String? = "Deep, near the bus stop",
        attachments: [Attachment] = [],
        audience: Audience = .everyone
    ) -> Event {
        let body = ReportBody(
            title: title,
            description: description,
            category: category,
            location: Location(latitude: lat, longitude: lon),
            attachments: attachments,
            reporter: "r-\(counter)"
        )
        return sign(EventDraft(.report(body), issue: nil, prev: [], depth: 1, at: tick(), audience: audience), by: node)
    }

    /// A follow-up on `issue` whose parents are `after`, with a body given as JSON (salt added here).
    package mutating func event(
        _ kind: EventKind,
        by node: TestNode,
        on issue: EventID,
        after parents: [Event],
        body: JSONObject,
        audience: Audience = .everyone
    ) -> Event {
        var salted = body
        salted["salt"] = .string(Hex.encode(nextSalt()))
        do {
            return try EventDraft.sign(
                kind: kind,
                body: salted,
                issue: issue,
                prev: parents.map(\.id),
                depth: (parents.map(\.depth).max() ?? 0) + 1,
                at: tick(),
                audience: audience,
                with: node.key,
                author: node.id
            )
        } catch {
            preconditionFailure("test event does not sign: \(error)")
        }
    }

    /// A follow-up on `issue` whose parents are `after`.
    package mutating func event(
        _ content: EventBody,
        by node: TestNode,
        on issue: EventID,
        after parents: [Event],
        audience: Audience = .everyone
    ) -> Event {
        let draft = EventDraft(
            content,
            issue: issue,
            prev: parents.map(\.id),
            depth: (parents.map(\.depth).max() ?? 0) + 1,
            at: tick(),
            audience: audience
        )
        return sign(draft, by: node)
    }

    mutating func sign(_ draft: EventDraft, by node: TestNode) -> Event {
        do {
            return try draft.sign(with: node.key, author: node.id, salt: nextSalt())
        } catch {
            preconditionFailure("test event does not sign: \(error)")
        }
    }
}

/// Common bodies.
package enum Bodies {
    package static func text(_ text: String) -> JSONObject { JSONObject(["text": .string(text)]) }
    package static func status(_ state: AgencyStatus) -> JSONObject { JSONObject(["state": .string(state.rawValue)]) }
    package static func route(_ nodes: [NodeID], reason: String = "serves this area") -> JSONObject {
        JSONObject([
            "recipients": .array(
                nodes.sorted().map { .object(JSONObject(["node": .string($0.hex), "reason": .string(reason)])) }
            )
        ])
    }
    package static func decline(_ reason: String, refer: NodeID? = nil) -> JSONObject {
        var body = JSONObject(["reason": .string(reason)])
        if let refer { body["refer"] = .string(refer.hex) }
        return body
    }
    package static func redact(_ target: EventID, reason: String = "personal data") -> JSONObject {
        JSONObject(["target": .string(target.hex), "reason": .string(reason)])
    }
}
