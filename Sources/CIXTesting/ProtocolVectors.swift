import CIXCanonicalJSON
import CIXCore
import CIXFederation
import Foundation

/// Generates the files in `Protocol/vectors/` from fixed seeds, salts and times.
///
/// `swift run cix-bench vectors Protocol/vectors` writes them; a test checks
/// that the committed files equal what this produces, and other tests check
/// every intermediate value in them independently.
package enum ProtocolVectors {
    package static func files() -> [(String, String)] {
        [
            ("events.json", PrettyJSON.render(.object(events()))),
            ("fold.json", PrettyJSON.render(.object(fold()))),
            ("canonical-json.json", PrettyJSON.render(.object(canonicalJSON()))),
            ("nodes.json", PrettyJSON.render(.object(nodes()))),
            ("http-signature.json", PrettyJSON.render(.object(httpSignature()))),
            ("reconcile.json", PrettyJSON.render(.object(reconcile()))),
            ("reconcile-sum.json", PrettyJSON.render(.object(reconcileSum()))),
            ("reconcile-authors.json", PrettyJSON.render(.object(reconcileAuthors()))),
            ("export.json", PrettyJSON.render(.object(export()))),
            ("contact.json", PrettyJSON.render(.object(contact()))),
        ]
    }

    package static func write(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var sums = ""
        for (name, text) in files() {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
            sums += "\(SHA256Hex.hash(Array(text.utf8)))  \(name)\n"
        }
        try Data(sums.utf8).write(to: folder.appendingPathComponent("SHA256SUMS"))
        let examples = folder.deletingLastPathComponent().appendingPathComponent("examples")
        try FileManager.default.createDirectory(at: examples, withIntermediateDirectories: true)
        var written = Set<EventKind>()
        for event in storyEvents().events + [contactStory().contact] where written.insert(event.kind).inserted {
            guard case .object(let object)? = try? JSONParser().parse(event.bytes) else { continue }
            let file = examples.appendingPathComponent("\(event.kind.rawValue).json")
            try Data(PrettyJSON.render(.object(object)).utf8).write(to: file)
            // The exact bytes that are signed and sent, with no line feed after them.
            let canonical = examples.appendingPathComponent("\(event.kind.rawValue).canonical.json")
            try Data(event.bytes).write(to: canonical)
        }
    }

    static let cast = [FixedKeys.council, FixedKeys.police, FixedKeys.volunteers, FixedKeys.stranger]

    static func string(_ bytes: [UInt8]) -> JSONValue { .string(String(decoding: bytes, as: UTF8.self)) }

    /// The story used for per-kind vectors and the first fold set: a report
    /// routed to the council and the police, answered by each, referred on to
    /// volunteers, with every other kind of event once.
    static func storyEvents() -> (events: [Event], salts: [[UInt8]]) {
        // Salts come from EventFactory's counter; they are recorded in each vector's input.
        var factory = EventFactory()
        let council = FixedKeys.council
        let police = FixedKeys.police
        let volunteers = FixedKeys.volunteers
        let report = factory.report(
            by: council,
            title: "Youths throwing stones at the bus shelter",
            category: "antisocial_behaviour",
            lat: 52.2059,
            lon: 0.119,
            description: "Most evenings after 9pm, Market Square shelter"
        )
        let route = factory.event(
            .route,
            by: council,
            on: report.id,
            after: [report],
            body: Bodies.route([council.id, police.id], reason: "area and category match")
        )
        let accept = factory.event(
            .accept,
            by: police,
            on: report.id,
            after: [route],
            body: JSONObject(["note": "Neighbourhood team informed"])
        )
        let status = factory.event(
            .status,
            by: police,
            on: report.id,
            after: [accept],
            body: JSONObject(["state": "in_progress", "note": "Extra patrols this week"])
        )
        let decline = factory.event(
            .decline,
            by: council,
            on: report.id,
            after: [route],
            body: Bodies.decline("Youth outreach is run by the volunteers", refer: volunteers.id)
        )
        let volunteersAccept = factory.event(
            .accept,
            by: volunteers,
            on: report.id,
            after: [decline],
            body: JSONObject()
        )
        let confirm = factory.event(
            .confirm,
            by: council,
            on: report.id,
            after: [status, volunteersAccept],
            body: JSONObject(["note": "Seen again on Friday"])
        )
        let comment = factory.event(
            .comment,
            by: volunteers,
            on: report.id,
            after: [confirm],
            body: Bodies.text("We will open the youth club on Friday nights")
        )
        let solution = factory.event(
            .solution,
            by: council,
            on: report.id,
            after: [comment],
            body: Bodies.text("Better lighting in the square")
        )
        let offer = factory.event(
            .offer,
            by: volunteers,
            on: report.id,
            after: [solution],
            body: JSONObject([
                "what": "Two volunteers for Friday nights", "when": "Fridays 7pm to 10pm",
                "by": "Greenfield Volunteers",
            ])
        )
        let edit = factory.event(
            .edit,
            by: council,
            on: report.id,
            after: [offer],
            body: JSONObject(["tags": .array(["evenings", "market_square"])])
        )
        let redact = factory.event(
            .redact,
            by: volunteers,
            on: report.id,
            after: [edit],
            body: Bodies.redact(comment.id, reason: "posted by mistake")
        )
        let transfer = factory.event(
            .transfer,
            by: police,
            on: report.id,
            after: [redact],
            body: JSONObject(["to": .string(volunteers.id.hex), "reason": "Handled by the outreach scheme"])
        )
        let duplicate = factory.event(
            .duplicate,
            by: council,
            on: report.id,
            after: [transfer],
            body: JSONObject(["of": .string(String(repeating: "ab", count: 32)), "node": .string(police.id.hex)])
        )
        let events = [
            report, route, accept, status, decline, volunteersAccept, confirm, comment, solution, offer, edit, redact,
            transfer, duplicate,
        ]
        return (events, [])
    }

    static func events() -> JSONObject {
        let keys: [JSONValue] = cast.map { node in
            .object(
                JSONObject([
                    "name": .string(node.name), "seed": .string(Hex.encode(node.seed)),
                    "public_key": .string(node.key.publicKey.hex), "node_id": .string(node.id.hex),
                ])
            )
        }
        var valid: [JSONValue] = []
        var seenKinds = Set<EventKind>()
        for event in storyEvents().events where seenKinds.insert(event.kind).inserted || event.kind == .accept {
            valid.append(.object(intermediate(event, name: event.kind.rawValue)))
        }
        var factory = EventFactory(start: Timestamp.fixed("2026-04-01T08:00:00Z"))
        let partner = factory.report(
            by: FixedKeys.police,
            title: "Suspected drug dealing behind the garages",
            category: "drug_dealing",
            audience: .partners([FixedKeys.council.id])
        )
        valid.append(.object(intermediate(partner, name: "partner-only issue.report")))
        var skeleton = intermediate(partner, name: "redacted issue.report (no body)")
        skeleton["event"] = string(partner.withoutBody().bytes)
        valid.append(.object(skeleton))
        let sealed = contactStory().contact
        valid.append(.object(intermediate(sealed, name: "contact (sealed to the police alone)")))
        guard case .object(let sealedObject)? = try? JSONParser().parse(sealed.bytes) else { return JSONObject() }

        let base = factory.report(by: FixedKeys.council, title: "Bins not collected", category: "bins")
        guard case .object(let object)? = try? JSONParser().parse(base.bytes) else { return JSONObject() }
        func resigned(_ changed: JSONObject, key: SigningKey = FixedKeys.council.key) -> JSONValue {
            var changed = changed
            let covered = changed.removing(["id", "sig", "body"])
            let id = SHA256Hex.hash((try? JSONValue.object(covered).canonicalBytes()) ?? [])
            changed["id"] = .string(id)
            changed["sig"] = .string(Hex.encode(key.sign(Array((Event.signaturePrefix + id).utf8))))
            return string((try? JSONValue.object(changed).canonicalBytes()) ?? [])
        }
        func raw(_ changed: JSONObject) -> JSONValue { string((try? JSONValue.object(changed).canonicalBytes()) ?? []) }
        func with(_ name: String, _ value: JSONValue?) -> JSONObject {
            var copy = object
            copy[name] = value
            return copy
        }
        var body = object["body"]?.objectValue ?? JSONObject()
        body["title"] = "Bins collected"
        var bigBody = object["body"]?.objectValue ?? JSONObject()
        bigBody["description"] = .string(String(repeating: "a", count: 7_000))
        var repeatedTag = object["body"]?.objectValue ?? JSONObject()
        repeatedTag["tags"] = .array(["road", "road"])
        let signature = object["sig"]?.stringValue ?? ""
        func readdressed(_ audience: JSONValue) -> JSONObject {
            var copy = sealedObject
            copy["audience"] = audience
            return copy
        }
        let twoNodes = JSONValue.array(
            [FixedKeys.police.id.hex, FixedKeys.volunteers.id.hex].sorted().map { .string($0) }
        )
        let invalid: [(String, JSONValue, CoreError.Code)] = [
            (
                "extra whitespace", .string(base.text.replacingOccurrences(of: ",\"cix\"", with: ", \"cix\"")),
                .nonCanonical
            ),
            (
                "members out of order",
                .string("{\"cix\":1," + base.text.dropFirst().replacingOccurrences(of: ",\"cix\":1,", with: ",")),
                .nonCanonical
            ),
            (
                "duplicate member name",
                .string(
                    base.text.replacingOccurrences(of: "{\"at\":", with: "{\"at\":\"2026-01-01T00:00:00Z\",\"at\":")
                ), .malformedJSON
            ),
            ("truncated", .string(String(base.text.dropLast(3))), .malformedJSON),
            ("body changed after signing", raw(with("body", .object(body))), .wrongBodyHash),
            ("envelope changed after signing", raw(with("at", "2030-01-01T00:00:00Z")), .wrongID),
            (
                "signature by another key",
                raw(
                    with(
                        "sig",
                        .string(
                            Hex.encode(FixedKeys.stranger.key.sign(Array((Event.signaturePrefix + base.id.hex).utf8)))
                        )
                    )
                ), .badSignature
            ),
            (
                "signature with one bit flipped",
                raw(with("sig", .string((signature.hasPrefix("0") ? "1" : "0") + signature.dropFirst()))), .badSignature
            ),
            (
                "small-order public key",
                resigned(with("key", "0100000000000000000000000000000000000000000000000000000000000000")), .invalidKey
            ),
            (
                "non-canonical public key",
                resigned(with("key", "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")), .invalidKey
            ),
            ("unknown kind", resigned(with("kind", "issue.delete")), .unknownKind),
            ("missing member", resigned(with("at", nil)), .schema),
            ("unknown member", resigned(with("priority", "high")), .schema),
            ("wrong protocol version", resigned(with("cix", 2)), .schema),
            ("report with a parent", resigned(with("prev", .array([.string(base.id.hex)]))), .schema),
            (
                "prev out of order",
                resigned(with("prev", .array([.string(String(repeating: "f", count: 64)), .string(base.id.hex)]))),
                .schema
            ),
            ("repeated tag", raw(with("body", .object(repeatedTag))), .schema),
            ("public contact", resigned(readdressed("public")), .schema),
            ("contact addressed to a node besides its recipient", resigned(readdressed(twoNodes)), .schema),
            (
                "upper-case hex",
                .string(base.text.replacingOccurrences(of: base.id.hex, with: base.id.hex.uppercased())), .schema
            ),
            (
                "too large",
                raw(with("body", .object(JSONObject(["pad": .string(String(repeating: "x", count: 70_000))])))),
                .tooLarge
            ),
        ]
        return JSONObject([
            "about":
                "CIX v1 event vectors. Keys come from the seeds given; salts and times are fixed. Every valid event lists each intermediate value; every invalid event names the first check it fails (Protocol/events.md, section Verification).",
            "keys": .array(keys), "valid": .array(valid),
            "invalid": .array(
                invalid.map {
                    .object(JSONObject(["name": .string($0.0), "event": $0.1, "error": .string($0.2.rawValue)]))
                }
            ),
        ])
    }

    /// Every value a re-implementation computes on the way from inputs to the signed event.
    static func intermediate(_ event: Event, name: String) -> JSONObject {
        guard case .object(let object)? = try? JSONParser().parse(event.bytes) else { return JSONObject() }
        let body = object["body"]?.objectValue ?? JSONObject()
        let covered = object.removing(["id", "sig", "body"])
        let signer = cast.first { $0.id == event.author }?.name ?? ""
        var input = covered.removing(["body_hash"])
        input["body"] = .object(body.removing(["salt"]))
        input["salt"] = body["salt"]
        return JSONObject([
            "name": .string(name), "signer": .string(signer), "input": .object(input),
            "body_canonical": string((try? JSONValue.object(body).canonicalBytes()) ?? []),
            "body_hash": .string(event.bodyHash),
            "envelope_canonical": string((try? JSONValue.object(covered).canonicalBytes()) ?? []),
            "id": .string(event.id.hex), "signed_message": string(Event.signedMessage(for: event.id)),
            "sig": .string(Hex.encode(event.signature)), "event": string(event.bytes),
        ])
    }

    static func fold() -> JSONObject {
        func set(_ name: String, _ events: [Event], statements: [KeyStatement] = []) -> JSONValue {
            let keys = KeyRings(statements: statements)
            let state =
                IssueFold.fold(events, keys: keys).map { String(decoding: $0.canonicalBytes(), as: UTF8.self) } ?? ""
            var object = JSONObject([
                "name": .string(name), "events": .array(events.map { string($0.bytes) }), "state": .string(state),
            ])
            if !statements.isEmpty {
                object["key_statements"] = .array(
                    statements.map { string((try? JSONValue.object($0.record).canonicalBytes()) ?? []) }
                )
            }
            return .object(object)
        }
        var factory = EventFactory(start: Timestamp.fixed("2026-05-01T08:00:00Z"))
        let report = factory.report(by: FixedKeys.council, title: "Flooded underpass", category: "flooding")
        let strangerStatus = factory.event(
            .status,
            by: FixedKeys.stranger,
            on: report.id,
            after: [report],
            body: Bodies.status(.fixed)
        )
        let strangerEdit = factory.event(
            .edit,
            by: FixedKeys.stranger,
            on: report.id,
            after: [report],
            body: JSONObject(["title": "Nothing to see"])
        )
        let councilStatus = factory.event(
            .status,
            by: FixedKeys.council,
            on: report.id,
            after: [strangerStatus, strangerEdit],
            body: Bodies.status(.scheduled)
        )
        return JSONObject([
            "about":
                "Sets of events with the state every node must compute from them (canonical JSON, Protocol/fold.md). The order of events in a set is irrelevant.",
            "sets": .array([
                set("routing story", storyEvents().events),
                set(
                    "rule-breaking events are kept without effect",
                    [report, strangerStatus, strangerEdit, councilStatus]
                ),
                set("concurrent random events", RandomIssue.events(count: 30, seed: 2026)),
                revokedKeySet(set),
            ]),
        ])
    }

    /// The council's genesis key is revoked from 1 July by the key it added from 1 June (the
    /// statements of nodes.json): its status of 2 July counts for nothing, the new key's of 3 July
    /// applies, and so does a status the genesis key signed on 30 June.
    static func revokedKeySet(_ set: (String, [Event], [KeyStatement]) -> JSONValue) -> JSONValue {
        let council = FixedKeys.council
        let rotated = FixedKeys.key(0xA0)
        var factory = EventFactory(start: Timestamp.fixed("2026-05-01T08:00:00Z"))
        let report = factory.report(by: council, title: "Flooded underpass", category: "flooding")
        func status(_ state: AgencyStatus, at: String, key: SigningKey, after parent: Event, salt: UInt8) -> Event? {
            signed(.status(StatusBody(state: state)), key: key, author: council.id, after: parent, at: at, salt: salt)
        }
        guard
            let (add, revoke) = councilStatements,
            let before = status(.investigating, at: "2026-06-30T12:00:00Z", key: council.key, after: report, salt: 1),
            let after = status(.fixed, at: "2026-07-02T12:00:00Z", key: council.key, after: before, salt: 2),
            let renewed = status(.scheduled, at: "2026-07-03T12:00:00Z", key: rotated, after: after, salt: 3)
        else { return .null }
        return set("a revoked key's later events count for nothing", [report, before, after, renewed], [add, revoke])
    }

    /// `content` after `parent` in its issue, signed by `key` in `author`'s name at a fixed time and salt:
    /// what the vectors need beyond `EventFactory` (another key than the author's genesis key).
    static func signed(
        _ content: EventBody,
        key: SigningKey,
        author: NodeID,
        after parent: Event,
        at: String,
        salt: UInt8
    ) -> Event? {
        try? EventDraft(
            content,
            issue: parent.issue,
            prev: [parent.id],
            depth: parent.depth + 1,
            at: Timestamp.fixed(at),
            audience: .everyone
        ).sign(with: key, author: author, salt: [UInt8](repeating: salt, count: 16))
    }

    /// The statements nodes.json, fold.json and export.json share: the council adds the key of seed
    /// a0 from 1 June, and that key revokes the genesis key from 1 July.
    static var councilStatements: (add: KeyStatement, revoke: KeyStatement)? {
        let (council, rotated) = (FixedKeys.council, FixedKeys.key(0xA0))
        guard
            let add = try? KeyStatement.make(
                .add,
                node: council.id,
                key: rotated.publicKey,
                from: Timestamp.fixed("2026-06-01T00:00:00Z"),
                signer: council.key
            ),
            let revoke = try? KeyStatement.make(
                .revoke,
                node: council.id,
                key: council.key.publicKey,
                from: Timestamp.fixed("2026-07-01T00:00:00Z"),
                signer: rotated
            )
        else { return nil }
        return (add, revoke)
    }

    static func canonicalJSON() -> JSONObject {
        let valid = [
            #"{"b":2,"a":1}"#, #"[1.0,-0,1E2,0.000001,1e-7,1e21,1.2345678901234568e20]"#,
            #"{"\u00e9":1,"e":2,"\ud83d\ude02":3,"\ufb33":4}"#, #"["\u001f\u007f\/\"\\"]"#, #"{"a":{"c":[],"b":{}}}"#,
            #"[9007199254740991,-9007199254740991,5e-324,1.7976931348623157e308]"#, "\"A\\u030a\"",
        ]
        let invalid: [(String, String)] = [
            (#"{"a":1,"a":2}"#, "duplicate_key"), (#"["\ud800"]"#, "lone_surrogate"),
            ("[9007199254740992]", "number_out_of_range"),
            ("[1e999]", "number_out_of_range"), ("[1e-999]", "number_out_of_range"), ("[01]", "syntax"),
            ("[1,]", "syntax"),
            ("[\"\t\"]", "control_character"), ("\u{FEFF}{}", "syntax"), ("[NaN]", "syntax"),
            (String(repeating: "[", count: 65) + String(repeating: "]", count: 65), "too_deep"),
        ]
        return JSONObject([
            "about":
                "RFC 8785 canonical forms and refusals under CIX's strict parser (Protocol/canonical-json.md). Inputs and outputs are UTF-8 texts.",
            "valid": .array(
                valid.map { text in
                    guard let output = try? JSONParser().parse(text).canonicalString() else {
                        preconditionFailure("a valid canonical-JSON vector does not parse: \(text)")
                    }
                    return .object(JSONObject(["input": .string(text), "output": .string(output)]))
                }
            ),
            "invalid": .array(invalid.map { .object(JSONObject(["input": .string($0.0), "error": .string($0.1)])) }),
        ])
    }

    /// A signed push and a signed pull (Protocol/federation.md), with the signature base and headers.
    static func httpSignature() -> JSONObject {
        let council = FixedKeys.council
        let event = storyEvents().events[0]
        func vector(
            _ name: String,
            method: String,
            path: String,
            query: String,
            body: [UInt8],
            nonce: String
        ) -> JSONValue {
            let created: Int64 = 1_767_603_600
            let request = HTTPSignature.Request(method: method, path: path, query: query, body: body)
            let headers = HTTPSignature.sign(
                request,
                node: council.id,
                key: council.key,
                created: created,
                nonce: nonce
            )
            let params = String(headers.first { $0.0 == "Signature-Input" }?.1.dropFirst(4) ?? "")
            let base = HTTPSignature.base(
                request,
                digest: HTTPSignature.contentDigest(body),
                node: council.id.hex,
                params: params
            )
            var headerObject = JSONObject()
            for (name, value) in headers { headerObject[name] = .string(value) }
            return .object(
                JSONObject([
                    "name": .string(name), "method": .string(method), "path": .string(path), "query": .string(query),
                    "body": string(body), "signer": "council", "created": .number(Double(created)),
                    "expires": .number(Double(created + 60)),
                    "nonce": .string(nonce), "signature_base": string(base), "headers": .object(headerObject),
                ])
            )
        }
        return JSONObject([
            "about":
                "RFC 9421 request signatures as CIX nodes make them (Protocol/federation.md). The signer is the council's fixed key from events.json; verify each at its created time.",
            "valid": .array([
                vector(
                    "push",
                    method: "POST",
                    path: "/federation/v1/events",
                    query: "",
                    body: event.bytes + [0x0A],
                    nonce: "0123456789abcdef0123456789abcdef"
                ),
                vector(
                    "pull",
                    method: "GET",
                    path: "/federation/v1/events",
                    query: "after=0&limit=1000",
                    body: [],
                    nonce: "fedcba9876543210fedcba9876543210"
                ),
            ]),
        ])
    }

    static func nodes() -> JSONObject {
        let council = FixedKeys.council
        let at = Timestamp.fixed("2026-01-01T00:00:00Z")
        let rotated = FixedKeys.key(0xA0)
        guard
            let descriptor = try? NodeDescriptor.make(
                node: council.id,
                name: "Greenfield District Council",
                kind: .council,
                url: "https://council.greenfield.example:8443",
                version: 1,
                at: at,
                categories: ["fly_tipping", "pothole", "street_lighting"],
                area: JSONObject([
                    "type": "Polygon",
                    "coordinates": .array([
                        .array([
                            .array([0.10, 52.19]), .array([0.15, 52.19]), .array([0.15, 52.22]), .array([0.10, 52.22]),
                            .array([0.10, 52.19]),
                        ])
                    ]),
                ]),
                sealKey: Hex.encode(StepwiseHPKE.publicKey(FixedKeys.seed(0xe0))),
                relays: [
                    Relay(
                        node: NodeID(genesisKey: FixedKeys.key(0xd0).publicKey),
                        name: "Greenfield County Roads",
                        kind: .county,
                        via: .open311
                    )
                ],
                signer: council.key
            ),
            let (add, revoke) = councilStatements
        else { return JSONObject() }
        func record(_ object: JSONObject, prefix: String) -> JSONValue {
            let hash = SHA256Hex.hash((try? JSONValue.object(object.removing(["sig"])).canonicalBytes()) ?? [])
            return .object(
                JSONObject([
                    "record": string((try? JSONValue.object(object).canonicalBytes()) ?? []), "hash": .string(hash),
                    "signed_message": .string(prefix + hash),
                ])
            )
        }
        return JSONObject([
            "about":
                "Node identity, descriptor and key statements (Protocol/nodes.md). The council's genesis key comes from seed 000102…1f; the rotated key from seed a0a1…bf.",
            "genesis_public_key": .string(council.key.publicKey.hex), "node_id": .string(council.id.hex),
            "rotated_public_key": .string(rotated.publicKey.hex),
            "descriptor": record(descriptor.record, prefix: "cix-node-v1:"),
            "key_add": record(add.record, prefix: "cix-key-v1:"),
            "key_revoke": record(revoke.record, prefix: "cix-key-v1:"),
            "refused_keys": .array([
                "0100000000000000000000000000000000000000000000000000000000000000",
                "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                "0000000000000000000000000000000000000000000000000000000000000000",
                "0000000000000000000000000000000000000000000000000000000000000080",
                "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
                "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
                "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
                "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
                "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                "0100000000000000000000000000000000000000000000000000000000000080",
                "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            ]),
        ])
    }
}
