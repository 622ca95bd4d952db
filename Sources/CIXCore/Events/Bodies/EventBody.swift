import CIXCanonicalJSON

/// An event's content, typed by its kind.
///
/// Decoded once, when the event is decoded, from a body that has already
/// passed its kind's schema (`EventSchemas.body`): so decoding cannot fail and
/// every value is in range. `json` gives the body back without its salt,
/// member for member, so that an event built from a typed body has exactly
/// the bytes the schema describes.
public enum EventBody: Sendable, Equatable {
    case report(ReportBody)
    case edit(EditBody)
    case comment(TextBody)
    case confirm(ConfirmBody)
    case solution(TextBody)
    case offer(OfferBody)
    case route(RouteBody)
    case accept(AcceptBody)
    case decline(DeclineBody)
    case transfer(TransferBody)
    case status(StatusBody)
    case duplicate(DuplicateBody)
    case redact(RedactBody)
    case contact(ContactBody)

    /// The kind of event this content belongs to.
    public var kind: EventKind {
        switch self {
        case .report: .report
        case .edit: .edit
        case .comment: .comment
        case .confirm: .confirm
        case .solution: .solution
        case .offer: .offer
        case .route: .route
        case .accept: .accept
        case .decline: .decline
        case .transfer: .transfer
        case .status: .status
        case .duplicate: .duplicate
        case .redact: .redact
        case .contact: .contact
        }
    }

    /// Reads a body that has passed the schema of `kind`.
    init(kind: EventKind, validated body: JSONObject) {
        let fields = BodyFields(body)
        switch kind {
        case .report: self = .report(ReportBody(fields))
        case .edit: self = .edit(EditBody(fields))
        case .comment: self = .comment(TextBody(fields))
        case .confirm: self = .confirm(ConfirmBody(fields))
        case .solution: self = .solution(TextBody(fields))
        case .offer: self = .offer(OfferBody(fields))
        case .route: self = .route(RouteBody(fields))
        case .accept: self = .accept(AcceptBody(fields))
        case .decline: self = .decline(DeclineBody(fields))
        case .transfer: self = .transfer(TransferBody(fields))
        case .status: self = .status(StatusBody(fields))
        case .duplicate: self = .duplicate(DuplicateBody(fields))
        case .redact: self = .redact(RedactBody(fields))
        case .contact: self = .contact(ContactBody(fields))
        }
    }

    /// The body as JSON, without `salt`.
    public var json: JSONObject {
        switch self {
        case .report(let body): body.json
        case .edit(let body): body.json
        case .comment(let body), .solution(let body): body.json
        case .confirm(let body): body.json
        case .offer(let body): body.json
        case .route(let body): body.json
        case .accept(let body): body.json
        case .decline(let body): body.json
        case .transfer(let body): body.json
        case .status(let body): body.json
        case .duplicate(let body): body.json
        case .redact(let body): body.json
        case .contact(let body): body.json
        }
    }

    /// The photos this content names (a report's, a comment's or solution's, a confirmation's).
    public var attachments: [Attachment] {
        switch self {
        case .report(let body): body.attachments
        case .comment(let body), .solution(let body): body.attachments
        case .confirm(let body): body.attachments
        default: []
        }
    }

    /// The free text a person wrote in this content, in reading order (for
    /// search, timelines and feeds): comment and solution text, notes, offers,
    /// reasons, and a report's title and description.
    public var texts: [String] {
        switch self {
        case .report(let body): [body.title] + (body.description.map { [$0] } ?? [])
        case .edit(let body): [body.title, body.description].compactMap { $0 }
        case .comment(let body), .solution(let body): [body.text]
        case .confirm(let body): body.note.map { [$0] } ?? []
        case .offer(let body): [body.what, body.when, body.by].compactMap { $0 }
        case .route(let body): body.recipients.map(\.reason)
        case .accept(let body): body.note.map { [$0] } ?? []
        case .decline(let body): [body.reason]
        case .transfer(let body): [body.reason]
        case .status(let body): body.note.map { [$0] } ?? []
        case .duplicate: []
        case .redact(let body): [body.reason]
        case .contact: []
        }
    }
}

/// Member access for bodies that passed their schema: a missing or mistyped
/// member cannot occur there, so the accessors fall back to neutral values.
struct BodyFields {
    let object: JSONObject

    init(_ object: JSONObject) { self.object = object }

    func string(_ name: String) -> String? { object[name]?.stringValue }
    func text(_ name: String) -> String { object[name]?.stringValue ?? "" }
    func node(_ name: String) -> NodeID? { object[name]?.stringValue.flatMap(NodeID.init) }
    func event(_ name: String) -> EventID? { object[name]?.stringValue.flatMap(EventID.init) }
    func strings(_ name: String) -> [String]? { object[name]?.arrayValue?.compactMap(\.stringValue) }
    func objects(_ name: String) -> [JSONObject]? { object[name]?.arrayValue?.compactMap(\.objectValue) }
}

/// Builds a body's JSON, leaving out members that are nil.
struct BodyWriter {
    var object = JSONObject()

    mutating func set(_ name: String, _ value: String?) {
        if let value { object[name] = .string(value) }
    }

    mutating func set(_ name: String, _ value: JSONValue?) {
        if let value { object[name] = value }
    }
}
