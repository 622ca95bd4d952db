import CIXCore
import CIXNode
import CIXTesting
import Foundation
import Testing

/// Screening before anything is signed: what is personal data and what is
/// not, and what each policy makes of it.
@Suite("Screening for personal data")
struct ScreeningTests {
    /// Text, and the kinds found in it, in order (empty: nothing to find).
    static let table: [(String, [ScreeningFinding.Kind])] = [
        ("Call me on 07700 900123 after six", [.phone]),
        ("ring +44 7700 900123 any time", [.phone]),
        ("landlord: (01632) 960 001", [.phone]),
        ("Text 07700900123.", [.phone]),
        ("email ann@example.org please", [.email]),
        ("I live at 14 Mill Lane, Greenfield GF1 2AB and it is outside", [.homeAddress]),
        ("Car AB12 CDE has been here for weeks", [.vehiclePlate]),
        ("plate AB12CDE", [.vehiclePlate]),
        ("Bill (bill.sample@example.org, 07700 900456) saw it", [.email, .phone]),
        // Not personal data:
        ("Reported on 2026-11-26 at 09:00", []),
        ("Since 26/11/2026 10:30, twice", []),
        ("Same as issue 0f930f590f22030200b8bb005667653d81f4e2adf618ebf301297a802a83cbd1", []),
        ("The repair cost £1,250.00 last year and €3,000,000 in 2025", []),
        ("Bus 42 stops here; the 101 too", []),
        ("Outside 14 Mill Lane by the bus stop", []),
        ("Anywhere in GF1 2AB really", []),
        ("Depth 0.05 m, width 1200 mm, 20 mph limit", []),
        ("version 2.0.1 of the app, call 999 in an emergency", []),
        ("Open 08:00–18:00, Monday to Friday", []),
    ]

    @Test func findsPersonalDataAndNothingElse() {
        let screening = PersonalDataScreening()
        for (text, kinds) in Self.table {
            #expect(screening.findings(in: text).map(\.kind) == kinds, "\(text)")
        }
    }

    @Test func masksWhatItFinds() {
        let masked = PersonalDataScreening().masked("Bill (bill.sample@example.org, 07700 900456) saw AB12 CDE")
        #expect(masked.text == "Bill ([e-mail address removed], [phone number removed]) saw [registration removed]")
        #expect(masked.findings.count == 3)
    }

    @Test func anIntakeWarnsOrMasksAndNeverSignsTheFindings() async throws {
        try await NodeTests().withNode { node, _ in
            var submission = ReportSubmission(
                title: "Car parked for weeks, call 07700 900123",
                description: "Silver car AB12 CDE. Owner is ann@example.org.",
                category: "abandoned_vehicle",
                latitude: 52.205,
                longitude: 0.125
            )
            // Warned: every finding is a problem naming its field; nothing is signed.
            do {
                _ = try node.intake.report(submission, now: .now())
                Issue.record("a report with personal data was taken as it was")
            } catch let error as IntakeError {
                guard case .invalid(let problems) = error else { throw error }
                #expect(problems.allSatisfy { $0.isScreening })
                #expect(problems.map(\.field) == ["title", "description", "description"])
                #expect(
                    problems.first?.message.contains("In the title, this looks like a phone number: “07700 900123”")
                        == true
                )
            }
            #expect(try node.store.counts().events == 0)
            // Masked: signed without them, and said.
            submission.screening = .mask
            let receipt = try node.intake.report(submission, now: .now())
            let report = try #require(try node.store.issueState(receipt.id)?.report)
            #expect(report.title == "Car parked for weeks, call [phone number removed]")
            #expect(report.description == "Silver car [registration removed]. Owner is [e-mail address removed].")
            #expect(receipt.masked.map(\.field) == ["title", "description", "description"])
            let everything = try node.store.events(after: 0, limit: 100).map {
                String(decoding: $0.bytes, as: UTF8.self)
            }.joined()
            for secret in ["07700 900123", "AB12 CDE", "ann@example.org"] { #expect(!everything.contains(secret)) }
            // Contributions too.
            var comment = ContributionSubmission(.comment, text: "Ring 07700 900999 for the key")
            let refused = Result { () throws(IntakeError) in
                try node.intake.contribute(comment, on: receipt.id, now: .now())
            }
            #expect(throws: IntakeError.self) { try refused.get() }
            comment.screening = .mask
            let event = try node.intake.contribute(comment, on: receipt.id, now: .now())
            #expect(event.content?.texts == ["Ring [phone number removed] for the key"])
        }
    }
}
