import CIXCore
import CIXNode
import CIXPostgres
import CIXStore
import CIXTesting
import Foundation
import GRDB
import Testing

/// The head of a node's staff audit trail, published in its descriptor and
/// witnessed by its peers over real HTTPS: growth is consistent, a rewritten
/// past is found and recorded in the witness's own trail.
@Suite("Staff audit head", .serialized)
struct StaffAuditHeadTests {
    @Test func peersWitnessTheAuditHeadAndFindARewrittenPast() async throws {
        try await WebTown.run("staff-audit-head") { town in
            let council = town.council.node
            _ = try await town.addStaff("ada", role: "org-admin")
            #expect(try council.publishDescriptorIfAuditMoved(now: .now(), minimumAge: 0))
            #expect(try !council.publishDescriptorIfAuditMoved(now: .now(), minimumAge: 0), "nothing moved since")
            let first = try #require(try council.ownDescriptor()?.audit)
            #expect(first == (try council.staffRecords.auditHead()) && first.entries >= 1)
            try await town.police.pullFromPeers()
            #expect(try town.police.node.store.descriptors().first { $0.node == council.id }?.audit == first)

            // The endpoint gives hashes of the chain, and nothing else.
            let web = WebClient(node: town.council)
            let zero = try await web.get("/.well-known/cix/audit?entries=0").json()
            #expect(zero["hash"]?.stringValue == AuditEntry.genesis)
            let atHead = try await web.get("/.well-known/cix/audit?entries=\(first.entries)").json()
            #expect(atHead["hash"]?.stringValue == first.head)
            let beyond = try await web.get("/.well-known/cix/audit?entries=999999")
            #expect(beyond.status == 404 && beyond.text.contains("unknown_entry"))
            #expect(try await web.get("/.well-known/cix/audit?entries=-1").status == 400)
            #expect(try await web.get("/.well-known/cix/audit?entries=many").status == 400)

            // The trail grows and the head is published again: consistent, nothing found.
            _ = try await town.addStaff("olive", role: "case-officer")
            #expect(try council.publishDescriptorIfAuditMoved(now: .now(), minimumAge: 0))
            try await town.police.pullFromPeers()
            #expect(try Self.findings(town.police).isEmpty)

            // Someone with the council's disk rewrites its first entry and, carefully, every hash after
            // it, then the trail grows again: the police find that the past they saw has changed.
            let held = try #require(try council.ownDescriptor()?.audit)
            try Self.rewriteFirstEntry(of: town.council)
            // The rewrite passes the node's own check: only a witness can tell.
            #expect(
                try await CLI(data: town.council.node.directory.root.path).runAsync(["audit", "verify"]).status == 0
            )
            _ = try await town.addStaff("mallory", role: "org-admin")
            #expect(try council.publishDescriptorIfAuditMoved(now: .now(), minimumAge: 0))
            try await town.police.pullFromPeers()
            let findings = try Self.findings(town.police)
            #expect(findings.count == 1)
            #expect(findings.first?.detail.contains("rewritten before entry \(held.entries)") == true)
            #expect(findings.first?.subject == council.id.hex)
        }
    }

    static func findings(_ node: LiveNode) throws -> [AuditEntry] {
        try node.node.staffRecords.auditEntries(after: 0, limit: 1000).filter { $0.action == "peer-audit-rewritten" }
    }

    /// What a careful forger does: change an entry, recompute the chain after it.
    static func rewriteFirstEntry(of node: LiveNode) throws {
        if let postgres = node.node.store as? PostgresStore {
            // The same rewrite where the trail is kept in PostgreSQL: its guard taken off, then put back.
            try postgres.execute("ALTER TABLE audit DISABLE TRIGGER audit_append_only")
            try postgres.execute("UPDATE audit SET detail = 'nothing to see' WHERE seq = 1")
            let entries = try node.node.staffRecords.auditEntries(after: 0, limit: 10_000)
            var previous = AuditEntry.genesis
            for entry in entries {
                let hash = entry.expectedHash(previous: previous)
                try postgres.execute("UPDATE audit SET hash = '\(hash)' WHERE seq = \(entry.seq)")
                previous = hash
            }
            try postgres.execute("ALTER TABLE audit ENABLE TRIGGER audit_append_only")
            return
        }
        let queue = try DatabaseQueue(path: node.node.directory.store.path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete")
            try db.execute(sql: "UPDATE audit SET detail = 'nothing to see' WHERE seq = 1")
        }
        let entries = try node.node.staffRecords.auditEntries(after: 0, limit: 10_000)
        var previous = AuditEntry.genesis
        try queue.write { db in
            for entry in entries {
                let hash = entry.expectedHash(previous: previous)
                try db.execute(sql: "UPDATE audit SET hash = ? WHERE seq = ?", arguments: [hash, entry.seq])
                previous = hash
            }
        }
    }
}
