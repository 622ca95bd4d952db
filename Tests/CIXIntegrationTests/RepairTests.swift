import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXNode
import CIXStore
import CIXTesting
import Foundation
import Testing

/// Repair by set reconciliation between real nodes over HTTPS: the gaps no
/// pull cursor can see are found and closed both ways, for little traffic.
@Suite("Repair by set reconciliation", .serialized)
struct RepairTests {
    static func report(_ node: LocalNode, _ title: String) throws {
        _ = try node.intake.report(
            ReportSubmission(title: title, category: "litter", latitude: 52.21, longitude: 0.12),
            now: .now()
        )
    }

    /// The ids of the events in a node's export.
    static func exportedIDs(_ node: LocalNode, in folder: TemporaryDirectory, _ name: String) throws -> Set<String> {
        let file = folder.file(name)
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        _ = try EventExporter(store: node.store).export(to: handle, includePartnerOnly: true)
        try handle.close()
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        return Set(
            lines.compactMap { line -> String? in
                guard let object = try? JSONParser().parse(Array(line.utf8)).objectValue, object["body_hash"] != nil
                else { return nil }
                return object["id"]?.stringValue
            }
        )
    }

    /// The council is restored from an export older than what the mirror pulled, and takes new
    /// reports: the mirror's cursor is past both gaps, so pulling finds nothing; one repair closes them.
    @Test func aNodeRestoredFromAnOlderBackupAndItsMirrorConvergeInOneRepair() async throws {
        let folder = TemporaryDirectory("repair-restore")
        defer { folder.remove() }
        let port = try await Browser.freePort()
        let council = try await LiveNode.start("council", kind: .council, in: folder, port: port)
        let mirror = try await LiveNode.start("mirror", kind: .mirror, in: folder)
        var running = [council, mirror]
        do {
            try await mirror.peer(with: [council])
            for number in 1...20 { try Self.report(council.node, "Litter \(number)") }
            let backup = folder.file("backup.ndjson")
            FileManager.default.createFile(atPath: backup.path, contents: nil)
            let handle = try FileHandle(forWritingTo: backup)
            _ = try EventExporter(store: council.node.store).export(to: handle, includePartnerOnly: true)
            try handle.close()
            for number in 21...30 { try Self.report(council.node, "Litter \(number)") }
            try await mirror.pullFromPeers()
            #expect(try mirror.node.store.counts().events == 30)

            // Restore: the same key, config and certificate, the store from the older export.
            await council.stop()
            running = [mirror]
            let restoredDirectory = NodeDirectory(path: folder.file("council-restored").path)
            // Everything but the store and SQLite's side files (which may vanish as connections close).
            let storeName = council.node.directory.store.lastPathComponent
            try FileManager.default.createDirectory(at: restoredDirectory.root, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: council.node.directory.root.path)
            where !name.hasPrefix(storeName) && !name.hasSuffix("-wal") && !name.hasSuffix("-shm") {
                try FileManager.default.copyItem(
                    at: council.node.directory.root.appendingPathComponent(name),
                    to: restoredDirectory.root.appendingPathComponent(name)
                )
            }
            let imported = try await EventImporter(node: try LocalNode.open(restoredDirectory)).importFile(
                backup,
                source: "import",
                now: { .now() }
            )
            #expect(imported.accepted == 20)
            let restored = try await LiveNode.serve(try LocalNode.open(restoredDirectory), listen: "127.0.0.1:\(port)")
            running.append(restored)
            try await restored.peer(with: [mirror])
            for number in 31...35 { try Self.report(restored.node, "Litter \(number)") }

            // The gap: the mirror's cursor is past the restored node's new events.
            try await mirror.pullFromPeers()
            #expect(try mirror.node.store.counts().events == 30, "a pull cannot see the new events")

            let peer = try #require(try mirror.node.store.peer(restored.node.id))
            let repair = try await PeerSync(node: mirror.node).repair(with: peer, now: { .now() })
            #expect(!repair.fellBack, "both sides compare sum fingerprints")
            #expect(repair.peersOwnEvents, "a mirror compares a body's own events")
            #expect(repair.missingHere == 5 && repair.fetched.stored == 5, "\(repair.summary)")
            #expect(repair.missingThere == 10 && repair.pushedStored == 10, "\(repair.summary)")
            #expect(repair.pushFailure == nil && repair.pushRejected.isEmpty)
            let onMirror = try Self.exportedIDs(mirror.node, in: folder, "mirror.ndjson")
            let onCouncil = try Self.exportedIDs(restored.node, in: folder, "restored.ndjson")
            #expect(onMirror.count == 35 && onMirror == onCouncil, "\(onMirror.count) \(onCouncil.count)")

            // Once equal, a repair finds nothing and moves nothing.
            let again = try await PeerSync(node: mirror.node).repair(with: peer, now: { .now() })
            #expect(again.missingHere == 0 && again.missingThere == 0 && again.rounds == 1, "\(again.summary)")
        } catch {
            for node in running { await node.stop() }
            throw error
        }
        for node in running { await node.stop() }
    }

    /// A mirror holds every body's events; repairing with one body it compares that body's own
    /// events only: what it lacks of them is found, and the other bodies' events, which the body
    /// never held, are not offered to it. Over every event they would be.
    @Test func aMirrorRepairsWithABodyOverThatBodysOwnEvents() async throws {
        let folder = TemporaryDirectory("repair-own-events")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        let police = try await LiveNode.start("police", kind: .police, in: folder)
        let mirror = try await LiveNode.start("mirror", kind: .mirror, in: folder)
        let running = [council, police, mirror]
        do {
            try await mirror.peer(with: [council, police])
            for number in 1...6 { try Self.report(council.node, "Litter \(number)") }
            for number in 1...4 { try Self.report(police.node, "Abandoned car \(number)") }
            try await mirror.pullFromPeers()
            // Three more of the council's that the mirror has not pulled.
            for number in 7...9 { try Self.report(council.node, "Litter \(number)") }
            let councilPeer = try #require(try mirror.node.store.peer(council.node.id))
            let onMirror = Set(
                try mirror.node.store.reconcilableIDs(sharedWith: council.node.id, holder: mirror.node.id)
            )
            let onCouncil = Set(
                try council.node.store.reconcilableIDs(sharedWith: mirror.node.id, holder: council.node.id)
            )
            let othersOnMirror = onMirror.subtracting(onCouncil)
            #expect(!othersOnMirror.isEmpty, "the mirror holds the police's events, which the council does not")

            let narrowed = try await PeerSync(node: mirror.node).repair(with: councilPeer, now: { .now() })
            #expect(narrowed.peersOwnEvents && narrowed.narrowedTo == [council.node.id] && !narrowed.fellBack)
            #expect(narrowed.summary.contains("the peer's own events compared"))
            #expect(narrowed.missingHere == 3 && narrowed.fetched.stored == 3, "\(narrowed.summary)")
            #expect(narrowed.missingThere == 0 && narrowed.pushedStored == 0, "\(narrowed.summary)")
            let again = try await PeerSync(node: mirror.node).repair(with: councilPeer, now: { .now() })
            #expect(again.missingHere == 0 && again.missingThere == 0 && again.rounds == 1, "\(again.summary)")

            // Over every event, the police's are "missing there": what a national mirror would offer each body.
            let whole = try await PeerSync(node: mirror.node).repair(
                with: councilPeer,
                scope: .everything,
                now: { .now() }
            )
            #expect(!whole.peersOwnEvents && whole.narrowedTo == nil && whole.missingHere == 0, "\(whole.summary)")
            #expect(whole.missingThere == othersOnMirror.count, "\(whole.summary)")
        } catch {
            for node in running { await node.stop() }
            throw error
        }
        for node in running { await node.stop() }
    }

    /// A peer that predates `sum` fingerprints refuses the first request (400); the repair starts
    /// again with `sha256`, settles, and says so.
    @Test func aPeerThatPredatesSumFingerprintsIsRepairedBySHA256Ones() async throws {
        let folder = TemporaryDirectory("repair-older")
        defer { folder.remove() }
        let council = try await LiveNode.start("council", kind: .council, in: folder)
        do {
            for number in 1...12 { try Self.report(council.node, "Litter \(number)") }
            let older = FixedKeys.police.id
            let ids = try council.node.store.reconcilableIDs(sharedWith: older, holder: council.node.id)
            let peer = try await OlderReconcilingPeer.start(holding: ids)
            defer { Task { await peer.stop() } }
            let pinned = Peer(
                node: older,
                url: peer.base,
                name: "older police",
                kind: "police",
                key: FixedKeys.police.key.publicKey.hex,
                caPEM: peer.caPEM,
                addedAt: .now()
            )
            let repair = try await PeerSync(node: council.node).repair(with: pinned, now: { .now() })
            #expect(
                repair.fellBack && repair.summary.contains("every event compared by sha256 ones"),
                "\(repair.summary)"
            )
            #expect(repair.rounds == 1 && repair.missingHere == 0 && repair.missingThere == 0, "\(repair.summary)")
            let requests = peer.requests
            #expect(requests.count == 2)
            #expect(requests.first?["scheme"]?.stringValue == "sum" && requests.last?.names == ["ranges"])
            #expect(requests.last?["ranges"]?.arrayValue?.first?["count"]?.numberValue == Double(ids.count))

            // A mirror narrowing its set to the peer's own events is refused the same way, even
            // by `sha256`, and compares every event instead.
            let live = try await LiveNode.start("mirror", kind: .mirror, in: folder)
            defer { Task { await live.stop() } }
            let mirror = live.node
            let mirrorIDs = try mirror.store.reconcilableIDs(sharedWith: older, holder: mirror.id)
            let mirrored = try await OlderReconcilingPeer.start(holding: mirrorIDs)
            defer { Task { await mirrored.stop() } }
            let narrowed = try await PeerSync(node: mirror).repair(
                with: Peer(
                    node: older,
                    url: mirrored.base,
                    name: "older police",
                    kind: "police",
                    key: FixedKeys.police.key.publicKey.hex,
                    caPEM: mirrored.caPEM,
                    addedAt: .now()
                ),
                scheme: .sha256,
                now: { .now() }
            )
            #expect(narrowed.fellBack && !narrowed.peersOwnEvents && narrowed.rounds == 1, "\(narrowed.summary)")
            let asked = mirrored.requests
            #expect(asked.map(\.names) == [["authors", "ranges"], ["ranges"]])
            #expect(asked.first?["authors"]?.arrayValue?.compactMap(\.stringValue) == [older.hex])
        } catch {
            await council.stop()
            throw error
        }
        await council.stop()
    }

    /// Bad messages get a clear 400 and cost one read; a blocked node gets 403.
    @Test func malformedRequestsAreRefusedOverHTTPS() async throws {
        let folder = TemporaryDirectory("repair-bad")
        defer { folder.remove() }
        let node = try await LiveNode.start("council", kind: .council, in: folder)
        do {
            let web = WebClient(node: node)
            let refused = try await web.request(
                .POST,
                "/federation/v1/reconcile",
                headers: [("Content-Type", "application/json")],
                body: Array("{\"ranges\":[]}".utf8)
            )
            #expect(refused.status == 400 && refused.text.contains("1 to 64 ranges"), "\(refused.text)")
            let huge = try await web.request(
                .POST,
                "/federation/v1/reconcile",
                headers: [("Content-Type", "application/json")],
                body: Array(repeating: 0x20, count: 70_000)
            )
            #expect(huge.status == 413)
            let empty = "e3b0c44298fc1c149afbf4c8996fb924"
            let asked = try await web.request(
                .POST,
                "/federation/v1/reconcile",
                headers: [("Content-Type", "application/json")],
                body: Array(
                    "{\"ranges\":[{\"lower\":null,\"upper\":null,\"fingerprint\":\"\(empty)\",\"count\":0}]}".utf8
                )
            )
            #expect(
                asked.status == 200
                    && asked.text == "{\"answers\":[{\"lower\":null,\"result\":\"same\",\"upper\":null}]}"
            )
            // Fetching by ids: what is held, one per line; a malformed body is a 400.
            let issue = try node.node.intake.report(
                ReportSubmission(title: "Litter", category: "litter", latitude: 52.21, longitude: 0.12),
                now: .now()
            ).id
            let unknown = String(repeating: "0", count: 64)
            let fetched = try await web.request(
                .POST,
                "/federation/v1/fetch",
                headers: [("Content-Type", "application/json")],
                body: Array("{\"ids\":[\"\(issue.hex)\",\"\(unknown)\"]}".utf8)
            )
            #expect(fetched.status == 200 && fetched.header("content-type") == "application/x-ndjson")
            #expect(fetched.body == (try node.node.store.event(issue)?.bytes ?? []) + [0x0A])
            let noIDs = try await web.request(
                .POST,
                "/federation/v1/fetch",
                headers: [("Content-Type", "application/json")],
                body: Array("{\"ids\":[]}".utf8)
            )
            #expect(noIDs.status == 400 && noIDs.text.contains("1 to 1000 event ids"))
        } catch {
            await node.stop()
            throw error
        }
        await node.stop()
    }
}
