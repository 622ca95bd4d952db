import CIXCore
import CIXMail
import CIXPhoto
import CIXRouting
import CIXStore
import Foundation

/// The one way reports and contributions get into this node, whoever sends
/// them (web form, Open311, CLI, staff console):
///
/// validate against the protocol schema and limits → screen → sign → route →
/// store. Texts are normalised first (`SubmittedText`); photos are decoded
/// and re-encoded without metadata; every problem is reported at once, with
/// the field it concerns; nothing is stored until everything has passed, and
/// then the report, its route, its photos and the reporter's contact details
/// are stored in one transaction.
package struct Intake: Sendable {
    package let node: LocalNode
    package let screening: any TextScreening

    package init(node: LocalNode, screening: any TextScreening = PersonalDataScreening()) {
        self.node = node
        self.screening = screening
    }

    static let title = SubmittedText(field: "title", label: "A short title", schema: EventSchemas.title)
    static let description = SubmittedText(field: "description", label: "The details", schema: EventSchemas.description)
    static let address = SubmittedText(field: "address", label: "The address", schema: .text(min: 1, max: 300))
    static let name = SubmittedText(field: "name", label: "Your name", schema: .text(min: 1, max: 200))
    static let email = SubmittedText(field: "email", label: "Your email", schema: .text(min: 3, max: 254))
    static let phone = SubmittedText(field: "phone", label: "Your phone number", schema: .text(min: 3, max: 50))

    /// A report checked and ready to sign.
    struct CheckedReport {
        var body: ReportBody
        var contact: (name: String?, email: String?, phone: String?)
        /// The resident asked to hear about the report by e-mail (and gave an address).
        var wantsUpdates: Bool
        /// The resident agreed that the bodies handling the report may contact them.
        var sharesContact: Bool
        var photos: [Photo]
        var masked: [IntakeProblem]
    }

    /// Checks a report without storing anything: the problems a form shows back.
    package func problems(in submission: ReportSubmission) -> [IntakeProblem] {
        switch check(submission) {
        case .success: []
        case .failure(.invalid(let problems)): problems
        case .failure: []
        }
    }

    func check(_ submission: ReportSubmission) -> Result<CheckedReport, IntakeError> {
        var problems: [IntakeProblem] = []
        let screened = screen(
            [
                ("title", "title", SubmittedText.normalise(submission.title)),
                ("description", "details", SubmittedText.normalise(submission.description)),
            ],
            policy: submission.screening
        )
        problems += screened.problems
        let title = screened.texts["title"]
        let description = screened.texts["description"]
        let address = SubmittedText.normalise(submission.address)
        let name = SubmittedText.normalise(submission.reporterName)
        let email = SubmittedText.normalise(submission.reporterEmail)
        let phone = SubmittedText.normalise(submission.reporterPhone)
        if Taxonomy.category(submission.category) == nil {
            problems.append(
                IntakeProblem(field: "category", reason: .noCategory, message: "Choose the kind of problem.")
            )
        }
        problems += [
            Self.title.problem(title, required: true), Self.description.problem(description, required: false),
            Self.address.problem(address, required: false), Self.name.problem(name, required: false),
            Self.email.problem(email, required: false), Self.phone.problem(phone, required: false),
        ].compactMap { $0 }
        if let email, Self.email.problem(email, required: false) == nil, !Self.looksLikeEmail(email) {
            problems.append(IntakeProblem.notAnEmail)
        }
        if submission.wantsUpdates, email == nil {
            problems.append(
                IntakeProblem(
                    field: "email",
                    reason: .emailForUpdates,
                    message: "Give your email address to hear about this report by email."
                )
            )
        }
        if submission.sharesContact, email == nil, phone == nil {
            problems.append(
                IntakeProblem(
                    field: "email",
                    reason: .contactForSharing,
                    message: "Give an email address or a phone number for the bodies handling this to contact you."
                )
            )
        }
        let tags = submission.tags.map { $0.lowercased() }
        if tags.count > Limits.maxTags
            || tags.contains(where: { (try? EventSchemas.tags.validate(.array([.string($0)]))) == nil })
        {
            problems.append(
                IntakeProblem(
                    field: "tags",
                    reason: .badTags,
                    message: "Tags are at most \(Limits.maxTags) short codes of a–z, 0–9, '_', '-' and '.'."
                )
            )
        }
        let location = checkLocation(submission, address: address, into: &problems)
        var photos: [Photo] = []
        if submission.photos.count > Limits.maxAttachments {
            problems.append(
                IntakeProblem(
                    field: "photo",
                    reason: .tooManyPhotos(Limits.maxAttachments),
                    message: "At most \(Limits.maxAttachments) photos may be attached."
                )
            )
        }
        for upload in submission.photos.prefix(Limits.maxAttachments) where !upload.isEmpty {
            do {
                photos.append(try Photo.sanitize(upload))
            } catch {
                problems.append(
                    IntakeProblem(
                        field: "photo",
                        reason: .badPhoto(error.message),
                        message: "The photo could not be used: \(error.message)."
                    )
                )
            }
        }
        guard problems.isEmpty, let title, let location else { return .failure(.invalid(problems)) }
        let body = ReportBody(
            title: title,
            description: description,
            category: submission.category,
            tags: tags,
            location: location,
            attachments: photos.map {
                Attachment(hash: SHA256Hex.hash($0.bytes), type: $0.format.rawValue, size: Int64($0.bytes.count))
            },
            reporter: "r-" + Hex.encode(LocalNode.randomBytes(8))
        )
        return .success(
            CheckedReport(
                body: body,
                contact: (name, email.map { (try? MailAddress($0).text) ?? $0 }, phone),
                wantsUpdates: submission.wantsUpdates && email != nil,
                sharesContact: submission.sharesContact && (email != nil || phone != nil),
                photos: photos,
                masked: screened.masked
            )
        )
    }

    func checkLocation(
        _ submission: ReportSubmission,
        address: String?,
        into problems: inout [IntakeProblem]
    )
        -> Location?
    {
        guard let latitude = submission.latitude, let longitude = submission.longitude,
            latitude.isFinite, longitude.isFinite, (-90...90).contains(latitude), (-180...180).contains(longitude)
        else {
            problems.append(
                IntakeProblem(
                    field: "location",
                    reason: .noPlace,
                    message: "Give the place: a latitude (−90 to 90) and a longitude (−180 to 180)."
                )
            )
            return nil
        }
        if let accuracy = submission.accuracy, !(0...100_000).contains(accuracy) {
            problems.append(
                IntakeProblem(
                    field: "accuracy",
                    reason: .badAccuracy,
                    message: "The accuracy must be 0 to 100,000 metres."
                )
            )
            return nil
        }
        return Location(latitude: latitude, longitude: longitude, address: address, accuracy: submission.accuracy)
    }

    /// Strict enough to be mailed (`MailAddress`): one @, no spaces, quotes, brackets or line breaks.
    static func looksLikeEmail(_ text: String) -> Bool {
        (try? MailAddress(text)) != nil
    }

    /// Checks, screens, signs, routes and stores a report.
    package func report(_ submission: ReportSubmission, now: Timestamp) throws(IntakeError) -> ReportReceipt {
        do {
            try node.requireAuthoring("take reports")
        } catch {
            throw .failed(error)
        }
        let checked = try check(submission).get()
        do throws(NodeError) {
            let report = try node.sign(EventDraft(.report(checked.body), issue: nil, prev: [], depth: 1, at: now))
            let recipients = try node.router().route(
                category: checked.body.category,
                latitude: checked.body.location.latitude,
                longitude: checked.body.location.longitude
            )
            var events = [report]
            if !recipients.isEmpty {
                let route = RouteBody(
                    recipients: recipients.map { .init(node: $0.node, reason: String($0.reason.prefix(500))) }
                )
                events.append(
                    try node.sign(EventDraft(.route(route), issue: report.id, prev: [report.id], depth: 2, at: now))
                )
            }
            let contact = checked.contact
            let hasContact = contact.name != nil || contact.email != nil || contact.phone != nil
            let outcomes: [IngestOutcome]
            do {
                outcomes = try node.vault.ingestReport(
                    events,
                    contact: hasContact
                        ? ReporterContact(
                            issue: report.id.hex,
                            reporter: checked.body.reporter,
                            name: contact.name,
                            email: contact.email,
                            phone: contact.phone,
                            givenAt: now,
                            updatesToken: checked.wantsUpdates ? LocalNode.newLinkToken() : nil,
                            language: submission.language.rawValue,
                            mayShare: checked.sharesContact
                        ) : nil,
                    photos: checked.photos.map { (Data($0.bytes), $0.format.rawValue) },
                    now: now
                )
            } catch {
                throw NodeError(error)
            }
            for outcome in outcomes { try LocalNode.requireStored(outcome) }
            return ReportReceipt(
                event: report,
                recipients: recipients.map { .init(node: $0.node, name: $0.name, reason: $0.reason) },
                masked: checked.masked
            )
        } catch {
            throw .failed(error)
        }
    }

    /// Checks, screens, signs and stores a resident's contribution to an issue.
    package func contribute(
        _ submission: ContributionSubmission,
        on issue: EventID,
        now: Timestamp
    )
        throws(IntakeError) -> Event
    {
        let content = try check(submission).get()
        do {
            return try node.act(content, on: issue, now: now)
        } catch {
            throw .failed(error)
        }
    }

    func check(_ submission: ContributionSubmission) -> Result<EventBody, IntakeError> {
        let screened = screen(
            [
                ("text", "text", SubmittedText.normalise(submission.text)),
                ("when", "when", SubmittedText.normalise(submission.when)),
                ("by", "who offers it", SubmittedText.normalise(submission.by)),
            ],
            policy: submission.screening
        )
        let text = screened.texts["text"]
        let when = screened.texts["when"]
        let by = screened.texts["by"]
        var problems = screened.problems
        let content: EventBody
        switch submission.kind {
        case .comment, .solution:
            let label = submission.kind == .comment ? "Your comment" : "The solution you propose"
            if let problem = SubmittedText(
                field: "text",
                label: label,
                schema: EventSchemas.longText,
                subject: submission.kind == .comment ? "comment" : "solution"
            )
            .problem(text, required: true) {
                problems.append(problem)
            }
            let body = TextBody(text: text ?? "")
            content = submission.kind == .comment ? .comment(body) : .solution(body)
        case .confirm:
            if let problem = SubmittedText(
                field: "text",
                label: "Your note",
                schema: EventSchemas.noteText,
                subject: "note"
            )
            .problem(text, required: false) {
                problems.append(problem)
            }
            content = .confirm(ConfirmBody(note: text))
        case .offer:
            problems += [
                SubmittedText(
                    field: "text",
                    label: "What help you offer",
                    schema: EventSchemas.noteText,
                    subject: "offer"
                )
                .problem(text, required: true),
                SubmittedText(field: "when", label: "When", schema: .text(min: 1, max: 200)).problem(
                    when,
                    required: false
                ),
                SubmittedText(field: "by", label: "Who offers it", schema: .text(min: 1, max: 200))
                    .problem(by, required: false),
            ].compactMap { $0 }
            content = .offer(OfferBody(what: text ?? "", when: when, by: by))
        }
        return problems.isEmpty ? .success(content) : .failure(.invalid(problems))
    }

    /// Screens texts (field, words for it, text): under `.warn` each finding is a problem the person
    /// sees; under `.mask` it is replaced by its mask and said in `masked`.
    func screen(
        _ fields: [(name: String, words: String, text: String?)],
        policy: ScreeningPolicy
    ) -> (texts: [String: String], problems: [IntakeProblem], masked: [IntakeProblem]) {
        var texts: [String: String] = [:]
        var problems: [IntakeProblem] = []
        var masked: [IntakeProblem] = []
        for field in fields {
            guard let text = field.text else { continue }
            switch policy {
            case .warn:
                texts[field.name] = text
                for finding in screening.findings(in: text) {
                    problems.append(
                        IntakeProblem(
                            field: field.name,
                            reason: .personalData(subject: field.name, kind: finding.kind, text: finding.text),
                            message:
                                "In the \(field.words), this looks like \(finding.kind.words): “\(finding.text)”. Everything here is published for anyone to read: remove it, or send again and it will be replaced by “\(finding.kind.mask)”.",
                        )
                    )
                }
            case .mask:
                let result = screening.masked(text)
                texts[field.name] = result.text
                for kind in ScreeningFinding.Kind.allCases where result.findings.contains(where: { $0.kind == kind }) {
                    masked.append(
                        IntakeProblem(
                            field: field.name,
                            reason: .masked(subject: field.name, kind: kind),
                            message:
                                "\(kind.words.prefix(1).uppercased() + kind.words.dropFirst()) was removed from the \(field.words) before publication.",
                        )
                    )
                }
            }
        }
        return (texts, problems, masked)
    }
}
