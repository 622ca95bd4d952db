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
    /// A daemon killed again and again while a peer pushes to it: everything it
    /// acknowledged is there when it comes back, and the store stays sound.
    @Suite("kill -9 under push load")
    struct CrashTests {
        /// What a pusher got acknowledged, shared with the test.
        final class Acknowledgements: @unchecked Sendable {
            // Invariant: `ids` and `batches` are only touched while `lock` is held.
            private let lock = NSLock()
            private var ids = Set<String>()
            private(set) var batches = 0
            func add(_ new: [String]) {
                lock.withLock {
                    ids.formUnion(new)
                    if !new.isEmpty { batches += 1 }
                }
            }
            var all: Set<String> { lock.withLock { ids } }
        }

        @Test func killedAgainAndAgainWhileAPeerPushesItLosesNothingAcknowledged() async throws {
            let cycles = FaultSuite.cycles(short: 20, long: 200)
            let folder = TemporaryDirectory("kill9")
            defer { folder.remove() }
            let directory = NodeDirectory(path: folder.file("council").path)
            let council = try LocalNode.create(
                in: directory,
                name: "Council",
                kind: .council,
                url: "https://127.0.0.1:1",
                listen: "127.0.0.1:0",
                now: .now()
            )
            let pusher = try FaultRun.pusher(for: directory)
            let signer = RequestSigner(node: pusher.id, key: pusher.key)
            let acknowledged = Acknowledgements()
            var number = 0
            for _ in 0..<cycles {
                let daemon = try await Daemon.start(directory, arguments: ["--pull-interval", "3600"])
                let first = number
                number += 100_000
                // A steady stream of batches of ten, until the daemon is killed under it.
                let stream = Task {
                    var next = first
                    while !Task.isCancelled {
                        let batch = try (0..<10).map { _ in
                            next += 1
                            return try FaultRun.report(next, by: pusher.key)
                        }
                        guard
                            let answer = try? await FaultRun.push(
                                batch,
                                to: daemon.url,
                                caPEM: council.certificatePEM,
                                as: signer
                            )
                        else { continue }
                        acknowledged.add(FaultRun.acknowledged(answer))
                    }
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 300...900)))
                kill(daemon.pid, SIGKILL)
                daemon.process.waitUntilExit()
                stream.cancel()
                _ = try? await stream.value
            }
            let held = try FaultRun.heldIDs(directory)
            let lost = acknowledged.all.subtracting(held)
            print(
                "kill -9: \(cycles) cycles, \(acknowledged.batches) batches and \(acknowledged.all.count) events acknowledged, \(held.count) held, \(lost.count) lost"
            )
            #expect(acknowledged.all.count > cycles * 10, "too little was acknowledged for the test to mean anything")
            #expect(lost.isEmpty)
            #expect(try await StoreVerifier(store: try LocalNode.open(directory).store).verify().isSound)
        }
    }
}
