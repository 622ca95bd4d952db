import CIXCanonicalJSON
import CIXCore
import CIXMail
import CIXStore

/// A person's rights over what this node holds about them: find it, export
/// it, erase it. Each is recorded in the audit trail under a hash of the
/// identifiers, never the identifiers themselves.
extension LocalNode {
    /// Who is asked about: an e-mail address, a phone number, or both.
    package struct Subject: Sendable {
        package let email: String?
        package let phone: String?

        /// Checks and normalises what was given (the address in lower case).
        package init(email: String?, phone: String?) throws(NodeError) {
            guard email != nil || phone != nil else {
                throw NodeError(.invalidInput, "give --email, --phone or both")
            }
            if let email {
                do { self.email = try MailAddress(email).text } catch {
                    throw NodeError(.invalidInput, "--email: \(error.message)")
                }
            } else {
                self.email = nil
            }
            if let phone, phone.filter(\.isNumber).count < 6 {
                throw NodeError(.invalidInput, "--phone: a phone number has at least 6 digits")
            }
            self.phone = phone
        }

        /// What the audit trail names the person by.
        package var hash: String {
            "sha256:" + SHA256Hex.hash(Array("email:\(email ?? "")|phone:\(phone?.filter(\.isNumber) ?? "")".utf8))
        }
    }

    /// Everything the private tables hold about the person.
    package func findSubject(_ subject: Subject, by actor: String, now: Timestamp) throws(NodeError) -> SubjectRecords {
        do {
            let found = try vault.subjectRecords(email: subject.email, phone: subject.phone)
            try audit("subject-find", subject, by: actor, "found: \(Self.counts(found))", now: now)
            return found
        } catch {
            throw NodeError(error)
        }
    }

    /// Everything held about the person, as one JSON document for them.
    package func exportSubject(_ subject: Subject, by actor: String, now: Timestamp) throws(NodeError) -> JSONValue {
        let found: SubjectRecords
        do {
            found = try vault.subjectRecords(email: subject.email, phone: subject.phone)
        } catch {
            throw NodeError(error)
        }
        let site = config.node.url.hasSuffix("/") ? String(config.node.url.dropLast()) : config.node.url
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func time(_ value: Timestamp?) -> JSONValue { value.map { .string($0.description) } ?? .null }
        let reports = found.contacts.map { contact -> JSONValue in
            let title = EventID(contact.issue).flatMap { try? store.issueState($0)?.report?.title }
            return .object(
                JSONObject([
                    "issue": .string(contact.issue), "page": .string("\(site)/issues/\(contact.issue)"),
                    "title": text(title), "reporter_handle": .string(contact.reporter), "name": text(contact.name),
                    "email": text(contact.email), "phone": text(contact.phone), "given_at": time(contact.givenAt),
                ])
            )
        }
        let follows = found.follows.map { follow -> JSONValue in
            .object(
                JSONObject([
                    "issue": text(follow.issue), "area": text(follow.area), "with_report": .bool(follow.reporter),
                    "asked_at": time(follow.createdAt), "confirmed_at": time(follow.confirmedAt),
                ])
            )
        }
        let mails = found.mails.map { mail -> JSONValue in
            .object(
                JSONObject([
                    "subject": .string(mail.subject), "queued_at": time(mail.createdAt), "sent_at": time(mail.sentAt),
                ])
            )
        }
        let held = found.heldReports.map { report -> JSONValue in
            let fields = (try? JSONParser().parse(Array(report.fields.utf8))) ?? .string(report.fields)
            return .object(
                JSONObject([
                    "received_at": time(report.receivedAt), "fields": fields,
                    "photos": .number(Double(report.photos.count)),
                ])
            )
        }
        let posts = found.open311.map { entry -> JSONValue in
            .object(
                JSONObject([
                    "at": time(entry.at), "action": .string(entry.action), "issue": text(entry.issue),
                    "details": .string(entry.details),
                ])
            )
        }
        let document = JSONValue.object(
            JSONObject([
                "node": .string(config.node.name), "node_id": .string(id.hex), "exported_at": time(now),
                "subject": .object(JSONObject(["email": text(subject.email), "phone": text(subject.phone)])),
                "reports": .array(reports), "follows": .array(follows), "mails": .array(mails),
                "held_reports": .array(held), "open311_posts": .array(posts),
                "about": .string(
                    "What \(config.node.name)'s node holds about this person. Public reports carry only the pseudonymous reporter_handle, never these details; they were not sent to any other body."
                ),
            ])
        )
        do {
            try audit("subject-export", subject, by: actor, "exported: \(Self.counts(found))", now: now)
        } catch {
            throw NodeError(error)
        }
        return document
    }

    /// What an erasure did: the receipt.
    package struct Erasure: Sendable {
        package let erased: SubjectRecords
        /// The reports redacted because their own text named the person.
        package let redacted: [EventID]
        /// The sealed copies of their details sent to other bodies, now redacted (`contact` events).
        package let withdrawn: [EventID]
        package let auditEntry: Int64
        /// Whether what was deleted is already scrubbed from disk: false when that is left to
        /// `cix store scrub`, or when the scrub failed (`unscrubbed` says why).
        package let scrubbed: Bool
        package let unscrubbed: StoreError?
    }

    /// Deletes the person's contact details, follows, mails, held reports and Open311 texts; then
    /// redacts (signed, everywhere) each of their reports whose title or details name them by
    /// e-mail, phone or name. The rest of their reports stays: it carries only a pseudonym.
    package func eraseSubject(_ subject: Subject, by actor: String, now: Timestamp) throws(NodeError) -> Erasure {
        let erased: SubjectRecords
        do {
            erased = try vault.eraseSubject(email: subject.email, phone: subject.phone)
        } catch {
            throw NodeError(error)
        }
        // Which issues they confirmed with their address is forgotten too (the count stays: it is signed).
        if let email = subject.email {
            do { _ = try vault.forgetConfirmations(by: confirmationKey(email: email)) } catch { throw NodeError(error) }
        }
        var redacted: [EventID] = []
        for contact in erased.contacts {
            guard let issue = EventID(contact.issue), let report = try? store.issueState(issue)?.report,
                Self.identifies(report.title + "\n" + report.description, contact: contact)
            else { continue }
            _ = try act(
                .redact(RedactBody(target: issue, reason: "Removed at the request of the person who reported it.")),
                on: issue,
                now: now
            )
            redacted.append(issue)
        }
        let withdrawn = try withdrawSharedContacts(erased.contacts.compactMap { EventID($0.issue) }, now: now)
        // Deleted rows linger in freed pages, the search index and the WAL until scrubbed.
        var scrubbed = false
        var unscrubbed: StoreError?
        do { scrubbed = try scrubAfterChange() } catch { unscrubbed = error }
        do {
            let entry = try audit(
                "subject-erase",
                subject,
                by: actor,
                "erased: \(Self.counts(erased)); reports redacted: \(redacted.map(\.hex).joined(separator: ",").nilIfEmpty ?? "none"); sealed copies withdrawn: \(withdrawn.count)",
                now: now
            )
            return Erasure(
                erased: erased,
                redacted: redacted,
                withdrawn: withdrawn,
                auditEntry: entry.seq,
                scrubbed: scrubbed,
                unscrubbed: unscrubbed
            )
        } catch {
            throw NodeError(error)
        }
    }

    /// Redacts every sealed copy of the details this node sent for these issues, each redaction
    /// addressed to the same body as its copy (a public one would tell mirrors the copy existed):
    /// the body deletes its copy when the redaction reaches it.
    func withdrawSharedContacts(_ issues: [EventID], now: Timestamp) throws(NodeError) -> [EventID] {
        var withdrawn: [EventID] = []
        for issue in issues {
            let sent: [Event]
            do {
                sent = try store.events(ofIssue: issue).compactMap { try? Event.decodeStored($0.bytes) }
                    .filter { $0.kind == .contact && $0.author == id && $0.content != nil }
            } catch {
                throw NodeError(error)
            }
            for copy in sent {
                _ = try act(
                    .redact(
                        RedactBody(target: copy.id, reason: "Withdrawn at the request of the person who gave them.")
                    ),
                    on: issue,
                    audience: copy.audience,
                    now: now
                )
                withdrawn.append(copy.id)
            }
        }
        return withdrawn
    }

    /// Whether a text names the person who gave `contact`: their address, their number, or their name.
    static func identifies(_ text: String, contact: ReporterContact) -> Bool {
        let lower = text.lowercased()
        if let email = contact.email?.lowercased(), lower.contains(email) { return true }
        if let phone = contact.phone?.filter(\.isNumber), phone.count >= 6, text.filter(\.isNumber).contains(phone) {
            return true
        }
        if let name = contact.name?.lowercased(), name.count >= 3, lower.contains(name) { return true }
        return false
    }

    static func counts(_ records: SubjectRecords) -> String {
        "contacts \(records.contacts.count), follows \(records.follows.count), mails \(records.mails.count), held reports \(records.heldReports.count), Open311 posts \(records.open311.count)"
    }

    @discardableResult
    func audit(
        _ action: String,
        _ subject: Subject,
        by actor: String,
        _ detail: String,
        now: Timestamp
    ) throws(StoreError) -> AuditEntry {
        try staffRecords.appendAudit(
            actor: actor,
            action: action,
            subject: subject.hash,
            address: "",
            event: nil,
            detail: detail,
            at: now.secondsSinceEpoch
        )
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
