import CIXCore
import CIXPostgres
import CIXSQLite
import CIXStore
import CIXTesting
import Foundation
import Testing

/// What only a body's node may see (`NodeVault`: residents' details, API keys and the Open311
/// log, staff accounts, sessions and cases, the audit trail, held reports, residents' mail,
/// bridges, the gazetteer, retention and erasure) on PostgreSQL against SQLite: the same calls
/// on a real PostgreSQL 15 cluster and a real SQLite file must give the same answers, each
/// written down as it comes; and the answers that matter most are checked outright, so that
/// two backends wrong alike fail too.
@Suite("PostgreSQL vault against SQLite", .serialized)
struct PostgresVaultTests {
    let now = Timestamp(secondsSinceEpoch: 1_800_000_000)

    /// Everything a body's node asks of its vault, in order; each answer is appended to the transcript.
    func exercise(_ store: any NodeStore & NodeVault) throws -> [String] {
        var said: [String] = []
        func note(_ label: String, _ value: Any) { said.append("\(label): \(value)") }
        var factory = EventFactory()
        let police = FixedKeys.police.id
        let bridgeBody = FixedKeys.volunteers.id

        // A report with its reporter's details, photo and mail follow: kept together.
        let report = factory.report(by: FixedKeys.council, title: "Broken lamp on Elm Row")
        let contact = ReporterContact(
            issue: report.id.hex,
            reporter: "r-1",
            name: "Ada Lovelace",
            email: "ada@example.org",
            phone: "+44 (0)1223 555 123",
            givenAt: now,
            updatesToken: "token-ada",
            mayShare: true
        )
        let photo = Data("a photo's bytes".utf8)
        let stored = try store.ingestReport([report], contact: contact, photos: [(photo, "image/jpeg")], now: now)
        note("report stored", stored.map(\.isStored))
        #expect(stored.map(\.isStored) == [true])
        note("contact", try store.contact(forIssue: report.id) as Any)
        #expect(try store.contact(forIssue: report.id)?.email == "ada@example.org")
        note("photo kept", try store.attachment(SHA256Hex.hash(photo)) != nil)
        // A report whose event the rules do not store (here: its parent is missing) keeps nothing:
        // neither its contact nor its photo.
        let forged = factory.report(by: FixedKeys.council, title: "Never stored")
        let orphan = factory.event(
            .comment,
            by: FixedKeys.council,
            on: forged.id,
            after: [forged],
            body: Bodies.text("x")
        )
        let refused = try? store.ingestReport(
            [orphan],
            contact: ReporterContact(
                issue: forged.id.hex,
                reporter: "r-2",
                name: nil,
                email: "eve@example.org",
                phone: nil,
                givenAt: now
            ),
            photos: [(Data("another".utf8), "image/png")],
            now: now
        )
        note("refused report", refused.map { $0.map(\.isStored) } as Any)
        note("refused contact", try store.contact(forIssue: forged.id) as Any)
        #expect(try store.contact(forIssue: forged.id) == nil)
        note("refused photo", try store.attachment(SHA256Hex.hash(Data("another".utf8))) != nil)

        // A comment after the report: the contact waits to be shared, then is marked shared.
        let comment = factory.event(
            .comment,
            by: FixedKeys.council,
            on: report.id,
            after: [report],
            body: Bodies.text("on the list")
        )
        _ = try store.ingestNow([comment], source: "local", now: now)
        let waiting = try store.contactsAwaitingShare(limit: 10)
        note("awaiting share", waiting.map { "\($0.issue.hex) \($0.through)" })
        #expect(waiting.count == 1)
        if let first = waiting.first { try store.markContactShared(issue: first.issue, through: first.through) }
        note("awaiting after share", try store.contactsAwaitingShare(limit: 10).count)

        // Confirmations: once per browser.
        note("confirm", try store.claimConfirmation(issue: report.id.hex, browser: "b1", at: now))
        note("confirm again", try store.claimConfirmation(issue: report.id.hex, browser: "b1", at: now))
        try store.releaseConfirmation(issue: report.id.hex, browser: "b1")
        note("confirm after release", try store.claimConfirmation(issue: report.id.hex, browser: "b1", at: now))
        note("forgotten", try store.forgetConfirmations(by: "b1"))

        // API keys and the Open311 log.
        let key = try store.addAPIKey(name: "fixmystreet", hash: "hash-1", at: now)
        note("key", key)
        do {
            _ = try store.addAPIKey(name: "fixmystreet", hash: "hash-2", at: now)
            note("same name", "accepted")
        } catch {
            note("same name", error.code)
        }
        note("keys", try store.apiKeys())
        note("key by hash", try store.apiKey(hash: "hash-1") as Any)
        note(
            "logged",
            try store.logOpen311(
                key: key,
                action: "update",
                issue: report.id.hex,
                event: comment.id.hex,
                clientUpdateID: "u-1",
                details: #"{"status":"IN_PROGRESS","email":"ada@example.org"}"#,
                at: now
            )
        )
        note(
            "logged twice",
            try store.logOpen311(
                key: key,
                action: "update",
                issue: report.id.hex,
                event: "other",
                clientUpdateID: "u-1",
                details: "{}",
                at: now
            )
        )
        note("update id", try store.open311Update(key: key, clientUpdateID: "u-1") as Any)
        note("posted statuses", try store.open311PostedStatuses(events: [comment.id.hex, "none"]))
        #expect(try store.open311PostedStatuses(events: [comment.id.hex]) == [comment.id.hex: "IN_PROGRESS"])
        note("revoked", try store.revokeAPIKey(id: key, at: now))
        note("revoked again", try store.revokeAPIKey(id: key, at: now))
        note("revoked key by hash", try store.apiKey(hash: "hash-1") as Any)

        // Held reports with photos.
        let held = try store.holdReport(
            fields: #"{"title":"Held","email":"ada@example.org"}"#,
            photos: [.init(type: "image/jpeg", bytes: Data([1, 2, 3])), .init(type: "image/png", bytes: Data([4]))],
            at: now
        )
        let other = try store.holdReport(fields: #"{"title":"Other"}"#, photos: [], at: now)
        note("held", try store.heldReports())
        note("held one", try store.heldReport(id: held) as Any)
        note("dropped", try store.dropHeldReport(id: other))
        note("dropped again", try store.dropHeldReport(id: other))

        // Staff accounts.
        let grants = [StaffGrant(role: "case-worker", categories: ["pothole"], areas: ["north"])]
        let ada = try store.addStaff(
            login: "ada",
            displayName: "Ada",
            passwordHash: "$2b$hash",
            totpSecret: "SECRET",
            grants: grants,
            recoveryHashes: ["r1", "r2"],
            at: now
        )
        do {
            _ = try store.addStaff(
                login: "ada",
                displayName: "Another",
                passwordHash: "",
                totpSecret: "",
                grants: [],
                recoveryHashes: [],
                at: now
            )
            note("same login", "accepted")
        } catch {
            note("same login", error.code)
        }
        let subject = OpenIDSubject(issuer: "https://id.example", subject: "s-1")
        note(
            "linked",
            try store.addLinkedStaff(login: "ada", displayName: "Ada L", openID: subject, grants: [], at: now)
        )
        note("by openid", try store.staff(openID: subject) as Any)
        try store.setTeam("roads", account: ada)
        try store.recordFailedSignIn(account: ada, lockUntil: nil)
        try store.recordFailedSignIn(account: ada, lockUntil: nil)
        note("after failures", try store.staff(id: ada) as Any)
        try store.recordFailedSignIn(account: ada, lockUntil: 1_800_000_900)
        note("locked", try store.staff(login: "ada") as Any)
        note("step 5", try store.takeTOTPStep(5, account: ada))
        note("step 5 again", try store.takeTOTPStep(5, account: ada))
        note("step 4", try store.takeTOTPStep(4, account: ada))
        note("code r1", try store.takeRecoveryCode(hash: "r1", account: ada, at: now))
        note("code r1 again", try store.takeRecoveryCode(hash: "r1", account: ada, at: now))
        note("codes left", try store.recoveryCodesLeft(account: ada))
        #expect(try store.recoveryCodesLeft(account: ada) == 1)

        // Sessions.
        for (index, id) in ["s-a", "s-b"].enumerated() {
            try store.addSession(
                StaffSession(
                    id: id,
                    account: ada,
                    csrf: "csrf-\(id)",
                    createdAt: 100 + Int64(index),
                    authenticatedAt: 100,
                    lastSeen: 100,
                    address: "127.0.0.1"
                )
            )
        }
        try store.touchSession(id: "s-a", at: 150)
        note("session", try store.session(id: "s-a") as Any)
        note("live", try store.liveSessions(account: ada).map(\.id))
        try store.revokeSession(id: "s-b", at: 160)
        note("live after revoke", try store.liveSessions(account: nil).map(\.id))
        try store.setGrants([StaffGrant(role: "supervisor")], account: ada, at: now)
        note("live after new grants", try store.liveSessions(account: ada).map(\.id))
        #expect(try store.liveSessions(account: ada).isEmpty)
        try store.resetStaff(account: ada, passwordHash: "new", totpSecret: "NEW", recoveryHashes: ["r9"], at: now)
        note("reset", try store.staff(id: ada) as Any)
        note("codes after reset", try store.recoveryCodesLeft(account: ada))
        try store.disableStaff(account: ada, at: now)
        note("list", try store.staffList())

        // Cases: notes, assignment, templates, markers, priorities, originals, flags.
        let issue = report.id.hex
        try store.addCaseNote(issue: issue, author: "ada", text: "Crew booked", at: 200)
        try store.addCaseNote(issue: issue, author: "ada", text: "Done", at: 201)
        note("notes", try store.caseNotes(issue: issue))
        try store.assign(issue: issue, to: "ada", by: "boss", at: 202)
        note("assigned", try store.assignments(issues: [issue, "none"]))
        try store.assign(issue: issue, to: "bob", by: "boss", at: 203)
        note("reassigned", try store.assignments(issues: [issue]))
        try store.saveTemplate(name: "thanks", text: "Thank you", by: "ada", at: 204)
        try store.saveTemplate(name: "thanks", text: "Thank you!", by: "ada", at: 205)
        try store.saveTemplate(name: "again", text: "Again", by: "ada", at: 205)
        let templates = try store.templates()
        note("templates", templates)
        note("deleted", try store.deleteTemplate(id: templates.last?.id ?? 0))
        note("deleted again", try store.deleteTemplate(id: templates.last?.id ?? 0))
        try store.setMarker(issue: issue, marker: "restricted", by: "ada", at: 206)
        try store.setMarker(issue: issue, marker: "restricted", by: "bob", at: 207)
        try store.setMarker(issue: issue, marker: "safeguarding", by: "ada", at: 208)
        note("markers", try store.markers(issues: [issue]))
        note("cleared", try store.clearMarker(issue: issue, marker: "safeguarding"))
        note("cleared again", try store.clearMarker(issue: issue, marker: "safeguarding"))
        try store.setPriority(issue: issue, priority: .urgent, by: "ada", at: 209)
        note("priority", try store.priorities(issues: [issue]))
        try store.setPriority(issue: issue, priority: .normal, by: "ada", at: 210)
        note("priority cleared", try store.priorities(issues: [issue]))
        try store.setPriority(issue: issue, priority: .high, by: "ada", at: 211)
        func cases(_ change: (inout IssueQuery) -> Void) throws -> [String] {
            var query = IssueQuery()
            change(&query)
            return try store.issues(query).map(\.id)
        }
        note("cases of bob", try cases { $0.assignedTo = ["bob"] })
        note("cases of ada", try cases { $0.assignedTo = ["ada"] })
        note("high cases", try cases { $0.priority = "high" })
        note("normal cases", try cases { $0.priority = "normal" })
        note("unassigned cases", try cases { $0.unassigned = true })
        note("cases ada may see", try cases { $0.needToKnow = "ada" })
        note("cases bob may see", try cases { $0.needToKnow = "bob" })
        #expect(try cases { $0.needToKnow = "ada" }.isEmpty)
        #expect(try cases { $0.needToKnow = "bob" } == [issue])
        try store.keepOriginal(
            RedactedOriginal(
                event: comment.id.hex,
                issue: issue,
                content: "x",
                redactedBy: "ada",
                at: 212,
                keepUntil: 300
            )
        )
        note("originals", try store.originals(issue: issue, now: 250))
        note("purged", try store.purgeOriginals(now: 300))
        note("originals after", try store.originals(issue: issue, now: 250))
        note("flag", try store.addFlag(issue: issue, event: comment.id.hex, reason: "rude", note: "", at: 213, cap: 2))
        note("flag", try store.addFlag(issue: issue, event: comment.id.hex, reason: "rude", note: "n", at: 214, cap: 2))
        note(
            "flag over cap",
            try store.addFlag(issue: issue, event: comment.id.hex, reason: "x", note: "", at: 215, cap: 2)
        )
        note("flags", try store.flags(limit: 10))
        note("dismissed", try store.dismissFlags(event: comment.id.hex))

        // The audit trail, chained.
        note("audit head", try store.auditHead())
        for index in 1...3 {
            note(
                "audit",
                try store.appendAudit(
                    actor: "ada",
                    action: "note",
                    subject: issue,
                    address: "127.0.0.1",
                    event: index == 2 ? comment.id.hex : nil,
                    detail: "entry \(index)",
                    at: 300 + Int64(index)
                )
            )
        }
        note("audit head", try store.auditHead())
        note("audit hash 2", try store.auditHash(entries: 2) as Any)
        note("audit hash 9", try store.auditHash(entries: 9) as Any)
        note("audit entries", try store.auditEntries(after: 1, limit: 5))
        #expect(try store.auditEntries(after: 0, limit: 5).map(\.seq) == [1, 2, 3])

        // Residents' mail.
        note("follows of the issue", try store.follows(ofIssue: issue))
        let follow = try store.addFollow(
            email: "bea@example.org",
            issue: nil,
            area: "north",
            token: "token-bea",
            confirmed: false,
            language: "cy",
            at: now
        )
        note("follow", follow)
        note(
            "same follow",
            try store.addFollow(
                email: "bea@example.org",
                issue: nil,
                area: "north",
                token: "token-other",
                confirmed: true,
                language: "en",
                at: now
            )
        )
        note("area follows unconfirmed", try store.follows(ofAreas: ["north"]))
        note("confirmed", try store.confirmFollow(id: follow.id, at: now))
        note("area follows", try store.follows(ofAreas: ["north", "south"]))
        note("requests", try store.followRequests(email: "bea@example.org", since: now))
        note("cursor", try store.mailCursor())
        let mails = [
            QueuedMail(
                key: "e1:follow-\(follow.id)",
                recipient: "bea@example.org",
                subject: "New",
                body: "b",
                unsubscribe: "u"
            ),
            QueuedMail(
                key: "e2:follow-\(follow.id)",
                recipient: "bea@example.org",
                subject: "Two",
                body: "b",
                unsubscribe: nil
            ),
            QueuedMail(key: "e3:confirm", recipient: "ada@example.org", subject: "Three", body: "b", unsubscribe: nil),
        ]
        note("queued", try store.queueMail(mails, cursor: 7, at: now))
        note("queued again", try store.queueMail(mails, cursor: 3, at: now))
        note("cursor", try store.mailCursor())
        let due = try store.dueMail(at: now, limit: 10, perRecipientPerHour: 1)
        note("due", due)
        if let first = due.first { try store.markSent(first.id, at: now) }
        note("due after one sent", try store.dueMail(at: now, limit: 10, perRecipientPerHour: 1))
        if let last = due.last {
            try store.markFailed(
                last.id,
                error: "relay said no",
                retryAt: Timestamp(secondsSinceEpoch: now.secondsSinceEpoch + 60),
                at: now
            )
        }
        note("due after a retry", try store.dueMail(at: now, limit: 10, perRecipientPerHour: 5))
        if let last = due.last { try store.markFailed(last.id, error: "gave up", retryAt: nil, at: now) }
        note("outbox", try store.outboxCounts())
        note("removed follow", try store.removeFollow(id: follow.id))
        note("outbox after", try store.outboxCounts())

        // Bridges.
        let route = factory.event(
            .route,
            by: FixedKeys.council,
            on: report.id,
            after: [comment],
            body: Bodies.route([bridgeBody, police])
        )
        _ = try store.ingestNow([route], source: "local", now: now)
        let undelivered = try store.undelivered(to: [bridgeBody], limit: 10)
        note("undelivered", undelivered)
        #expect(undelivered.map(\.issue) == [report.id])
        try store.queueDeliveries(undelivered, at: now)
        try store.queueDeliveries(undelivered, at: now)
        note("undelivered after queueing", try store.undelivered(to: [bridgeBody], limit: 10))
        note("due deliveries", try store.dueDeliveries(at: now, limit: 10))
        if let key = undelivered.first {
            try store.deliveryFailed(
                key,
                error: "timeout",
                retryAt: Timestamp(secondsSinceEpoch: 1_800_000_060),
                at: now
            )
            note("after failure", try store.deliveries(to: bridgeBody, limit: 10))
            try store.deliverySent(key, reference: "ext-42", at: now)
            note("after delivery", try store.deliveries(to: nil, limit: 10))
            note("delivered issue", try store.deliveredIssue(relay: bridgeBody, reference: "ext-42") as Any)
        }
        note("poll cursor", try store.pollCursor(relay: bridgeBody) as Any)
        try store.setPollCursor(relay: bridgeBody, to: now)
        try store.setPollCursor(relay: bridgeBody, to: Timestamp(secondsSinceEpoch: 1_800_000_100))
        note("poll cursor", try store.pollCursor(relay: bridgeBody) as Any)
        note("answer relayed", try store.markAnswerRelayed(relay: bridgeBody, answer: "a1", at: now))
        note("answer relayed again", try store.markAnswerRelayed(relay: bridgeBody, answer: "a1", at: now))

        // The gazetteer: every word, the last as a prefix, without case or accents.
        note("has places", try store.hasPlaces())
        try store.replaceGazetteer([
            Place(name: "Mill Lane", kind: "street", latitude: 52.2, longitude: 0.12),
            Place(name: "Mill Road", kind: "street", latitude: 52.19, longitude: 0.14),
            Place(name: "Église Square", kind: "place", latitude: 52.21, longitude: 0.11),
            Place(name: "Millington", kind: "village", latitude: 52.3, longitude: 0.2),
        ])
        for text in ["mill", "mill la", "eglise", "ÉGL", "road mill", "nothing", "  "] {
            note("places \(text)", try store.places(matching: text, limit: 10).map(\.name))
        }
        #expect(
            try Set(store.places(matching: "mill", limit: 10).map(\.name)) == ["Mill Lane", "Mill Road", "Millington"]
        )
        #expect(try store.places(matching: "eglise", limit: 10).map(\.name) == ["Église Square"])
        note("has places", try store.hasPlaces())

        // A person's records, then their erasure; then retention.
        let found = try store.subjectRecords(email: "ada@example.org", phone: "01223 555123")
        note("subject", found)
        #expect(found.contacts.count == 1 && found.heldReports.count == 1 && found.open311.count == 1)
        note("erased", try store.eraseSubject(email: "ada@example.org", phone: nil))
        note("subject after", try store.subjectRecords(email: "ada@example.org", phone: "01223 555123"))
        #expect(try store.subjectRecords(email: "ada@example.org", phone: nil).isEmpty)
        let far = Timestamp(secondsSinceEpoch: 1_900_000_000)
        note(
            "retention",
            try store.applyRetention(
                RetentionCutoffs(
                    contactsOfIssuesClosedBefore: far,
                    heldReportsBefore: far,
                    flagsBefore: far,
                    open311DetailsBefore: far,
                    mailBefore: far,
                    unconfirmedFollowsBefore: far
                )
            )
        )
        return said
    }

    @Test func theVaultAnswersAsSQLiteDoes() async throws {
        let folder = TemporaryDirectory("pg-vault")
        defer { folder.remove() }
        let path = folder.file("store.sqlite").path
        let sqlite = try await onOwnThread { try exercise(try SQLiteStore(path: path)) }
        try await PostgresServer.with(in: folder) { server in
            let store = try PostgresStore.open(url: server.url, passwordFile: server.passwordFile)
            defer { store.close() }
            let postgres = try await onOwnThread { try exercise(store) }
            #expect(postgres.count == sqlite.count)
            for (mine, theirs) in zip(postgres, sqlite) where mine != theirs {
                Issue.record("PostgreSQL said \(mine)\nSQLite said     \(theirs)")
            }
            // The audit trail is append-only on the server itself.
            #expect(throws: StoreError.self) { try store.execute("UPDATE audit SET detail = 'changed'") }
            #expect(throws: StoreError.self) { try store.execute("DELETE FROM audit") }
        }
    }
}
