import CIXCanonicalJSON
import CIXCore

extension ProtocolVectors {
    /// An export file (`Protocol/export.md`) with one line of each kind a reader meets, and what a
    /// node holding nothing must answer for each: `record` for a node record taken, else the
    /// verdict word or the refusal's reason code.
    static func export() -> JSONObject {
        let council = FixedKeys.council
        let police = FixedKeys.police
        let rotated = FixedKeys.key(0xA0)
        var factory = EventFactory(start: Timestamp.fixed("2026-06-02T08:00:00Z"))
        let report = factory.report(by: council, title: "Flooded underpass", category: "flooding")
        func signed(_ content: EventBody, key: SigningKey, author: NodeID, on parent: Event, salt: UInt8) -> Event? {
            ProtocolVectors.signed(
                content,
                key: key,
                author: author,
                after: parent,
                at: "2026-06-05T10:00:00Z",
                salt: salt
            )
        }
        let unseen = factory.event(
            .comment(TextBody(text: "Not in this file")),
            by: police,
            on: report.id,
            after: [report]
        )
        let waiting = factory.event(
            .comment(TextBody(text: "Waits for its parent")),
            by: police,
            on: report.id,
            after: [unseen]
        )
        guard
            let add = councilStatements?.add,
            let forgedStatement = try? KeyStatement.make(
                .add,
                node: council.id,
                key: FixedKeys.stranger.key.publicKey,
                from: Timestamp.fixed("2026-06-01T00:00:00Z"),
                signer: FixedKeys.stranger.key
            ),
            let descriptor = try? NodeDescriptor.make(
                node: council.id,
                name: "Greenfield District Council",
                kind: .council,
                url: "https://council.greenfield.example:8443",
                version: 1,
                at: Timestamp.fixed("2026-06-01T00:00:00Z"),
                categories: ["flooding"],
                area: nil,
                signer: council.key
            ),
            let status = signed(
                .status(StatusBody(state: .investigating)),
                key: rotated,
                author: council.id,
                on: report,
                salt: 1
            ),
            let borrowed = signed(
                .comment(TextBody(text: "Signed with a key the council never added")),
                key: FixedKeys.stranger.key,
                author: council.id,
                on: report,
                salt: 2
            )
        else { return JSONObject() }
        var tampered = Array(status.bytes)
        // The signature's last hex digit changed: the event is well formed but does not verify.
        if let position = tampered.lastIndex(of: UInt8(ascii: "\"")).map({ $0 - 1 }) {
            tampered[position] = tampered[position] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        }
        func record(_ object: JSONObject) -> [UInt8] { (try? JSONValue.object(object).canonicalBytes()) ?? [] }
        let lines: [(bytes: [UInt8], result: String, why: String)] = [
            (record(add.record), "record", "a key statement: the council adds a key from 1 June"),
            (record(descriptor.record), "record", "the council's descriptor"),
            (report.bytes, "stored", "a report signed by the genesis key"),
            (status.bytes, "stored", "a status signed by the added key (line 1 comes first)"),
            (report.bytes, "duplicate", "line 3 again"),
            (waiting.bytes, "pending", "a comment whose parent is not in the file"),
            (tampered, "bad_signature", "line 4 with one digit of its signature changed"),
            (borrowed.bytes, "key_not_authorised", "signed in the council's name by a key no statement adds"),
            (Array("not json".utf8), "malformed_json", "not JSON"),
            (record(forgedStatement.record), "key_not_authorised", "a statement for the council signed by a stranger"),
        ]
        return JSONObject([
            "about":
                "An export file (Protocol/export.md), one line per entry of `lines`, read by a node that holds nothing: `results` gives, per line, `record` for a node record taken, or the verdict (`stored`, `duplicate`, `pending`) or the refusal's reason code.",
            "lines": .array(lines.map { string($0.bytes) }),
            "results": .array(
                lines.enumerated().map { index, line in
                    .object(
                        JSONObject([
                            "line": .number(Double(index + 1)), "result": .string(line.result),
                            "why": .string(line.why),
                        ])
                    )
                }
            ),
        ])
    }
}
