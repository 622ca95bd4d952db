import CIXCore
import CIXFederation
import CIXNode
import CIXTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension FaultRun {
    /// Two daemons cut apart, or one frozen, then let be: they end up holding the same events.
    @Suite("Partitions and frozen peers")
    struct NetworkFaultTests {
        /// Two `cix serve` processes that may peer over loopback, each reaching the other through `route`.
        struct Pair {
            let council: (directory: NodeDirectory, node: LocalNode, daemon: Daemon)
            let police: (directory: NodeDirectory, node: LocalNode, daemon: Daemon)

            func stop() {
                council.daemon.stop()
                police.daemon.stop()
            }
        }

        static func start(_ folder: TemporaryDirectory) async throws -> Pair {
            var members: [(NodeDirectory, LocalNode, Daemon)] = []
            for (name, kind) in [("council", NodeKind.council), ("police", .police)] {
                let directory = NodeDirectory(path: folder.file(name).path)
                let node = try LocalNode.create(
                    in: directory,
                    name: name,
                    kind: kind,
                    url: "https://127.0.0.1:1",
                    listen: "127.0.0.1:0",
                    allowPrivateAddresses: true,
                    now: .now()
                )
                members.append(
                    (directory, node, try await Daemon.start(directory, arguments: ["--pull-interval", "1"]))
                )
            }
            return Pair(
                council: (members[0].0, members[0].1, members[0].2),
                police: (members[1].0, members[1].1, members[1].2)
            )
        }

        /// Reports made on a node's own store while its daemon runs (the daemon pushes them on).
        static func reports(_ count: Int, on directory: NodeDirectory, named name: String) throws -> [String] {
            let node = try LocalNode.open(directory)
            return try (0..<count).map { index in
                try node.report(
                    ReportSubmission(title: "\(name) \(index)", category: "litter", latitude: 52.2, longitude: 0.12),
                    now: .now()
                ).id.hex
            }
        }

        /// Waits until both stores hold the same events and at least `expected`, for at most `seconds`.
        static func converge(_ pair: Pair, expected: Set<String>, within seconds: Double) async throws -> Double? {
            let started = Date()
            while Date().timeIntervalSince(started) < seconds {
                let council = try FaultRun.heldIDs(pair.council.directory)
                let police = try FaultRun.heldIDs(pair.police.directory)
                if council == police, council.isSuperset(of: expected) { return Date().timeIntervalSince(started) }
                try await Task.sleep(for: .milliseconds(200))
            }
            return nil
        }

        @Test func aPartitionedPairConvergesOnceHealed() async throws {
            let folder = TemporaryDirectory("partition")
            defer { folder.remove() }
            let pair = try await Self.start(folder)
            defer { pair.stop() }
            // Each reaches the other through a proxy that can cut the line.
            let toPolice = try await FaultProxy.start(
                to: Int(pair.police.daemon.url.split(separator: ":").last ?? "") ?? 0
            )
            let toCouncil = try await FaultProxy.start(
                to: Int(pair.council.daemon.url.split(separator: ":").last ?? "") ?? 0
            )
            defer {
                Task {
                    await toPolice.stop()
                    await toCouncil.stop()
                }
            }
            _ = try await PeerSync(node: pair.council.node).addPeer(
                url: toPolice.url,
                caPEM: pair.police.node.certificatePEM,
                now: .now()
            )
            _ = try await PeerSync(node: pair.police.node).addPeer(
                url: toCouncil.url,
                caPEM: pair.council.node.certificatePEM,
                now: .now()
            )
            var made = Set(try Self.reports(5, on: pair.council.directory, named: "Before, council"))
            made.formUnion(try Self.reports(5, on: pair.police.directory, named: "Before, police"))
            #expect(
                try await Self.converge(pair, expected: made, within: 30) != nil,
                "no convergence before the partition"
            )
            // Cut apart, both go on taking reports…
            toPolice.partition()
            toCouncil.partition()
            let councilSide = Set(try Self.reports(20, on: pair.council.directory, named: "Cut off, council"))
            let policeSide = Set(try Self.reports(20, on: pair.police.directory, named: "Cut off, police"))
            try await Task.sleep(for: .seconds(3))
            #expect(
                try FaultRun.heldIDs(pair.police.directory).isDisjoint(with: councilSide),
                "events crossed the partition"
            )
            // …and once the line is back they hold the same events again.
            toPolice.heal()
            toCouncil.heal()
            made.formUnion(councilSide)
            made.formUnion(policeSide)
            let healed = try await Self.converge(pair, expected: made, within: 90)
            print(
                "partition: 40 reports made apart; identical event sets \(healed.map { String(format: "%.1f", $0) } ?? "never") s after healing"
            )
            #expect(healed != nil)
            let council = try FaultRun.heldIDs(pair.council.directory)
            #expect(council == (try FaultRun.heldIDs(pair.police.directory)))
        }

        @Test func aPeerFrozenMidPushCatchesUpWithoutDuplicates() async throws {
            let folder = TemporaryDirectory("frozen")
            defer { folder.remove() }
            let pair = try await Self.start(folder)
            defer { pair.stop() }
            _ = try await PeerSync(node: pair.council.node).addPeer(
                url: pair.police.daemon.url,
                caPEM: pair.police.node.certificatePEM,
                now: .now()
            )
            _ = try await PeerSync(node: pair.police.node).addPeer(
                url: pair.council.daemon.url,
                caPEM: pair.council.node.certificatePEM,
                now: .now()
            )
            // The council takes a stream of reports; its daemon is frozen in the middle of pushing them.
            let directory = pair.council.directory
            let stream = Task { try Self.reports(300, on: directory, named: "Stream") }
            try await Task.sleep(for: .milliseconds(300))
            kill(pair.council.daemon.pid, SIGSTOP)
            try await Task.sleep(for: .seconds(8))
            kill(pair.council.daemon.pid, SIGCONT)
            let made = Set(try await stream.value)
            let caughtUp = try await Self.converge(pair, expected: made, within: 90)
            print(
                "frozen peer: 300 reports; the police held all of them \(caughtUp.map { String(format: "%.1f", $0) } ?? "never") s after the council thawed"
            )
            #expect(caughtUp != nil)
            let police = try LocalNode.open(pair.police.directory).store
            #expect(try police.counts().events == (try FaultRun.heldIDs(pair.police.directory)).count)
            #expect(try await StoreVerifier(store: police).verify().isSound)
        }
    }
}
