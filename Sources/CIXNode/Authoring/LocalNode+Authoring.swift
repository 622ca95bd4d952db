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
    /// Photos already stored on this node.
    public var attachments: [Attachment] = []

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
        let handle = "r-" + Hex.encode(Self.randomBytes(8))
        let body = ReportBody(
            title: report.title, description: report.description.flatMap { $0.isEmpty ? nil : $0 },
            category: report.category, tags: report.tags,
            location: Location(
                latitude: report.latitude, longitude: report.longitude, address: report.address, accuracy: report.accuracy),
            attachments: report.attachments, reporter: handle)
        let event = try sign(EventDraft(.report(body), issue: nil, prev: [], depth: 1, at: now))
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
        _ content: EventBody, on issue: EventID, audience: Audience = .everyone, now: Timestamp
    ) throws(NodeError) -> Event {
        try requireAuthoring(content.kind.rawValue)
        let heads: (heads: [EventID], depth: Int)?
        do {
            heads = try store.heads(ofIssue: issue)
        } catch {
            throw NodeError(error)
        }
        guard let heads else { throw NodeError(.notFound, "this node holds no issue \(issue.hex)") }
        let draft = EventDraft(
            content, issue: issue, prev: Array(heads.heads.suffix(Limits.maxPrev)), depth: heads.depth + 1, at: now,
            audience: audience)
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
