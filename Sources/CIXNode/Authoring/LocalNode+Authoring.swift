import CIXCanonicalJSON
import CIXCore
import CIXStore

/// A report as a resident or agency gives it to this node.
public struct NewReport: Sendable {
    public var title: String
    public var description: String?
    public var category: String
    public var tags: [String]
    public var latitude: Double
    public var longitude: Double
    public var address: String?
    public var accuracy: Double?
    /// Contact details: kept on this node only, never in the event.
    public var reporterName: String?
    public var reporterEmail: String?
    public var reporterPhone: String?
    /// Photos already stored on this node, as `{hash, type, size}` objects.
    public var attachments: [JSONObject] = []

    public init(
        title: String, description: String? = nil, category: String, tags: [String] = [], latitude: Double,
        longitude: Double, address: String? = nil, accuracy: Double? = nil, reporterName: String? = nil,
        reporterEmail: String? = nil, reporterPhone: String? = nil
    ) {
        self.title = title
        self.description = description
        self.category = category
        self.tags = tags
        self.latitude = latitude
        self.longitude = longitude
        self.address = address
        self.accuracy = accuracy
        self.reporterName = reporterName
        self.reporterEmail = reporterEmail
        self.reporterPhone = reporterPhone
    }
}

extension LocalNode {
    /// Signs and stores a new `issue.report`; the reporter gets a fresh pseudonymous handle.
    public func report(_ report: NewReport, now: Timestamp) throws(NodeError) -> Event {
        try requireAuthoring("report")
        var location = JSONObject(["lat": .number(report.latitude), "lon": .number(report.longitude)])
        if let address = report.address { location["address"] = .string(address) }
        if let accuracy = report.accuracy { location["accuracy"] = .number(accuracy) }
        let handle = "r-" + Hex.encode(Self.randomBytes(8))
        var body = JSONObject([
            "title": .string(report.title), "category": .string(report.category), "location": .object(location),
            "reporter": .string(handle),
        ])
        if let description = report.description, !description.isEmpty { body["description"] = .string(description) }
        if !report.attachments.isEmpty { body["attachments"] = .array(report.attachments.map { .object($0) }) }
        if !report.tags.isEmpty { body["tags"] = .array(Array(Set(report.tags)).sorted().map { .string($0) }) }
        let draft = EventDraft(kind: .report, issue: nil, prev: [], depth: 1, at: now, body: body)
        let event = try sign(draft)
        let hasContact = [report.reporterName, report.reporterEmail, report.reporterPhone].contains { $0 != nil }
        let contact =
            hasContact
            ? ReporterContact(
                issue: event.id.hex, reporter: handle, name: report.reporterName, email: report.reporterEmail,
                phone: report.reporterPhone, givenAt: now) : nil
        let outcome: IngestOutcome
        do {
            outcome = try store.ingestReport(event, contact: contact, now: now)
        } catch {
            throw NodeError(error)
        }
        try Self.requireStored(outcome)
        return event
    }

    /// Signs and stores an event on an existing issue, linking it to the issue's latest events.
    public func act(
        _ kind: EventKind, on issue: EventID, body: JSONObject, audience: Audience = .everyone, now: Timestamp
    ) throws(NodeError) -> Event {
        try requireAuthoring(kind.rawValue)
        let heads: (heads: [EventID], depth: Int)?
        do {
            heads = try store.heads(ofIssue: issue)
        } catch {
            throw NodeError(error)
        }
        guard let heads else { throw NodeError(.notFound, "this node holds no issue \(issue.hex)") }
        let draft = EventDraft(
            kind: kind, issue: issue, prev: Array(heads.heads.suffix(Limits.maxPrev)), depth: heads.depth + 1, at: now,
            audience: audience, body: body)
        let event = try sign(draft)
        let outcomes: [IngestOutcome]
        do {
            outcomes = try store.ingest([event], source: "local", now: now)
        } catch {
            throw NodeError(error)
        }
        try Self.requireStored(outcomes[0])
        return event
    }

    func sign(_ draft: EventDraft) throws(NodeError) -> Event {
        do {
            return try draft.sign(with: key, author: id, salt: Self.randomBytes(16))
        } catch {
            throw NodeError(.invalidInput, error.message)
        }
    }

    func requireAuthoring(_ what: String) throws(NodeError) {
        guard authors else {
            throw NodeError(
                .readOnly,
                "this node is a mirror: it relays and verifies records but authors none, so it cannot \(what); report through an intake node instead"
            )
        }
    }

    static func requireStored(_ outcome: IngestOutcome) throws(NodeError) {
        switch outcome.result {
        case .stored, .duplicate: return
        case .pending(let missing):
            throw NodeError(.io, "event waits for parents \(missing.map(\.hex).joined(separator: ", "))")
        case .rejected(let error):
            throw NodeError(.invalidInput, "the store refused the event: \(error)")
        }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
