import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXTesting
import Foundation
import Testing

/// Consented sharing (issue 13, item 5) on three real nodes over HTTPS: a
/// resident who ticks "the bodies handling this may contact me" has their
/// details sealed to each body the report goes to, and only that body's staff
/// with the right permission can read them; mirrors and the public never
/// see them; withdrawing and retention remove them.
@Suite("Consented sharing of contact details", .serialized)
struct ContactSharingTests {
    static let name = "Cara Sealtest"
    static let email = "cara.sealtest@residents.example"
    static let phone = "07700 900417"

    /// The resident reports anti-social behaviour through the council's form (routed to the council
    /// and the police), with their details, ticking the consent box or not.
    static func reportThroughTheForm(_ town: WebTown, consent: Bool) async throws -> EventID {
        let client = WebClient(node: town.council)
        let session = try await client.formSession("/report")
        let fields = [
            ("category", "antisocial_behaviour"), ("title", "Threats shouted at the bus stop every night"),
            ("lat", "52.228"), ("lon", "0.110"), ("name", name), ("email", email), ("phone", phone),
            ("csrf", session.token),
        ]
        let sent = try await client.post(
            "/report",
            fields + (consent ? [("share", "yes")] : []),
            headers: [("Cookie", session.cookie)]
        )
        #expect(sent.status == 303, "\(sent.text)")
        let id = sent.header("location")?.split(separator: "/").dropFirst().first.map(String.init) ?? ""
        return try #require(EventID(id))
    }

    static func contactEvents(_ node: LiveNode, _ issue: EventID) throws -> [Event] {
        try node.node.store.events(ofIssue: issue).compactMap { try? Event.decodeStored($0.bytes) }
            .filter { $0.kind == .contact }
    }

    @Test func aConsentingResidentsDetailsReachOnlyThePoliceSealedAndOnlyItsEntitledStaffReadThem() async throws {
        try await WebTown.run("contact-sharing") { town in
            let form = try await WebClient(node: town.council).get("/report")
            #expect(form.text.contains("name=\"share\" type=\"checkbox\" value=\"yes\">"))
            let issue = try await Self.reportThroughTheForm(town, consent: true)
            let routed = try #require(try town.council.node.store.issueState(issue)).agencies.keys
            #expect(Set(routed) == [town.council.node.id, town.police.node.id])

            // The council seals to every body handling it but itself: the police, once.
            let made = try town.council.node.shareWaitingContacts(now: .now())
            #expect(made == 1)
            #expect(try town.council.node.shareWaitingContacts(now: .now()) == 0)
            try await town.council.pushToPeers()
            try await town.syncMirror()

            let held = try Self.contactEvents(town.police, issue)
            #expect(held.count == 1)
            let sealed = try #require(held.first)
            #expect(sealed.author == town.council.node.id && sealed.audience == .partners([town.police.node.id]))
            #expect(try Self.contactEvents(town.mirror, issue).isEmpty, "a mirror never receives sealed details")
            #expect(try town.mirror.node.store.event(sealed.id) == nil)

            // Only the police can open them; the council's own seal key cannot.
            let opened = try #require(try town.police.node.sharedContact(forIssue: issue))
            #expect(opened.card == ContactCard(name: Self.name, email: Self.email, phone: Self.phone))
            #expect(opened.from == town.council.node.id)
            guard case .contact(let body)? = sealed.content else { throw TestFailure("no body") }
            let councilKey = try #require(try town.council.node.sealKey())
            #expect(throws: CoreError.self) { try SealedContact.open(body, issue: issue, with: councilKey) }

            // Not a byte of the details on the police's or the mirror's disk, nor in any public answer;
            // the search finds them where they are kept (the council's private table).
            if town.council.node.config.store == nil {
                #expect(!(try Canary.filesHolding(Self.email, under: town.council.node.directory.root).isEmpty))
            } else {
                // In PostgreSQL (`CIX_TEST_STORE=postgres`): kept in the council's vault, not in its directory.
                #expect(try town.council.node.contact(forIssue: issue)?.email == Self.email)
            }
            for canary in [Self.email, Self.phone, Self.name] {
                #expect(try Canary.filesHolding(canary, under: town.police.node.directory.root).isEmpty)
                #expect(try Canary.filesHolding(canary, under: town.mirror.node.directory.root).isEmpty)
                for node in [town.council, town.police, town.mirror] {
                    for path in ["/issues/\(issue.hex)", "/api/v1/issues/\(issue.hex)", "/feed.atom"] {
                        let answer = try await WebClient(node: node).get(path)
                        #expect(!answer.text.contains(canary), "\(node.url) \(path)")
                        #expect(!answer.text.contains(sealed.id.hex), "\(node.url) \(path)")
                    }
                }
            }

            // Police staff see them on request only with the permission, and the view is audited.
            let officer = try await StaffClient.signIn(
                WebClient(node: town.police),
                try await town.addStaff("pat", role: "case-officer", on: town.police)
            )
            let analyst = try await StaffClient.signIn(
                WebClient(node: town.police),
                try await town.addStaff("ana", role: "analyst", on: town.police)
            )
            let casePage = try await officer.get("/staff/cases/\(issue.hex)")
            #expect(casePage.status == 200)
            #expect(casePage.text.contains("Show the contact details") && !casePage.text.contains(Self.email))
            let shown = try await officer.post("/staff/cases/\(issue.hex)/contact")
            #expect(shown.status == 200)
            #expect(shown.text.contains(Self.email) && shown.text.contains("07700 900417"))
            #expect(shown.text.contains("Shared by council"), "\(shown.text)")
            let analystPage = try await analyst.get("/staff/cases/\(issue.hex)")
            #expect(analystPage.status == 200 && !analystPage.text.contains("Show the contact details"))
            let denied = try await analyst.post("/staff/cases/\(issue.hex)/contact")
            #expect(denied.status == 403 && !denied.text.contains(Self.email))
            let views = try town.police.node.staffRecords.auditEntries(after: 0, limit: 100).filter {
                $0.action == "view-contact"
            }
            #expect(views.map(\.actor) == ["pat"])
        }
    }

    @Test func withoutConsentNothingIsSealedAndConsentNeedsAWayToBeReached() async throws {
        try await WebTown.run("contact-no-consent") { town in
            let issue = try await Self.reportThroughTheForm(town, consent: false)
            #expect(try town.council.node.shareWaitingContacts(now: .now()) == 0)
            try await town.council.pushToPeers()
            #expect(try Self.contactEvents(town.council, issue).isEmpty)
            #expect(try Self.contactEvents(town.police, issue).isEmpty)
            #expect(try town.police.node.sharedContact(forIssue: issue) == nil)

            // Consent with neither e-mail nor phone: the form says what is missing, nothing is stored.
            let before = try town.council.node.store.counts().events
            let client = WebClient(node: town.council)
            let session = try await client.formSession("/report")
            let refused = try await client.post(
                "/report",
                [
                    ("category", "antisocial_behaviour"), ("title", "Shouting again"), ("lat", "52.228"),
                    ("lon", "0.110"), ("name", "Only A Name"), ("share", "yes"), ("csrf", session.token),
                ],
                headers: [("Cookie", session.cookie)]
            )
            #expect(refused.status == 422)
            #expect(refused.text.contains("Give an email address or a phone number for the bodies handling this"))
            #expect(try town.council.node.store.counts().events == before)
        }
    }

    @Test func aBodyReachedLaterGetsTheDetailsAndRetentionAndErasureTakeThemBack() async throws {
        try await WebTown.run("contact-later") { town in
            // Fly-tipping goes to the council alone; the council transfers it to the police.
            var submission = ReportSubmission(
                title: "Fridge dumped in the alley",
                category: "fly_tipping",
                latitude: 52.205,
                longitude: 0.121
            )
            submission.reporterEmail = Self.email
            submission.sharesContact = true
            let issue = try town.council.node.intake.report(submission, now: .now()).id
            #expect(try town.council.node.shareWaitingContacts(now: .now()) == 0, "no other body handles it yet")
            _ = try town.council.node.act(
                .transfer(TransferBody(to: town.police.node.id, reason: "Dumped as a threat: a police matter")),
                on: issue,
                now: .now()
            )
            #expect(try town.council.node.shareWaitingContacts(now: .now()) == 1)
            try await town.council.pushToPeers()
            #expect(try town.police.node.sharedContact(forIssue: issue)?.card.email == Self.email)

            // The police close it; a year and more later the police's retention withholds the sealed body.
            _ = try town.police.node.act(
                .status(StatusBody(state: .fixed, note: "Removed")),
                on: issue,
                now: .now()
            )
            let soon = try town.police.node.applyRetention(by: "test", now: .now())
            #expect(soon.deleted.sealedContacts == 0)
            let later = Timestamp(secondsSinceEpoch: Timestamp.now().secondsSinceEpoch + 400 * 86_400)
            let report = try town.police.node.applyRetention(by: "test", now: later).deleted
            #expect(report.sealedContacts == 1)
            #expect(try town.police.node.sharedContact(forIssue: issue) == nil)
            let kept = try #require(try Self.contactEvents(town.police, issue).first)
            #expect(kept.content == nil, "the envelope stays, and still verifies; the body is gone")
            #expect(try Event.decodeStored(kept.bytes).id == kept.id)

            // Another resident, on another report, asks the council to erase them: the sealed copy is
            // withdrawn by a redaction addressed to the police alone, which deletes it there.
            var second = submission
            second.title = "Second fridge in the same alley"
            second.reporterEmail = "dan.erased@residents.example"
            let other = try town.council.node.intake.report(second, now: .now()).id
            _ = try town.council.node.act(
                .transfer(TransferBody(to: town.police.node.id, reason: "Same threat")),
                on: other,
                now: .now()
            )
            #expect(try town.council.node.shareWaitingContacts(now: .now()) == 1)
            try await town.council.pushToPeers()
            #expect(try town.police.node.sharedContact(forIssue: other) != nil)
            let erased = try await CLI(data: town.council.node.directory.root.path).runAsync([
                "subject", "erase", "--email", "dan.erased@residents.example",
            ])
            #expect(erased.status == 0, "\(erased.stderr)")
            #expect(erased.stdout.contains("sealed copy"), "\(erased.stdout)")
            try await town.council.pushToPeers()
            #expect(try town.police.node.sharedContact(forIssue: other) == nil)
            let redactions = try town.police.node.store.events(ofIssue: other).compactMap {
                try? Event.decodeStored($0.bytes)
            }.filter { $0.kind == .redact }
            #expect(redactions.count == 1 && redactions.first?.audience == .partners([town.police.node.id]))
            try await town.syncMirror()
            #expect(try town.mirror.node.store.events(ofIssue: other).allSatisfy { $0.isPublic })
            let verify = try await CLI(data: town.police.node.directory.root.path).runAsync(["verify"])
            #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        }
    }
}
