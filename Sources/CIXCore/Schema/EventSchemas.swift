/// The schema of every event envelope and of each kind's body.
///
/// `Protocol/schemas/*.json` are generated from these tables (`cix schema`),
/// and a test checks that the files match.
public enum EventSchemas {
    static let salt = Schema.Field.required(
        "salt",
        .hex(bytes: 16),
        "16 random bytes, so that a redacted body cannot be guessed from its hash"
    )
    public static let noteText = Schema.text(min: 1, max: 2_000, multiline: true)
    static let note = Schema.Field.optional("note", noteText, "free text")
    static let attachments = Schema.Field.optional(
        "attachments",
        .array(
            .object([
                .required("hash", .hex(bytes: 32), "SHA-256 of the attachment's bytes"),
                .required("type", .oneOf(["image/jpeg", "image/png", "image/webp"]), "media type"),
                .required("size", .integer(1...Limits.maxAttachmentBytes), "size in bytes"),
            ]),
            min: 1,
            max: Limits.maxAttachments
        ),
        "photos, by content hash; fetched on demand"
    )
    public static let location = Schema.object([
        .required("lat", .number(-90...90), "WGS84 latitude in degrees"),
        .required("lon", .number(-180...180), "WGS84 longitude in degrees"),
        .optional("address", .text(min: 1, max: 300), "address or place description as given"),
        .optional("accuracy", .number(0...100_000), "radius of uncertainty in metres"),
    ])
    public static let title = Schema.text(min: 1, max: 200)
    public static let description = Schema.text(min: 0, max: 8_000, multiline: true)
    public static let category = Schema.code(max: 64)
    public static let tags = Schema.array(.code(max: 40), min: 0, max: Limits.maxTags, sortedUnique: true)
    public static let longText = Schema.text(min: 1, max: 8_000, multiline: true)
    public static let reason = Schema.text(min: 1, max: 500, multiline: true)

    /// The body schema of each kind.
    public static func body(_ kind: EventKind) -> Schema {
        switch kind {
        case .report:
            .object([
                salt,
                .required("title", title, "a short summary"),
                .optional("description", description, "what the reporter saw"),
                .required("category", category, "a code from the shared taxonomy"),
                .optional("tags", tags, "free tags, sorted, no repeats"),
                .required("location", location, "where the fault is"),
                attachments,
                .required(
                    "reporter",
                    .code(max: 64),
                    "a pseudonymous handle chosen by the intake node; new for each report by default"
                ),
            ])
        case .edit:
            .object(
                [
                    salt,
                    .optional("title", title, "new title"),
                    .optional("description", description, "new description"),
                    .optional("category", category, "new category"),
                    .optional("tags", tags, "new tags (replacing the old)"),
                    .optional("location", location, "new location"),
                ],
                minMembers: 2
            )
        case .comment:
            .object([salt, .required("text", longText, "the comment"), attachments])
        case .confirm:
            .object([salt, note, attachments])
        case .solution:
            .object([salt, .required("text", longText, "the proposed fix"), attachments])
        case .offer:
            .object([
                salt,
                .required("what", .text(min: 1, max: 2_000, multiline: true), "what help is offered"),
                .optional("when", .text(min: 1, max: 200), "when it is offered"),
                .optional("by", .text(min: 1, max: 200), "who offers it"),
            ])
        case .route:
            .object([
                salt,
                .required(
                    "recipients",
                    .array(
                        .object([
                            .required("node", .hex(bytes: 32), "node id of the agency"),
                            .required("reason", reason, "why it is sent there"),
                        ]),
                        min: 1,
                        max: Limits.maxRecipients,
                        sortedUnique: true
                    ),
                    "agencies the issue is sent to, sorted"
                ),
            ])
        case .accept:
            .object([salt, note])
        case .decline:
            .object([
                salt,
                .required("reason", reason, "why the agency declines"),
                .optional("refer", .hex(bytes: 32), "node id of a body that may own it; routes the issue there"),
            ])
        case .transfer:
            .object([
                salt,
                .required("to", .hex(bytes: 32), "node id of the agency taking over this agency's part"),
                .required("reason", reason, "why"),
            ])
        case .status:
            .object([
                salt,
                .required("state", .oneOf(AgencyStatus.allCases.map(\.rawValue)), "the agency's own status"),
                note,
            ])
        case .duplicate:
            .object([
                salt,
                .required("of", .hex(bytes: 32), "id of the issue this one duplicates"),
                .optional("node", .hex(bytes: 32), "node id of a node that holds that issue"),
            ])
        case .redact:
            .object([
                salt,
                .required("target", .hex(bytes: 32), "id of the event whose body is removed"),
                .required("reason", reason, "why (no personal data here)"),
                .optional(
                    "replacement",
                    replacementMembers,
                    "the target's body cleaned, without salt: it must fit the target's kind (events.md, Replacing rather than removing)"
                ),
            ])
        case .contact:
            .object([
                salt,
                .required(
                    "to",
                    .hex(bytes: 32),
                    "node id of the one body the details are sealed to: the event's whole audience"
                ),
                .required("seal_key", .hex(bytes: 32), "the X25519 key of that body's descriptor they are sealed to"),
                .required("enc", .hex(bytes: 32), "the HPKE encapsulated key (RFC 9180)"),
                .required(
                    "ciphertext",
                    .hexData(bytes: 17...Limits.maxSealedContactBytes),
                    "the contact card sealed by HPKE (events.md, Sealed contact details)"
                ),
            ])
        }
    }

    /// The kinds whose body a redaction may replace with a cleaned one.
    public static let replaceable: [EventKind] = [.report, .edit, .comment, .confirm, .solution, .offer]

    /// What a replacement for a body of `kind` must be: that kind's body without `salt`; nil if
    /// the kind cannot be replaced.
    public static func replacement(for kind: EventKind) -> Schema? {
        guard replaceable.contains(kind), case .object(let fields, let minMembers) = body(kind) else { return nil }
        return .object(fields.filter { $0.name != "salt" }, minMembers: max(0, minMembers - 1))
    }

    /// Every member a replacement of any replaceable kind may have, each optional: what a
    /// `redact` is checked against on its own, before its target is known.
    static var replacementMembers: Schema {
        var seen = Set<String>()
        var members: [Schema.Field] = []
        for kind in replaceable {
            guard case .object(let fields, _) = body(kind) else { continue }
            for field in fields where field.name != "salt" && seen.insert(field.name).inserted {
                members.append(.optional(field.name, field.schema, field.about))
            }
        }
        return .object(members, minMembers: 1)
    }

    /// The envelope, without `body`: the members covered by the id, plus `id` and `sig`.
    public static let envelope = Schema.object([
        .required("cix", .constant(1), "protocol version"),
        .required("kind", .oneOf(EventKind.allCases.map(\.rawValue)), "what the event does"),
        .optional("issue", .hex(bytes: 32), "id of the issue (its issue.report event); absent on issue.report"),
        .required("author", .hex(bytes: 32), "node id of the signing node"),
        .required("key", .hex(bytes: 32), "the Ed25519 public key that signed"),
        .required(
            "prev",
            .array(.hex(bytes: 32), min: 0, max: Limits.maxPrev, sortedUnique: true),
            "ids of the issue's latest events the author knew, sorted"
        ),
        .required("depth", .integer(1...Limits.maxDepth), "1 + the largest depth among prev; 1 for issue.report"),
        .required("at", .timestamp, "the author's clock; informational only"),
        .required("audience", .audience, "\"public\" or the sorted node ids that may receive it"),
        .required("body_hash", .hex(bytes: 32), "SHA-256 of the body's canonical bytes"),
        .required("id", .hex(bytes: 32), "SHA-256 of the canonical envelope without id, sig and body"),
        .required("sig", .hex(bytes: 64), "Ed25519 signature of \"cix-event-v1:\" followed by the id"),
    ])
}
