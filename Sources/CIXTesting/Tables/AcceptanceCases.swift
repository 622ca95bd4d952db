import CIXCanonicalJSON
import CIXCore

/// Lines as another node might deliver them (by push, by pull, in an export
/// file), each with the verdict every inbound path must reach, in order.
package struct AcceptanceCase: Sendable, CustomStringConvertible {
    package let name: String
    package let bytes: [UInt8]
    /// stored, duplicate, pending, or the rejection's reason code.
    package let verdict: String
    package var description: String { name }

    /// The table. No event names the receiving node, so a partner-only event
    /// addressed to others must be refused wherever it arrives.
    package static func table() -> [AcceptanceCase] {
        var factory = EventFactory()
        let report = factory.report(by: FixedKeys.police, title: "Needles by the playground", category: "needles")
        let comment = factory.event(
            .comment,
            by: FixedKeys.volunteers,
            on: report.id,
            after: [report],
            body: Bodies.text("Still there")
        )
        let unknownCategory = factory.report(by: FixedKeys.police, title: "Dragons", category: "dragons")
        let secret = factory.event(
            .comment,
            by: FixedKeys.police,
            on: report.id,
            after: [report],
            body: Bodies.text("partners only"),
            audience: .partners([FixedKeys.volunteers.id])
        )
        let orphanParent = factory.report(by: FixedKeys.council, title: "Never delivered", category: "litter")
        let orphan = factory.event(
            .confirm,
            by: FixedKeys.council,
            on: orphanParent.id,
            after: [orphanParent],
            body: JSONObject()
        )
        let tampered = Array(comment.text.replacingOccurrences(of: "Still there", with: "Gone now!!!").utf8)
        let forged =
            (try? EventDraft(
                .report(
                    ReportBody(
                        title: "Forged",
                        category: "litter",
                        location: Location(latitude: 1, longitude: 2),
                        reporter: "r-9"
                    )
                ),
                issue: nil,
                prev: [],
                depth: 1,
                at: Timestamp(secondsSinceEpoch: 1_767_600_000)
            ).sign(with: FixedKeys.stranger.key, author: FixedKeys.police.id, salt: Array(repeating: 9, count: 16)))?
            .bytes ?? []
        var wrongDepth: [UInt8] = []
        if case .object(var changed)? = try? JSONParser().parse(comment.bytes) {
            changed["depth"] = 7
            wrongDepth = resign(changed, with: FixedKeys.volunteers)
        }
        let spaced = Array("{ \(comment.text.dropFirst())".utf8)
        return [
            AcceptanceCase(name: "a report", bytes: report.bytes, verdict: "stored"),
            AcceptanceCase(name: "the same report again", bytes: report.bytes, verdict: "duplicate"),
            AcceptanceCase(name: "a comment on it", bytes: comment.bytes, verdict: "stored"),
            AcceptanceCase(name: "a comment whose text was changed", bytes: tampered, verdict: "wrong_body_hash"),
            AcceptanceCase(name: "a space the canonical form does not have", bytes: spaced, verdict: "non_canonical"),
            AcceptanceCase(
                name: "signed by a key that is not the author's",
                bytes: forged,
                verdict: "key_not_authorised"
            ),
            AcceptanceCase(
                name: "a category outside the taxonomy",
                bytes: unknownCategory.bytes,
                verdict: "unknown_category"
            ),
            AcceptanceCase(name: "partner-only, for others", bytes: secret.bytes, verdict: "not_in_audience"),
            AcceptanceCase(name: "a depth its parents do not give", bytes: wrongDepth, verdict: "wrong_depth"),
            AcceptanceCase(name: "a child whose parent never comes", bytes: orphan.bytes, verdict: "pending"),
            AcceptanceCase(name: "not JSON", bytes: Array("{\"kind\":".utf8), verdict: "malformed_json"),
            AcceptanceCase(
                name: "over 64 KiB",
                bytes: Array("{\"pad\":\"\(String(repeating: "x", count: 70_000))\"}".utf8),
                verdict: "too_large"
            ),
        ]
    }

    /// The envelope re-hashed and re-signed after a change, body unchanged.
    static func resign(_ event: JSONObject, with node: TestNode) -> [UInt8] {
        var envelope = event
        envelope["id"] = nil
        envelope["sig"] = nil
        envelope["body"] = nil
        guard let covered = try? JSONValue.object(envelope).canonicalBytes() else { return [] }
        let id = SHA256Hex.hash(covered)
        var signed = event
        signed["id"] = .string(id)
        guard let eventID = EventID(id) else { return [] }
        signed["sig"] = .string(Hex.encode(node.key.sign(Event.signedMessage(for: eventID))))
        return (try? JSONValue.object(signed).canonicalBytes()) ?? []
    }
}
