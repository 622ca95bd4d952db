import CIXCore
import CIXFederation
import CIXNode
import CIXTesting
import Foundation
import Testing

extension FaultRun {
    /// A daemon whose disk fills up refuses cleanly (503, nothing half-stored)
    /// and takes writes again as soon as there is room, without a restart.
    @Suite("A full disk")
    struct DiskFullTests {
        /// Runs a command, returning its exit status and output.
        static func run(_ arguments: [String]) -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            do { try process.run() } catch { return (-1, "\(error)") }
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: output, as: UTF8.self))
        }

        @Test func aFullDiskAnswers503AndWritesResumeWhenSpaceReturns() async throws {
            let folder = TemporaryDirectory("disk-full")
            defer { folder.remove() }
            // A 24 MiB file system of its own (tmpfs, mounted as root), so that the node can fill it.
            let disk = folder.file("disk")
            try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
            let mounted = Self.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", disk.path])
            try #require(mounted.status == 0, "a tmpfs could not be mounted here (root is needed): \(mounted.output)")
            defer { _ = Self.run(["umount", "-l", disk.path]) }
            let directory = NodeDirectory(path: disk.appendingPathComponent("council").path)
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
            let daemon = try await Daemon.start(directory, arguments: ["--pull-interval", "3600"])
            defer { daemon.stop() }
            // Fill all but about a megabyte.
            let filler = disk.appendingPathComponent("filler")
            let free =
                ((try FileManager.default.attributesOfFileSystem(forPath: disk.path)[.systemFreeSize]) as? Int) ?? 0
            try Data(count: max(0, free - (1 << 20))).write(to: filler)
            // Push until the store says it is full.
            var acknowledged = Set<String>()
            var statuses: [Int: Int] = [:]
            var number = 0
            var full: WebClient.Answer?
            while full == nil && number < 20_000 {
                let batch = try (0..<50).map { _ in
                    number += 1
                    return try FaultRun.report(number, by: pusher.key)
                }
                let answer = try await FaultRun.push(batch, to: daemon.url, caPEM: council.certificatePEM, as: signer)
                statuses[answer.status, default: 0] += 1
                acknowledged.formUnion(FaultRun.acknowledged(answer))
                if answer.status != 200 { full = answer }
            }
            let refusal = try #require(full, "the disk never filled")
            #expect(refusal.status == 503 && refusal.header("retry-after") != nil, "\(refusal.status) \(refusal.text)")
            #expect(refusal.text.contains("storage_unavailable") && !refusal.text.contains("SQLite"))
            let client = WebClient(url: daemon.url, caPEM: council.certificatePEM)
            let degraded = try await client.get("/healthz")
            #expect(degraded.status == 503 && degraded.text.hasPrefix("degraded:"), "\(degraded.text)")
            #expect(degraded.text.contains("the disk is full"), "\(degraded.text)")
            // Space comes back: the same kind of push is stored, without a restart.
            try FileManager.default.removeItem(at: filler)
            var recovered = false
            for _ in 0..<20 where !recovered {
                number += 1
                let answer = try await FaultRun.push(
                    [try FaultRun.report(number, by: pusher.key)],
                    to: daemon.url,
                    caPEM: council.certificatePEM,
                    as: signer
                )
                if answer.status == 200 {
                    recovered = true
                    acknowledged.formUnion(FaultRun.acknowledged(answer))
                } else {
                    try await Task.sleep(for: .milliseconds(250))
                }
            }
            print(
                "full disk: \(statuses) answers until full (\(acknowledged.count) events acknowledged); recovered: \(recovered)"
            )
            #expect(recovered)
            let healthy = try await client.get("/healthz")
            #expect(healthy.status == 200 && healthy.text == "ok\n", "\(healthy.text)")
            daemon.stop()
            let held = try FaultRun.heldIDs(directory)
            #expect(acknowledged.isSubset(of: held), "\(acknowledged.subtracting(held).count) acknowledged events lost")
            #expect(try await StoreVerifier(store: try LocalNode.open(directory).store).verify().isSound)
        }
    }
}
