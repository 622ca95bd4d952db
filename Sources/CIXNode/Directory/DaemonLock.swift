import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The running daemon's exclusive hold on its data directory (`serve.lock`),
/// so that a second `cix serve` on the same directory stops at once and says
/// why, instead of starting its loops and dying on a busy port. Commands that
/// share the store with the daemon take no lock. The kernel lets go when the
/// process ends, however it ends.
package final class DaemonLock: Sendable {
    // Invariant: the descriptor is opened once in `acquire` and closed only in deinit.
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    package static func acquire(_ directory: NodeDirectory) throws(NodeError) -> DaemonLock {
        let path = directory.root.appendingPathComponent("serve.lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw NodeError(.io, "cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(
                in: .whitespacesAndNewlines
            )
            close(descriptor)
            throw NodeError(
                .alreadyRunning,
                "another cix serve is already running on \(directory.root.path)\(holder.map { $0.isEmpty ? "" : " (process \($0))" } ?? ""); stop it first, or give another --data"
            )
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return DaemonLock(descriptor: descriptor)
    }
}
