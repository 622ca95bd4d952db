import CIXCore
import CIXSQLite
import CIXStore
import CIXTesting
import GRDB
import Testing

/// The agency answers projection: written at ingest, and filled once for a
/// store opened from before it existed.
@Suite("Agency answers")
struct AgencyAnswerTests {
    @Test func answersAreProjectedAndRebuiltForAnOlderStore() throws {
        let folder = TemporaryDirectory("agency-answers")
        defer { folder.remove() }
        let path = folder.file("store.sqlite").path
        var events: [Event] = []
        Workload(issues: 40, eventsPerIssue: 5, seed: 9).generate { events.append($0) }
        let police = FixedKeys.police.id.hex
        let expected = events.filter { $0.author.hex == police && [.accept, .decline, .status].contains($0.kind) }.count
        #expect(expected > 40)
        do {
            let store = try SQLiteStore(path: path)
            _ = try store.ingestNow(events, source: "test", now: .now())
            #expect(try store.agencyAnswers(author: police, from: 0, to: Int64.max / 2).count == expected)
            #expect(try store.agencyParts(node: police).count == 40)
        }
        // As a store from before v7-staff: the migration and its tables gone, and the projection with them.
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            for table in [
                "agency_answer", "audit", "case_note", "case_assignment", "response_template", "held_photo",
                "held_report",
                "staff_session", "staff_recovery_code", "staff_account",
            ] {
                try db.execute(sql: "DROP TABLE \(table)")
            }
            try db.execute(sql: "DROP INDEX agency_part_by_node_role")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v7-staff'")
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try reopened.agencyAnswers(author: police, from: 0, to: Int64.max / 2).count == expected)
    }
}

extension AgencyAnswerTests {
    /// The inbox's two ways of finding a body's parts give the same page in the same order.
    @Test func walkingAndGatheringPartsAgree() throws {
        let folder = TemporaryDirectory("agency-walk")
        defer { folder.remove() }
        let store = try SQLiteStore(path: folder.file("store.sqlite").path)
        var events: [Event] = []
        Workload(issues: 300, eventsPerIssue: 5, seed: 4).generate { events.append($0) }
        _ = try store.ingestNow(events, source: "test", now: .now())
        let open = AgencyStatus.allCases.filter { !$0.isTerminal }.map(\.rawValue)
        for roles in [["accepted"], ["routed", "origin"]] {
            for offset in [0, 25, 200] {
                var query = IssueQuery(agency: FixedKeys.police.id.hex, limit: 25, offset: offset)
                query.agencyRoles = roles
                query.agencyStatuses = open
                query.oldestFirst = true
                let gathered = try store.issues(query)
                query.agencyPartsAreMany = true
                let walked = try store.issues(query)
                #expect(walked == gathered, "\(roles) from \(offset)")
                #expect(walked.map(\.reportedAt) == walked.map(\.reportedAt).sorted())
            }
            // One person's cases: the same page whichever way the parts are found.
            let some = try store.issues(IssueQuery(agency: FixedKeys.police.id.hex, limit: 300)).filter {
                $0.id.hasPrefix("a") || $0.id.hasPrefix("b") || $0.id.hasPrefix("c")
            }
            for issue in some { try store.assign(issue: issue.id, to: "olive", by: "test", at: 1) }
            var mine = IssueQuery(agency: FixedKeys.police.id.hex, limit: 25)
            mine.agencyRoles = roles
            mine.agencyStatuses = open
            mine.oldestFirst = true
            mine.assignedTo = ["olive"]
            let assigned = try store.issues(mine)
            var everyone = mine
            everyone.assignedTo = nil
            everyone.limit = 300
            let theirs = try store.issues(everyone).filter { issue in some.contains { $0.id == issue.id } }
            #expect(assigned == Array(theirs.prefix(25)))
            #expect(try store.issueCount(mine) == theirs.count)
            for issue in some { try store.assign(issue: issue.id, to: nil, by: "test", at: 2) }
            var counted = IssueQuery(agency: FixedKeys.police.id.hex)
            counted.agencyRoles = roles
            counted.agencyStatuses = open
            var general = counted
            general.scopes = [
                CaseScope(categories: [
                    "pothole", "street_lighting", "fly_tipping", "graffiti", "antisocial_behaviour", "bus_timetable",
                ])
            ]
            // The covering-index count and the general count agree.
            #expect(try store.issueCount(counted) == store.issueCount(general))
        }
    }
}
